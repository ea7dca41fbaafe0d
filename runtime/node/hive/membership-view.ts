/**
 * The membership as operators see it: member rows ordered by node id (the membership hash over
 * them is the fleet's `currentMembershipHash`). Pure.
 */
import type { MemberRecord, MembershipState } from '../../core/machines/membership.ts';

/** One member as `hive-members` lists it. `joined_at` is unix seconds. */
export interface MemberView {
  readonly node_id: string;
  readonly tier: MemberRecord['tier'];
  readonly joined_at: number;
  /** The member that admitted it and how (its signed admission proof); null for the founder and rows without a proof. */
  readonly admitted_by: string | null;
  readonly via: 'ticket' | 'channel' | null;
}

/** Members ordered by node id. */
export function memberViews(m: MembershipState): MemberView[] {
  return [...m.members.values()]
    .sort((a, b) => (a.node_id < b.node_id ? -1 : a.node_id > b.node_id ? 1 : 0))
    .map((r) => ({ node_id: r.node_id, tier: r.tier, joined_at: r.joined_at, admitted_by: r.admission?.by ?? null, via: r.admission?.via ?? null }));
}
