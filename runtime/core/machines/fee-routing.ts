/**
 * 0-fee routing between members (spec 000 §3.1 "Zero-Cost Capital Teleportation") under local
 * safety bounds (spec 000 §6 "Logic Bounds: local safety constraints always override swarm
 * suggestions"; issue 4 §4).
 *
 * - A node that becomes a member (admission, FULL_SYNC, our own join) → `fetch_member_channels`;
 *   for each channel with it the current policy is saved and `setchannel` 0 base / 0 ppm follows.
 *   The driver also reports every member's channels periodically (issue 13): a channel opened to a
 *   member after its admission is saved and zeroed the same way, and a member channel whose fee
 *   someone changed by hand is reported (`member_fee_reset`) and put back to 0 — the policy is
 *   that a member channel is 0-fee for as long as the member is in the hive (README); the saved
 *   policy is what it gets back when the member goes.
 * - A member that goes (leave, ban, revocation, our own leave) → each saved policy is restored,
 *   raised to the configured floor toward non-members when it was below it.
 * - A fee the fleet suggests for a channel with a non-member is raised to the floor and counted:
 *   at most `max_fee_changes_per_day` per channel per 24 h. Member channels stay at 0.
 * The zeroing and restoring themselves are the membership rule, not suggestions, and are not counted.
 */
import { Change, refuse } from '../fleet/change.ts';
import { FLEET_LIMITS } from '../fleet/config.ts';
import { isCertified, memberOf } from '../fleet/roster.ts';
import { keyOf } from '../fleet/tables.ts';
import type { FleetCommand, FleetState, FleetStep, MemberChannel } from '../fleet/types.ts';
import type { NodeId, UnixSeconds } from '../types.ts';

const SCID = /^\d{1,8}x\d{1,8}x\d{1,5}$/;

function validFee(base: number, ppm: number): boolean {
  return Number.isSafeInteger(base) && base >= 0 && Number.isSafeInteger(ppm) && ppm >= 0 && ppm <= 10_000_000;
}

/** The member's channels (answer to `fetch_member_channels`): save each policy once and zero it. */
export function onMemberChannels(s: FleetState, peer_id: string, channels: readonly MemberChannel[], now_s: UnixSeconds): FleetStep {
  if (!isCertified(s, peer_id, now_s) || peer_id === s.config.our_node_id) return refuse(s, { reason: 'not_member', peer_id });
  const bad = channels.find((ch) => !SCID.test(ch.scid) || !validFee(ch.fee_base_msat, ch.fee_ppm));
  if (bad) return refuse(s, { reason: 'bad_command', peer_id, fields: { scid: bad.scid } });
  const c = new Change(s);
  for (const ch of channels) {
    if (s.tables.saved_fees.has(keyOf(ch.scid))) {
      if (ch.fee_base_msat === 0 && ch.fee_ppm === 0) continue;
      c.emit({ kind: 'setchannel', peer_id: peer_id as NodeId, scid: ch.scid, feebase_msat: 0, feeppm: 0 });
      c.emit({ kind: 'event', name: 'member_fee_reset', fields: { peer_id, scid: ch.scid, found_base_msat: ch.fee_base_msat, found_ppm: ch.fee_ppm } });
      c.log('warn', 'member_fee_reset', { scid: ch.scid, found_base_msat: ch.fee_base_msat, found_ppm: ch.fee_ppm }, peer_id);
      continue;
    }
    c.put('saved_fees', { scid: ch.scid, peer_id: peer_id as NodeId, prev_base_msat: ch.fee_base_msat, prev_ppm: ch.fee_ppm, saved_at: now_s });
    c.emit({ kind: 'setchannel', peer_id: peer_id as NodeId, scid: ch.scid, feebase_msat: 0, feeppm: 0 });
  }
  return c.done();
}

/** Restore the saved policies of `peer_id`'s channels (every channel when `peer_id` is null), floor applied. */
export function restoreFees(c: Change, peer_id: NodeId | null): void {
  const { fee_floor_base_msat: floorBase, fee_floor_ppm: floorPpm } = c.state.config;
  for (const row of c.state.tables.saved_fees.values()) {
    if (peer_id !== null && row.peer_id !== peer_id) continue;
    const feebase_msat = Math.max(row.prev_base_msat, floorBase);
    const feeppm = Math.max(row.prev_ppm, floorPpm);
    c.emit({ kind: 'setchannel', peer_id: row.peer_id, scid: row.scid, feebase_msat, feeppm });
    if (feebase_msat !== row.prev_base_msat || feeppm !== row.prev_ppm) c.log('info', 'fee_floor_applied', { scid: row.scid, saved_ppm: row.prev_ppm, set_ppm: feeppm }, row.peer_id);
    c.del('saved_fees', keyOf(row.scid));
  }
}

/** Command `suggest_fee`: a fleet suggestion for a channel with a non-member, within local bounds. */
export function suggestFee(s: FleetState, cmd: Extract<FleetCommand, { name: 'suggest_fee' }>, now_s: UnixSeconds): FleetStep {
  const rej = (reason: Parameters<typeof refuse>[1]['reason'], fields: Record<string, unknown> = {}) => refuse(s, { reason, peer_id: cmd.peer_id, fields: { scid: cmd.scid, ...fields } });
  if (!SCID.test(cmd.scid) || !validFee(cmd.fee_base_msat, cmd.fee_ppm)) return rej('bad_command');
  if (memberOf(s, cmd.peer_id) || s.tables.saved_fees.has(keyOf(cmd.scid))) return rej('member_channel');
  const recent = [...s.tables.fee_changes.values()].filter((f) => f.scid === cmd.scid && now_s - f.changed_at < FLEET_LIMITS.feeChangeWindow_s).length;
  if (recent >= s.config.max_fee_changes_per_day) return rej('fee_change_limit', { changes_today: recent });
  const base = Math.max(cmd.fee_base_msat, s.config.fee_floor_base_msat);
  const ppm = Math.max(cmd.fee_ppm, s.config.fee_floor_ppm);
  const c = new Change(s);
  c.put('fee_changes', { change_id: `${cmd.scid}@${now_s}#${c.seq()}`, scid: cmd.scid, changed_at: now_s, base_msat: base, ppm });
  c.emit({ kind: 'setchannel', peer_id: cmd.peer_id as NodeId, scid: cmd.scid, feebase_msat: base, feeppm: ppm });
  if (ppm !== cmd.fee_ppm || base !== cmd.fee_base_msat) c.log('info', 'fee_floor_applied', { scid: cmd.scid, suggested_ppm: cmd.fee_ppm, set_ppm: ppm }, cmd.peer_id);
  return c.done();
}

/** After any step: zero fees toward members that appeared, restore them toward members that went. */
export function followMembership(c: Change, before: FleetState, now_s: UnixSeconds): void {
  const us = c.state.config.our_node_id;
  const prev = before.membership.members;
  const next = c.state.membership.members;
  if (prev === next) return;
  if (prev.has(us as NodeId) && !next.has(us as NodeId)) return restoreFees(c, null);
  for (const id of next.keys()) if (id !== us && !prev.has(id) && isCertified(c.state, id, now_s)) c.emit({ kind: 'fetch_member_channels', peer_id: id });
  for (const id of prev.keys()) if (id !== us && !next.has(id)) restoreFees(c, id);
}

/** Timer: forget counted fee changes older than the window. */
export function feeTick(c: Change, now_s: UnixSeconds): void {
  for (const f of c.state.tables.fee_changes.values()) if (now_s - f.changed_at >= FLEET_LIMITS.feeChangeWindow_s) c.del('fee_changes', keyOf(f.change_id));
}
