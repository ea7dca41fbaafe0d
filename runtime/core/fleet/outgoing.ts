/**
 * How the fleet sends: unsigned messages go out at once; signed ones wait for a `sign` (node key)
 * or `admin_sign` (fleet admin key) round trip, are checked against the expected signer (the
 * core does not trust a port's output) and then sent to each recipient in its own framing.
 * Reliable types also get one outbox row per recipient (machines/outbox.ts retries them until
 * MSG_ACK). Signing strings are the codec's (clhive-protocol.md §3.2; T = lightningSignedText(S)).
 */
import { lightningSignedText } from '../canonical/signed-text.ts';
import type { PyJson } from '../canonical/python-json.ts';
import { recoverSigner } from '../crypto/lnsign.ts';
import { eventIdOf } from '../machines/event-id.ts';
import type { ApprovalSummary } from '../ports.ts';
import { err, ok, type Result } from '../result.ts';
import type { NodeId, UnixSeconds } from '../types.ts';
import type { RawPayload } from '../wire/envelope.ts';
import type { Framing } from '../wire/framing.ts';
import { type MsgType, specOf } from '../wire/message-types.ts';
import type { Change } from './change.ts';
import { FLEET_LIMITS } from './config.ts';
import { framingOf } from './roster.ts';
import type { FleetReject, FleetState, PendingSign, SignPurpose, SignResult } from './types.ts';

/**
 * The canonical string S the originator of `type` signs (its spec's `signing_string`).
 * @throws Error for a type Hivebox never sends signed (a programming mistake, not input).
 */
export function signingStringOf(type: MsgType): (raw: RawPayload, framing: Framing) => string {
  const f = specOf(type).signing_string;
  if (!f) throw new Error(`${type} has no signing string`);
  return f;
}

/** A payload as sent. */
export type Payload = Readonly<Record<string, PyJson>>;

/** What to sign and where it goes. */
export interface SignedSend {
  readonly type: MsgType;
  readonly payload: Payload;
  readonly sig_field?: 'signature' | 'sig';
  readonly purpose: SignPurpose;
  readonly recipients: readonly NodeId[];
  readonly reliable?: boolean;
  readonly self_apply?: boolean;
  readonly retry_of?: string;
  /** Framing the signature is made for (matters for GOSSIP only); default spec. */
  readonly framing?: Framing;
  /** Sign with the fleet admin key instead of the node key. */
  readonly admin?: { readonly admin_pubkey: NodeId; readonly summary: ApprovalSummary };
}

/** Ask for a signature over `send.payload`; the message goes out when `signed` arrives. */
export function requestSignature(c: Change, send: SignedSend): void {
  const framing = send.framing ?? 'spec';
  const text = lightningSignedText(signingStringOf(send.type)(send.payload as RawPayload, framing));
  const request_id = `fleet:${c.seq()}`;
  const pending: PendingSign = {
    request_id,
    type: send.type,
    payload: send.payload,
    sig_field: send.sig_field ?? 'signature',
    signer: send.admin?.admin_pubkey ?? c.state.config.our_node_id,
    recipients: send.recipients,
    framing,
    reliable: send.reliable ?? false,
    self_apply: send.self_apply ?? false,
    retry_of: send.retry_of ?? null,
  };
  c.set({ pending_signs: new Map(c.state.pending_signs).set(request_id, pending) });
  if (send.admin) c.emit({ kind: 'admin_sign', request_id, text, admin_pubkey: send.admin.admin_pubkey, summary: send.admin.summary });
  else c.emit({ kind: 'sign', request_id, text, purpose: send.purpose });
}

/** Send `payload` to each recipient in its framing; reliable types also get outbox rows. */
export function deliver(c: Change, type: MsgType, payload: Payload, recipients: readonly NodeId[], now_s: UnixSeconds, reliable: boolean, retry_of: string | null = null): void {
  const msg_id = reliable ? eventIdOf(type, payload as RawPayload) : null;
  for (const peer_id of recipients) {
    const framing = framingOf(c.state, peer_id);
    if (framing === 'clhive' && specOf(type).hivebox_only) continue;
    c.emit({ kind: 'send', peer_id, framing, type, payload });
    if (msg_id === null) continue;
    const key = `${msg_id}|${peer_id}`;
    const existing = c.state.tables.outbox.get(key);
    if (existing && retry_of !== null) c.put('outbox', { ...existing, payload });
    else if (!existing) {
      c.put('outbox', {
        msg_id,
        peer_id,
        msg_type: type,
        payload,
        created_at: now_s,
        next_retry_at: now_s + FLEET_LIMITS.outboxBase_s,
        retries: 0,
        expires_at: now_s + FLEET_LIMITS.outboxTtl_s,
      });
    }
  }
}

/** A signed message ready to go, and whether our own handler must see it. */
export interface Completed {
  readonly pending: PendingSign;
  readonly payload: Payload;
}

/**
 * Take a signature back: the request must be ours and the signature must recover to the
 * expected signer. Removes the pending entry either way the request is known.
 * @returns the completed message, or `unexpected_signature`, `signer_failed`, `bad_signer_output`.
 */
export function completeSignature(c: Change, request_id: string, result: SignResult): Result<Completed, FleetReject> {
  const pending = c.state.pending_signs.get(request_id);
  if (!pending) return err({ reason: 'unexpected_signature', fields: { request_id } });
  const rest = new Map(c.state.pending_signs);
  rest.delete(request_id);
  c.set({ pending_signs: rest });
  if (!result.ok) return err({ reason: 'signer_failed', msg_type: pending.type, fields: { request_id, detail: result.reason } });
  const text = lightningSignedText(signingStringOf(pending.type)(pending.payload as RawPayload, pending.framing));
  if (recoverSigner(text, result.zbase) !== pending.signer) return err({ reason: 'bad_signer_output', msg_type: pending.type, fields: { request_id } });
  return ok({ pending, payload: { ...pending.payload, [pending.sig_field]: result.zbase } });
}

/** Recipients of `s`'s broadcast grouped by the framing they speak. */
export function byFraming(s: FleetState, recipients: readonly NodeId[]): Map<Framing, NodeId[]> {
  const out = new Map<Framing, NodeId[]>();
  for (const r of recipients) {
    const f = framingOf(s, r);
    out.set(f, [...(out.get(f) ?? []), r]);
  }
  return out;
}
