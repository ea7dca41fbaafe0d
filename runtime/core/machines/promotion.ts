/**
 * Promotion of a neophyte to member (spec 001 §3.4; clhive-protocol.md §2.3, §6.4):
 * PROMOTION_REQUEST (the neophyte asks) → VOUCH from full members (signed, valid 7 days) →
 * PROMOTION carrying the vouches. The quorum is max(2, ceil(0.51 × active full members)), or 1 in
 * a one-member hive (roster.ts). Only unique vouchers count, and only full, unbanned members whose
 * vouch is at most 7 days old (signatures were verified by the gate).
 *
 * A VOUCH or PROMOTION for a target that is already a member is accepted as a no-op (it is
 * acknowledged, so the sender's outbox stops). Every member receives every VOUCH, so each one promotes the neophyte as soon as it holds a
 * quorum itself (cl-hive's aggregator did not, §6.4 quirk 5); only the lowest-id counted voucher
 * sends the PROMOTION (for members that missed vouches), instead of every member.
 */
import { Change, refuse } from '../fleet/change.ts';
import { FLEET_LIMITS } from '../fleet/config.ts';
import { deliver, requestSignature } from '../fleet/outgoing.ts';
import { activeFullMembers, broadcastRecipients, isFullMember, memberOf, promotionQuorum } from '../fleet/roster.ts';
import type { VouchRow } from '../fleet/tables.ts';
import type { FleetCommand, FleetState, FleetStep } from '../fleet/types.ts';
import { type NodeId, toHex, type UnixSeconds } from '../types.ts';
import type { Admitted } from './admit.ts';

/** Voucher ids that count toward `target`'s promotion at `now_s`, sorted. */
export function countedVouchers(s: FleetState, vouches: readonly Pick<VouchRow, 'voucher_pubkey' | 'timestamp'>[], now_s: UnixSeconds): NodeId[] {
  const ids = new Set<NodeId>();
  for (const v of vouches) if (now_s - v.timestamp <= FLEET_LIMITS.vouchTtl_s && isFullMember(s, v.voucher_pubkey, now_s)) ids.add(v.voucher_pubkey);
  return [...ids].sort();
}

/** The quorum at `now_s`. */
export function currentQuorum(s: FleetState, now_s: UnixSeconds): number {
  return promotionQuorum(activeFullMembers(s, now_s, FLEET_LIMITS.promotionActiveWindow_s).length);
}

function vouchesFor(s: FleetState, target: string, request_id: string): VouchRow[] {
  return [...s.tables.vouches.values()].filter((v) => v.target_pubkey === target && v.request_id === request_id);
}

function promote(c: Change, target: NodeId, request_id: string, vouchers: readonly NodeId[]): void {
  const m = memberOf(c.state, target)!;
  c.member({ op: 'put_member', member: { ...m, tier: 'member' } });
  c.emit({ kind: 'event', name: 'member_promoted', fields: { node_id: target, request_id, vouchers } });
  const hive = c.state.membership.hive;
  if (target === c.state.config.our_node_id && hive) c.member({ op: 'put_hive', hive: { ...hive, our_role: 'member' } });
}

/** After a new vouch: promote once the quorum is held; the lowest counted voucher sends PROMOTION. */
function maybePromote(c: Change, target: NodeId, request_id: string, now_s: UnixSeconds): void {
  if (memberOf(c.state, target)?.tier !== 'neophyte') return;
  const rows = vouchesFor(c.state, target, request_id);
  const vouchers = countedVouchers(c.state, rows, now_s);
  if (vouchers.length < currentQuorum(c.state, now_s)) return;
  promote(c, target, request_id, vouchers);
  if (vouchers[0] !== c.state.config.our_node_id) return;
  const vouches = rows.filter((v) => vouchers.includes(v.voucher_pubkey)).map((v) => ({ ...v }));
  deliver(c, 'PROMOTION', { target_pubkey: target, request_id, vouches }, broadcastRecipients(c.state, now_s), now_s, true);
}

/** Command: we are a neophyte and ask to be promoted. `random`: 16 bytes → the request id. */
export function requestPromotion(s: FleetState, cmd: Extract<FleetCommand, { name: 'request_promotion' }>, now_s: UnixSeconds): FleetStep {
  const us = s.config.our_node_id;
  if (memberOf(s, us)?.tier !== 'neophyte') return refuse(s, { reason: 'not_neophyte', msg_type: 'PROMOTION_REQUEST' });
  if (cmd.random.length !== 16) return refuse(s, { reason: 'bad_command', fields: { field: 'random' } });
  const request_id = toHex(cmd.random);
  const c = new Change(s).put('promotion_requests', { target_pubkey: us, request_id, timestamp: now_s });
  deliver(c, 'PROMOTION_REQUEST', { target_pubkey: us, request_id, timestamp: now_s }, broadcastRecipients(s, now_s), now_s, true);
  return c.done();
}

/** Sign and broadcast our VOUCH (reliable; our own handler records it). */
function castVouch(c: Change, target: string, request_id: string, now_s: UnixSeconds): void {
  const payload = { target_pubkey: target, request_id, timestamp: now_s, voucher_pubkey: c.state.config.our_node_id };
  requestSignature(c, { type: 'VOUCH', payload, sig_field: 'sig', purpose: 'vouch', recipients: broadcastRecipients(c.state, now_s), reliable: true, self_apply: true });
}

/** Command: vouch for `target_pubkey`'s request. */
export function vouchCommand(s: FleetState, cmd: Extract<FleetCommand, { name: 'vouch' }>, now_s: UnixSeconds): FleetStep {
  const us = s.config.our_node_id;
  if (!isFullMember(s, us, now_s)) return refuse(s, { reason: 'not_full_member', msg_type: 'VOUCH' });
  if (!/^[0-9a-f]{1,64}$/.test(cmd.request_id)) return refuse(s, { reason: 'bad_command', fields: { field: 'request_id' } });
  if (memberOf(s, cmd.target_pubkey)?.tier !== 'neophyte') return refuse(s, { reason: 'target_not_neophyte', msg_type: 'VOUCH' });
  if (s.tables.vouches.has(`${cmd.target_pubkey}|${cmd.request_id}|${us}`)) return refuse(s, { reason: 'duplicate', msg_type: 'VOUCH' });
  const c = new Change(s);
  castVouch(c, cmd.target_pubkey, cmd.request_id, now_s);
  return c.done();
}

/** PROMOTION_REQUEST from a neophyte: record it; auto-vouch when configured and probation is over. */
export function onPromotionRequest(s: FleetState, a: Admitted<'PROMOTION_REQUEST'>, now_s: UnixSeconds): FleetStep {
  const p = a.message.payload;
  const c = new Change(s).put('promotion_requests', { target_pubkey: p.target_pubkey as NodeId, request_id: p.request_id, timestamp: p.timestamp });
  const target = memberOf(s, p.target_pubkey)!;
  if (s.config.auto_vouch && isFullMember(s, s.config.our_node_id, now_s) && now_s - target.joined_at >= s.config.probation_s) castVouch(c, p.target_pubkey, p.request_id, now_s);
  return c.done();
}

/** VOUCH from a full member (or our own): store it, then check the quorum. */
export function onVouch(s: FleetState, a: Admitted<'VOUCH'>, now_s: UnixSeconds): FleetStep {
  const p = a.message.payload;
  const rej = { peer_id: a.peer_id, msg_type: 'VOUCH' } as const;
  const tier = memberOf(s, p.target_pubkey)?.tier;
  if (tier === 'member') return new Change(s).log('info', 'already_promoted', { target: p.target_pubkey }, a.sender_id).done();
  if (tier !== 'neophyte') return refuse(s, { ...rej, reason: 'target_not_neophyte', fields: { target: p.target_pubkey } });
  if (now_s - p.timestamp > FLEET_LIMITS.vouchTtl_s) return refuse(s, { ...rej, reason: 'vouch_expired' });
  const c = new Change(s).put('vouches', { target_pubkey: p.target_pubkey as NodeId, request_id: p.request_id, voucher_pubkey: p.voucher_pubkey as NodeId, timestamp: p.timestamp, sig: p.sig });
  maybePromote(c, p.target_pubkey as NodeId, p.request_id, now_s);
  return c.done();
}

/** PROMOTION from a full member: re-count its vouches against our own quorum. */
export function onPromotion(s: FleetState, a: Admitted<'PROMOTION'>, now_s: UnixSeconds): FleetStep {
  const p = a.message.payload;
  const rej = { peer_id: a.peer_id, msg_type: 'PROMOTION' } as const;
  const tier = memberOf(s, p.target_pubkey)?.tier;
  if (tier === 'member') return new Change(s).log('info', 'already_promoted', { target: p.target_pubkey }, a.sender_id).done();
  if (tier !== 'neophyte') return refuse(s, { ...rej, reason: 'target_not_neophyte', fields: { target: p.target_pubkey } });
  const vouchers = countedVouchers(s, p.vouches as never, now_s);
  const quorum = currentQuorum(s, now_s);
  if (vouchers.length < quorum) return refuse(s, { ...rej, reason: 'quorum_not_met', fields: { counted: vouchers.length, quorum } });
  const c = new Change(s);
  for (const v of p.vouches) if (vouchers.includes(v.voucher_pubkey as NodeId)) c.put('vouches', { ...v, target_pubkey: v.target_pubkey as NodeId, voucher_pubkey: v.voucher_pubkey as NodeId });
  promote(c, p.target_pubkey as NodeId, p.request_id, vouchers);
  return c.done();
}
