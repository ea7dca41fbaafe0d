/**
 * Idempotency ids of reliable messages (clhive-protocol.md §3.6 `EVENT_ID_FIELDS`):
 * `event_id = sha256hex(JSON-canonical({"_type": <type name>, <identity fields>}))[:32]`.
 * The id doubles as the outbox `msg_id` and MSG_ACK `ack_msg_id`. Hivebox adds HIVE_REVOKE
 * (`revocation_id`) and BAN_PEER (`ban_id`). None of the identity fields except MEMBER_LEFT's is
 * a timestamp, which is what lets an outbox retry re-sign with a fresh timestamp and keep its id.
 */
import { canonicalJson, type PyJson } from '../canonical/python-json.ts';
import type { RawPayload } from '../wire/envelope.ts';
import type { MsgType } from '../wire/message-types.ts';
import { sha256Hex } from '../wire/signing/py-format.ts';

/** Identity fields per deduplicated type. */
export const EVENT_ID_FIELDS: Partial<Record<MsgType, readonly string[]>> = {
  PROMOTION_REQUEST: ['target_pubkey', 'request_id'],
  VOUCH: ['target_pubkey', 'request_id', 'voucher_pubkey'],
  PROMOTION: ['target_pubkey', 'request_id'],
  MEMBER_LEFT: ['peer_id', 'timestamp'],
  BAN_PROPOSAL: ['proposal_id'],
  BAN_VOTE: ['proposal_id', 'voter_peer_id'],
  HIVE_REVOKE: ['revocation_id'],
  BAN_PEER: ['ban_id'],
};

/**
 * The event id of a payload of `type`.
 * @returns 32 hex chars, or null for types without identity fields (not deduplicated).
 */
export function eventIdOf(type: MsgType, payload: RawPayload): string | null {
  const fields = EVENT_ID_FIELDS[type];
  if (!fields) return null;
  const obj: Record<string, PyJson> = { _type: type };
  for (const f of fields) obj[f] = payload[f] ?? '';
  return sha256Hex(canonicalJson(obj)).slice(0, 32);
}
