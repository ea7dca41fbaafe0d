/**
 * Test helper: small fleets and targets with chosen shares. Members are nodes 0..2 (node 0 runs the
 * planner); target k is node 10 + k with a member channel of `fleet_sat` (from member `member`, default
 * 0) and an outside channel of `other_sat` to its own node 1000 + k.
 */
import type { Graph } from '../../runtime/core/graph/graph.ts';
import type { CycleInput } from '../../runtime/core/planner/cycle.ts';
import { nodeId, smallGraph, type TestChannel } from './small-graph.ts';

/** Block height used as "now" in scenarios. */
export const TIP = 900_000;

/** One target of a scenario. */
export interface TargetSpec {
  readonly fleet_sat: number;
  readonly other_sat: number;
  readonly member?: number;
  /** scid block of the target's channels (default: a year before TIP). */
  readonly block?: number;
}

/** Node index of target k. */
export const targetNode = (k: number) => 10 + k;

/** Build the graph: members 0..2 connected to each other, plus the targets. */
export function scenarioGraph(targets: readonly TargetSpec[], extra: readonly TestChannel[] = [], scids: 'real' | 'synthetic' = 'real'): Graph {
  const old = TIP - 365 * 144;
  const channels: TestChannel[] = [
    { a: 0, b: 1, capacity_sat: 10_000_000, block: old },
    { a: 1, b: 2, capacity_sat: 10_000_000, block: old },
  ];
  targets.forEach((t, k) => {
    if (t.fleet_sat > 0) channels.push({ a: t.member ?? 0, b: targetNode(k), capacity_sat: t.fleet_sat, block: t.block ?? old });
    channels.push({ a: targetNode(k), b: 1000 + k, capacity_sat: t.other_sat, block: t.block ?? old });
  });
  return smallGraph(1000 + targets.length, [...channels, ...extra], scids);
}

/** Cycle input for `graph` with the three members, generous funds and a low feerate. */
export function scenarioInput(graph: Graph, over: Partial<CycleInput> = {}): CycleInput {
  return {
    graph,
    self_node_id: nodeId(0),
    members: [0, 1, 2].map((i) => ({ node_id: nodeId(i) })),
    blockheight: TIP,
    feerate_perkb: 1000,
    clboss_present: false,
    onchain_available_sat: 100_000_000,
    ...over,
  };
}

/** A target with hive_share `share` and `total_sat` public capacity. */
export function withShare(share: number, total_sat = 500_000_000, more: Partial<TargetSpec> = {}): TargetSpec {
  const fleet = Math.round(total_sat * share);
  return { fleet_sat: fleet, other_sat: total_sat - fleet, ...more };
}
