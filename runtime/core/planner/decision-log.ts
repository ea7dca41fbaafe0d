/**
 * The decision log every cycle writes (issue 7 §3; cl-hive `hive_planner_log`): for each target
 * considered, its figures and the rule that decided, plus the cycle's gates and liquidity decisions.
 * `explain` answers "why not this one?" for any node id. Pure.
 */
import type { Graph } from '../graph/graph.ts';
import type { TargetFigures } from './analysis.ts';
import type { GovernanceMode } from './config.ts';

/** The rule that decided a target, as a stable code (the text in `rule` says it with numbers). */
export type TargetReason =
  | 'saturation_guard_proposed'
  | 'saturation_guard_applied'
  | 'saturation_cap_reached'
  | 'already_guarded'
  | 'guard_held_hysteresis'
  | 'release_proposed'
  | 'release_applied'
  | 'share_between_thresholds'
  | 'expansion_proposed'
  | 'age_unknown'
  | 'too_young'
  | 'young_capacity'
  | 'already_connected'
  | 'coverage_majority'
  | 'pending_action'
  | 'pending_intent'
  | 'rejected_recently'
  | 'expansions_disabled'
  | 'feerate_above_ceiling'
  | 'feerate_unknown'
  | 'insufficient_liquidity'
  | 'intent_cap_reached'
  | 'cycle_aborted';

/** One target's entry. */
export interface TargetDecision extends TargetFigures {
  readonly reason: TargetReason;
  /** The rule in words, with the figures that decided (e.g. "hive_share 23.1 % ≥ 20 %"). */
  readonly rule: string;
  readonly action_id?: string;
}

/** One liquidity decision (push rebalance or splice; proposed or skipped). */
export interface LiquidityDecision {
  readonly kind: 'push_rebalance' | 'splice_reallocation';
  readonly member: string;
  readonly short_channel_id: string;
  readonly proposed: boolean;
  readonly rule: string;
  readonly action_id?: string;
}

/** A liquidity step's output: the decision, and the proposal when it proposes one. */
export interface LiquidityItem<P> {
  readonly decision: LiquidityDecision;
  readonly proposal?: P;
}

/** The log of one cycle. */
export interface DecisionLog {
  readonly cycle_id: string;
  readonly at: number;
  readonly blockheight: number;
  readonly outcome: 'completed' | 'aborted_mass_saturation';
  readonly graph: { readonly nodes: number; readonly channels: number; readonly scids: 'real' | 'synthetic' };
  readonly members: readonly string[];
  readonly members_not_in_graph: readonly string[];
  readonly gates: {
    readonly governance_mode: GovernanceMode;
    readonly expansions_enabled: boolean;
    readonly feerate_perkb: number | null;
    readonly max_expansion_feerate_perkb: number;
    readonly clboss_present: boolean;
  };
  readonly counts: {
    readonly saturated: number;
    readonly new_saturated: number;
    /** Guard actions (guards + releases) the cycle would take; above the breaker limit it aborts instead. */
    readonly guard_actions: number;
    readonly guards: number;
    readonly releases: number;
    readonly underserved: number;
    readonly expansions_proposed: number;
    readonly liquidity_proposed: number;
  };
  /** Every target with at least the minimum target capacity, plus guarded ones. */
  readonly targets: readonly TargetDecision[];
  readonly liquidity: readonly LiquidityDecision[];
}

/** The answer to "why (not) this node?". */
export type Explanation =
  | { readonly node_id: string; readonly found: 'decision'; readonly decision: TargetDecision; readonly cycle_id: string }
  | { readonly node_id: string; readonly found: 'member'; readonly rule: string }
  | { readonly node_id: string; readonly found: 'below_min_capacity'; readonly public_capacity_sat: number; readonly rule: string }
  | { readonly node_id: string; readonly found: 'not_in_graph'; readonly rule: string }
  | { readonly node_id: string; readonly found: 'no_cycle'; readonly rule: string };

/**
 * Explain the last cycle's decision about `node_id`. With the graph, nodes the cycle did not consider
 * are explained by their figures (below the minimum target capacity, or absent from the graph).
 */
export function explain(log: DecisionLog | null, nodeId: string, graph?: Graph, minTargetCapacitySat?: number): Explanation {
  if (!log) return { node_id: nodeId, found: 'no_cycle', rule: 'the planner has not run a cycle yet' };
  const decision = log.targets.find((t) => t.node_id === nodeId);
  if (decision) return { node_id: nodeId, found: 'decision', decision, cycle_id: log.cycle_id };
  if (log.members.includes(nodeId)) return { node_id: nodeId, found: 'member', rule: 'a fleet member is never a target' };
  const n = graph?.nodeIndex.get(nodeId);
  if (graph && n !== undefined) {
    const pub = graph.activeCapacitySat[n]!;
    const min = minTargetCapacitySat ?? 0;
    return {
      node_id: nodeId,
      found: 'below_min_capacity',
      public_capacity_sat: pub,
      rule: `not considered: public capacity ${formatSat(pub)} is below the ${formatSat(min)} minimum target capacity (spec 003 §2.2)`,
    };
  }
  return { node_id: nodeId, found: 'not_in_graph', rule: 'not in the public graph (no active public channel)' };
}

/** "1.23 BTC" above 0.01 BTC, otherwise "123,456 sat". */
export function formatSat(sat: number): string {
  return sat >= 1_000_000 ? `${(sat / 1e8).toFixed(2)} BTC` : `${Math.round(sat).toLocaleString('en-US')} sat`;
}

/** "12.3 %". */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}
