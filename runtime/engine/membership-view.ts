/**
 * The membership as operators and peers see it: member rows ordered by node id and cl-hive's
 * membership hash over them (clhive-protocol.md §4.3 `[[peer_id, tier], …]`). Pure.
 */
import type { MemberRecord, MembershipState } from '../core/machines/membership.ts';
import { membershipHash } from '../core/wire/signing/hashes.ts';

/** One member as `hive-members` lists it. `joined_at` is unix seconds. */
export interface MemberView {
  readonly node_id: string;
  readonly tier: MemberRecord['tier'];
  readonly joined_at: number;
}

/** Members ordered by node id. */
export function memberViews(m: MembershipState): MemberView[] {
  return [...m.members.values()]
    .sort((a, b) => (a.node_id < b.node_id ? -1 : a.node_id > b.node_id ? 1 : 0))
    .map((r) => ({ node_id: r.node_id, tier: r.tier, joined_at: r.joined_at }));
}

/** cl-hive membership hash (64 hex) of the current members; the same list gives the same hash on every node. */
export function membershipHashOf(m: MembershipState): string {
  return membershipHash(memberViews(m).map((v) => ({ peer_id: v.node_id, tier: v.tier })));
}
