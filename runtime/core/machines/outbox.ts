/**
 * Reliable delivery of governance messages (clhive-protocol.md §3.6; issue 4 §3): one outbox row
 * per (event id, recipient), retried with backoff min(30·2^n, 3600) s plus 0–25 % jitter drawn
 * from the tick's entropy, at most 20 retries and 24 h; cleared by MSG_ACK `ok` (or an implicit
 * ack: BAN_VOTE answers BAN_PROPOSAL, VOUCH answers PROMOTION_REQUEST), failed by `invalid`,
 * left alone by `retry_later`. The receiver's event-id table makes a duplicate harmless.
 *
 * Fix of cl-hive §15 item 12 (retries died of freshness after 1 h): a retry of VOUCH,
 * BAN_PROPOSAL or BAN_VOTE is re-signed with a fresh timestamp. Their event ids are built from
 * identity fields that exclude the timestamp (machines/event-id.ts), so the id — and the
 * receiver's dedup — is unchanged. PROMOTION_REQUEST (unsigned) just gets a fresh timestamp.
 * MEMBER_LEFT (its id includes the timestamp, and it has no freshness rule), HIVE_REVOKE (30-day
 * window; the admin key needs a button press) and BAN_PEER (7-day window) are re-sent as they were.
 */
import { Change, refuse } from '../fleet/change.ts';
import { FLEET_LIMITS } from '../fleet/config.ts';
import { deliver, requestSignature, type Payload } from '../fleet/outgoing.ts';
import { keyOf, type OutboxRow } from '../fleet/tables.ts';
import type { FleetState, FleetStep, SignPurpose } from '../fleet/types.ts';
import type { NodeId, UnixSeconds } from '../types.ts';
import type { RawPayload } from '../wire/envelope.ts';
import type { MsgType } from '../wire/message-types.ts';
import type { Admitted } from './admit.ts';
import { uniformOf } from './entropy.ts';
import { eventIdOf } from './event-id.ts';

/** Reliable types re-signed with a fresh timestamp on retry, and their signature field. */
const RESIGN: Partial<Record<MsgType, { purpose: SignPurpose; sig_field: 'signature' | 'sig' }>> = {
  VOUCH: { purpose: 'vouch', sig_field: 'sig' },
  BAN_PROPOSAL: { purpose: 'ban_proposal', sig_field: 'signature' },
  BAN_VOTE: { purpose: 'ban_vote', sig_field: 'signature' },
};

/**
 * Delay before retry number `n` (0 = first send): min(30·2^n, 3600) s plus `jitter` (0..1) × 25 %.
 * @returns whole seconds.
 */
export function backoffSeconds(n: number, jitter: number): number {
  const base = Math.min(FLEET_LIMITS.outboxBase_s * 2 ** n, FLEET_LIMITS.outboxMaxBackoff_s);
  return Math.round(base * (1 + FLEET_LIMITS.outboxJitter * Math.min(Math.max(jitter, 0), 1)));
}

/** A uniform 0..1 value from the tick's entropy, distinct per row. */
function jitterOf(entropy: Uint8Array, row: OutboxRow): number {
  return uniformOf(entropy, `${row.msg_id}|${row.peer_id}|${row.retries}`);
}

/** Timer: give up on exhausted rows, re-send (or re-sign) due ones and reschedule them. */
export function outboxTick(c: Change, now_s: UnixSeconds, entropy: Uint8Array): void {
  const due = new Map<string, OutboxRow[]>();
  for (const row of c.state.tables.outbox.values()) {
    if (now_s >= row.expires_at || (row.next_retry_at <= now_s && row.retries >= FLEET_LIMITS.outboxMaxRetries)) {
      c.del('outbox', keyOf(row.msg_id, row.peer_id));
      c.log('warn', 'outbox_gave_up', { msg_id: row.msg_id, msg_type: row.msg_type, retries: row.retries }, row.peer_id);
      continue;
    }
    if (row.next_retry_at > now_s) continue;
    const next = { ...row, retries: row.retries + 1, next_retry_at: now_s + backoffSeconds(row.retries + 1, jitterOf(entropy, row)) };
    c.put('outbox', next);
    due.set(row.msg_id, [...(due.get(row.msg_id) ?? []), next]);
  }
  for (const [msg_id, rows] of due) {
    const first = rows[0]!;
    const type = first.msg_type as MsgType;
    const peers = rows.map((r) => r.peer_id);
    const resign = RESIGN[type];
    if (resign) {
      const { [resign.sig_field]: _old, ...unsigned } = first.payload as Payload;
      requestSignature(c, { type, payload: { ...unsigned, timestamp: now_s }, purpose: resign.purpose, sig_field: resign.sig_field, recipients: peers, reliable: true, retry_of: msg_id });
    } else if (type === 'PROMOTION_REQUEST') {
      deliver(c, type, { ...(first.payload as Payload), timestamp: now_s }, peers, now_s, true, msg_id);
    } else {
      deliver(c, type, first.payload as Payload, peers, now_s, true, msg_id);
    }
  }
}

/** Send an unsigned MSG_ACK for `event_id` to `peer_id` (accepted because it comes direct; §2.3). */
export function sendAck(c: Change, peer_id: NodeId, event_id: string, status: 'ok' | 'invalid' | 'retry_later', now_s: UnixSeconds): void {
  deliver(c, 'MSG_ACK', { ack_msg_id: event_id, status, sender_id: c.state.config.our_node_id, timestamp: now_s }, [peer_id], now_s, false);
}

/** MSG_ACK: `ok` clears the row, `invalid` fails it, `retry_later` leaves it. */
export function onMsgAck(s: FleetState, a: Admitted<'MSG_ACK'>): FleetStep {
  const p = a.message.payload;
  const key = keyOf(p.ack_msg_id, a.sender_id);
  const row = s.tables.outbox.get(key);
  if (!row) return refuse(s, { reason: 'unknown_ack', peer_id: a.peer_id, msg_type: 'MSG_ACK', fields: { ack_msg_id: p.ack_msg_id } });
  const c = new Change(s);
  if (p.status === 'retry_later') return c.log('info', 'outbox_retry_later', { msg_id: row.msg_id }, a.sender_id).done();
  c.del('outbox', key);
  if (p.status === 'invalid') c.log('warn', 'outbox_refused', { msg_id: row.msg_id, msg_type: row.msg_type }, a.sender_id);
  return c.done();
}

/** Implicit ack: a peer's answer clears our request's row to it (BAN_VOTE → BAN_PROPOSAL, VOUCH → PROMOTION_REQUEST). */
export function implicitAck(c: Change, a: Admitted): void {
  const raw = a.message.raw;
  let request: string | null = null;
  if (a.message.type === 'BAN_VOTE') request = eventIdOf('BAN_PROPOSAL', { proposal_id: raw.proposal_id ?? '' } as RawPayload);
  if (a.message.type === 'VOUCH') request = eventIdOf('PROMOTION_REQUEST', { target_pubkey: raw.target_pubkey ?? '', request_id: raw.request_id ?? '' } as RawPayload);
  if (request !== null) c.del('outbox', keyOf(request, a.sender_id));
}
