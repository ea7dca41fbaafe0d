/**
 * `hive-status` and `hive-members`: this node's hive, tier, fleet and membership hashes, joins in
 * progress, open challenges, pending actions, the planner's summary, ignored peers and the approval
 * waiting on the signer button; the member list with its membership hash and each neophyte's
 * vouches against the promotion quorum.
 */
import type { InboundStatus } from '../../../../services/daemon-ipc/inbound-budget.ts';
import { currentFleetHash } from '../../../core/machines/gossip.ts';
import { currentMembershipHash } from '../../../core/machines/state-sync.ts';
import type { EngineCore } from '../engine-core.ts';
import type { PendingApprovalView } from '../approvals.ts';
import { MANIFEST_VERSION } from '../config.ts';
import { memberViews, type MemberView } from '../membership-view.ts';
import { plannerSummaryView, type PlannerSummaryView } from '../../planner/planner-status.ts';
import { promotionView, type PromotionView } from './governance.ts';
import { NoParams, parseParams } from './params.ts';

/** Result of `hive-status`. */
export interface StatusResult {
  readonly node_id: string;
  readonly version: string;
  /** null before genesis or a completed join. */
  readonly hive_id: string | null;
  /** Our tier; null when we are in no hive, or left it / were removed from it (hive_id then names it). */
  readonly tier: 'member' | 'neophyte' | null;
  readonly member_count: number;
  readonly membership_hash: string | null;
  /** The fleet hash of the gossiped states (cl-hive STATE_HASH `fleet_hash`). */
  readonly fleet_hash: string | null;
  /** Members' states held (ours included). */
  readonly fleet_states: number;
  /** GOSSIP kept until its sender is admitted or its channels are announced (core/machines/pending-gossip.ts). */
  readonly pending_gossip: number;
  /** Joins this node has in progress (candidate side). `started_at` unix seconds. */
  readonly joins: readonly { readonly member_id: string; readonly phase: string; readonly started_at: number }[];
  /** Challenges this node issued that are still open (member side). */
  readonly open_challenges: number;
  /** Actions waiting for the operator (`hivebox actions`, advisor mode: planner proposals and fleet intents). */
  readonly pending_actions: number;
  /** The planner: next run, last cycle, switches, mass-saturation events, top hive_share targets. */
  readonly planner: PlannerSummaryView;
  /** External peers on the fleet's global ignore list. */
  readonly ignored_peers: readonly string[];
  /** Messages received of Hive types Hivebox does not implement (cl-hive extras), per type; never answered. */
  readonly unhandled_types: Readonly<Record<string, number>>;
  /** The approval waiting for the signer button, or null. */
  readonly pending_approval: PendingApprovalView | null;
  /** Inbound budgets and drops, added by the daemon (services/daemon-ipc/inbound-budget.ts); absent outside one. */
  readonly inbound?: InboundStatus;
}

/** Result of `hive-members`. */
export interface MembersResult {
  readonly hive_id: string | null;
  readonly members: readonly MemberView[];
  readonly membership_hash: string | null;
  /** Each neophyte's latest promotion request, its counted vouches and the quorum it needs. */
  readonly promotions: readonly PromotionView[];
}

/** Run `hive-status`. @throws RpcFailure (invalidParams). */
export function statusCommand(core: EngineCore, params: Record<string, unknown>): StatusResult {
  const p = parseParams('hive-status', NoParams, params);
  if (!p.ok) throw p.error;
  const { handshake, fleet } = core.state();
  const hive = fleet.membership.hive;
  return {
    node_id: core.our_node_id,
    version: MANIFEST_VERSION,
    hive_id: hive?.hive_id ?? null,
    tier: fleet.membership.members.get(core.our_node_id)?.tier ?? null,
    member_count: fleet.membership.members.size,
    membership_hash: hive ? currentMembershipHash(fleet) : null,
    fleet_hash: hive ? currentFleetHash(fleet) : null,
    fleet_states: fleet.tables.states.size,
    pending_gossip: fleet.pending_gossip.size,
    joins: [...handshake.joins.values()].map((j) => ({ member_id: j.member_id, phase: j.phase, started_at: j.started_at })),
    open_challenges: fleet.membership.challenges.size,
    pending_actions: core.planner.actions().length,
    planner: plannerSummaryView(core.planner.status()),
    ignored_peers: core.ignoredPeers(),
    unhandled_types: core.unhandledTypes(),
    pending_approval: core.approvals.view(),
  };
}

/** Run `hive-members`. @throws RpcFailure (invalidParams). */
export function membersCommand(core: EngineCore, params: Record<string, unknown>): MembersResult {
  const p = parseParams('hive-members', NoParams, params);
  if (!p.ok) throw p.error;
  const state = core.state();
  const fleet = state.fleet;
  const members = memberViews(fleet.membership);
  const promotions = members.filter((m) => m.tier === 'neophyte').map((m) => promotionView(state, m.node_id, core.now()));
  return { hive_id: fleet.membership.hive?.hive_id ?? null, members, membership_hash: fleet.membership.hive ? currentMembershipHash(fleet) : null, promotions };
}
