/**
 * `hive-status` and `hive-members`: this node's hive, tier, joins in progress, open challenges
 * and the approval waiting on the signer button; the member list with its membership hash.
 */
import type { EngineCore } from '../engine-core.ts';
import type { PendingApprovalView } from '../approvals.ts';
import { MANIFEST_VERSION } from '../config.ts';
import { memberViews, membershipHashOf, type MemberView } from '../membership-view.ts';
import { NoParams, parseParams } from './params.ts';

/** Result of `hive-status`. */
export interface StatusResult {
  readonly node_id: string;
  readonly version: string;
  /** null before genesis or a completed join. */
  readonly hive_id: string | null;
  readonly tier: 'member' | 'neophyte' | null;
  readonly member_count: number;
  readonly membership_hash: string | null;
  /** Joins this node has in progress (candidate side). `started_at` unix seconds. */
  readonly joins: readonly { readonly member_id: string; readonly phase: string; readonly started_at: number }[];
  /** Challenges this node issued that are still open (member side). */
  readonly open_challenges: number;
  /** The approval waiting for the signer button, or null. */
  readonly pending_approval: PendingApprovalView | null;
}

/** Result of `hive-members`. */
export interface MembersResult {
  readonly hive_id: string | null;
  readonly members: readonly MemberView[];
  readonly membership_hash: string | null;
}

/** Run `hive-status`. @throws RpcFailure (invalidParams). */
export function statusCommand(core: EngineCore, params: Record<string, unknown>): StatusResult {
  const p = parseParams('hive-status', NoParams, params);
  if (!p.ok) throw p.error;
  const s = core.state();
  const hive = s.membership.hive;
  return {
    node_id: core.our_node_id,
    version: MANIFEST_VERSION,
    hive_id: hive?.hive_id ?? null,
    tier: hive?.our_role ?? null,
    member_count: s.membership.members.size,
    membership_hash: hive ? membershipHashOf(s.membership) : null,
    joins: [...s.joins.values()].map((j) => ({ member_id: j.member_id, phase: j.phase, started_at: j.started_at })),
    open_challenges: s.membership.challenges.size,
    pending_approval: core.approvals.view(),
  };
}

/** Run `hive-members`. @throws RpcFailure (invalidParams). */
export function membersCommand(core: EngineCore, params: Record<string, unknown>): MembersResult {
  const p = parseParams('hive-members', NoParams, params);
  if (!p.ok) throw p.error;
  const m = core.state().membership;
  return { hive_id: m.hive?.hive_id ?? null, members: memberViews(m), membership_hash: m.hive ? membershipHashOf(m) : null };
}
