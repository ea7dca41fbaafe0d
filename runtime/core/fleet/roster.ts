/**
 * Who is in the fleet, as the fleet machines ask it: members and their tiers, broadcast
 * recipients, the framing to use per member, "active" members and the two governance thresholds
 * (clhive-protocol.md §6.4 `calculate_quorum`, §6.5 ban threshold; spec 001 §3.4).
 */
import { isBanned, type MemberRecord } from '../machines/membership.ts';
import type { NodeId, UnixSeconds } from '../types.ts';
import type { Framing } from '../wire/framing.ts';
import type { FleetState } from './types.ts';

/** The member row of `node_id`, or null. */
export function memberOf(s: FleetState, node_id: string): MemberRecord | null {
  return s.membership.members.get(node_id as NodeId) ?? null;
}

/** True when `node_id` is a member of any tier and not banned at `now_s`. */
export function isCertified(s: FleetState, node_id: string, now_s: UnixSeconds): boolean {
  return memberOf(s, node_id) !== null && !isBanned(s.membership, node_id, now_s);
}

/** True when `node_id` is a full (`member` tier) member and not banned at `now_s`. */
export function isFullMember(s: FleetState, node_id: string, now_s: UnixSeconds): boolean {
  return memberOf(s, node_id)?.tier === 'member' && !isBanned(s.membership, node_id, now_s);
}

/** Every other certified member, ordered by node id: the recipients of a fleet broadcast. */
export function broadcastRecipients(s: FleetState, now_s: UnixSeconds): NodeId[] {
  const us = s.config.our_node_id;
  return [...s.membership.members.keys()].filter((id) => id !== us && !isBanned(s.membership, id, now_s)).sort();
}

/** The framing to send to `peer_id` in: the one it last used, else the configured default. */
export function framingOf(s: FleetState, peer_id: string): Framing {
  return s.tables.framings.get(peer_id)?.framing ?? s.config.default_framing;
}

/**
 * Full members that count as active at `now_s`: not banned, and we ourselves, or joined within
 * `window_s`, or with a state updated within `window_s`. (cl-hive counts `last_seen` and never
 * refreshes its own, §15 item 11; Hivebox always counts itself and uses the persisted state time.)
 */
export function activeFullMembers(s: FleetState, now_s: UnixSeconds, window_s: number): NodeId[] {
  const out: NodeId[] = [];
  for (const m of s.membership.members.values()) {
    if (m.tier !== 'member' || isBanned(s.membership, m.node_id, now_s)) continue;
    const state = s.tables.states.get(m.node_id);
    const recent = m.joined_at >= now_s - window_s || (state !== undefined && state.last_update >= now_s - window_s);
    if (m.node_id === s.config.our_node_id || recent) out.push(m.node_id);
  }
  return out.sort();
}

/** Promotion quorum (§6.4): 1 in a one-member hive, else max(2, ceil(0.51 × active)). */
export function promotionQuorum(activeCount: number): number {
  return activeCount <= 1 ? 1 : Math.max(2, Math.ceil(0.51 * activeCount));
}

/** Ban threshold (§6.5): approvals needed = floor(0.51 × eligible) + 1. */
export function banThreshold(eligibleCount: number): number {
  return Math.floor(0.51 * eligibleCount) + 1;
}

/** The hive id, or null before genesis / join. */
export function hiveIdOf(s: FleetState): string | null {
  return s.membership.hive?.hive_id ?? null;
}
