/**
 * The admission gate every fleet handler sits behind (issue 4 §1; style-anchors.md "A message's
 * whole life"; clhive-protocol.md §1.6, §2.2, §2.3, §3.6). One function, in this order:
 *
 *   decode → schema → size (the codec) → freshness → signature (recover, compare with the claimed
 *   signer) → direct/relay sender rules → membership tier and ban → event-id dedup
 *
 * It returns `Admitted` or a named reject, and changes nothing. No handler repeats any of these
 * steps; each fleet type's spec (`gate`, wire/spec.ts) states who the claimed sender is, whether a
 * relay may deliver it, and which tier it needs. Types without a gate rule are handshake types
 * (routed to the handshake machine) or types the fleet does not consume.
 */
import { err, ok, type Result } from '../result.ts';
import type { NodeId, UnixSeconds } from '../types.ts';
import { decodeHiveMessage, type DecodeOutcome, type HiveMessage, type HiveMessageOf } from '../wire/decode.ts';
import type { Framing } from '../wire/framing.ts';
import { checkFreshness } from '../wire/freshness.ts';
import { type FleetMsgType, type MsgType, specOf } from '../wire/message-types.ts';
import type { SenderTier } from '../wire/spec.ts';
import { checkSignatures } from '../wire/signing/signed-parts.ts';
import { FLEET_LIMITS } from '../fleet/config.ts';
import { isCertified, isFullMember, memberOf } from '../fleet/roster.ts';
import type { FleetReject, FleetState } from '../fleet/types.ts';
import { isBanned } from './membership.ts';
import { eventIdOf } from './event-id.ts';

export type { FleetMsgType } from '../wire/message-types.ts';

/** Handshake types: the gate refuses them with `handshake_type` (the handshake machine takes them). */
const HANDSHAKE: ReadonlySet<MsgType> = new Set(['HELLO', 'CHALLENGE', 'ATTEST', 'WELCOME']);

/** A message that passed every gate step. */
export interface Admitted<T extends FleetMsgType = FleetMsgType> {
  readonly message: HiveMessageOf<T>;
  /** The BOLT 8 peer that delivered it. */
  readonly peer_id: NodeId;
  /** The originator (signer, or the peer for unsigned types). */
  readonly sender_id: NodeId;
  /** Delivered by a peer other than the originator. */
  readonly relayed: boolean;
  /** Idempotency id (reliable types), else null. */
  readonly event_id: string | null;
  readonly framing: Framing;
}

function isFleetType(t: MsgType): t is FleetMsgType {
  return specOf(t).gate !== undefined;
}

function tierOk(s: FleetState, tier: SenderTier, sender: string, now_s: UnixSeconds): FleetReject['reason'] | null {
  switch (tier) {
    case 'any':
      return null;
    case 'admin':
      return s.membership.trusted_admins.has(sender as NodeId) ? null : 'not_admin';
    case 'certified':
      return isCertified(s, sender, now_s) ? null : 'not_member';
    case 'full':
      return isFullMember(s, sender, now_s) ? null : 'not_full_member';
    case 'neophyte':
      return memberOf(s, sender)?.tier === 'neophyte' ? null : 'not_neophyte';
  }
}

/**
 * Admit one inbound message.
 * @param input custom-message bytes (BOLT type included) or the codec's outcome for them.
 * @param now_s unix seconds.
 * @returns `Admitted`, or a reject: `malformed` (incl. not Hive traffic), `handshake_type`,
 *   `unhandled_type`, `stale_timestamp`, `future_timestamp`, `too_old`, `bad_signature`,
 *   `sender_mismatch`, `relay_not_allowed`, `banned`, `not_member`, `not_full_member`,
 *   `not_neophyte`, `not_admin`, `duplicate`.
 */
export function admit(s: FleetState, peer_id: string, input: Uint8Array | DecodeOutcome, now_s: UnixSeconds): Result<Admitted, FleetReject> {
  const outcome = input instanceof Uint8Array ? decodeHiveMessage(input) : input;
  if (outcome.kind !== 'message') {
    const fields = outcome.kind === 'malformed' ? { error: outcome.error } : { not_hive: outcome.reason };
    return err({ reason: 'malformed', peer_id, ...(outcome.kind === 'malformed' && outcome.type ? { msg_type: outcome.type } : {}), fields });
  }
  const message: HiveMessage = outcome.message;
  const type = message.type;
  const reject = (reason: FleetReject['reason'], fields?: Record<string, unknown>): Result<Admitted, FleetReject> =>
    err({ reason, peer_id, msg_type: type, ...(fields ? { fields } : {}) });
  if (HANDSHAKE.has(type)) return reject('handshake_type');
  if (!isFleetType(type)) return reject('unhandled_type');
  const spec = specOf(type);
  const rule = spec.gate!;

  const fresh = checkFreshness(type, message.raw, now_s);
  if (!fresh.ok) return reject(fresh.error.kind === 'future_timestamp' ? 'future_timestamp' : 'stale_timestamp', { detail: fresh.error.detail });
  const event_id = eventIdOf(type, message.raw);
  const ts = message.raw.timestamp;
  if (spec.max_age_s === null && event_id !== null && typeof ts === 'number' && now_s - ts > FLEET_LIMITS.eventRetention_s) {
    return reject('too_old', { timestamp: ts });
  }

  const sig = checkSignatures(message);
  if (sig.present && sig.valid !== true) return reject('bad_signature');

  const claimed = rule.sender === null ? peer_id : String(message.raw[rule.sender] ?? '');
  const relayed = claimed !== peer_id;
  if (relayed) {
    if (!rule.relay) return reject('sender_mismatch', { claimed_sender: claimed });
    if (!isCertified(s, peer_id, now_s)) return reject('relay_not_allowed', { claimed_sender: claimed });
  }

  if (isBanned(s.membership, claimed, now_s)) return reject('banned', { sender_id: claimed });
  const tier = tierOk(s, rule.tier, claimed, now_s);
  if (tier) return reject(tier, { sender_id: claimed });

  if (event_id !== null && s.tables.events.has(event_id)) return reject('duplicate', { event_id });
  return ok({ message: message as HiveMessageOf<FleetMsgType>, peer_id: peer_id as NodeId, sender_id: claimed as NodeId, relayed, event_id, framing: message.framing });
}
