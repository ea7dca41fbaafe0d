/**
 * hive_share over the whole graph (spec 003 §3.1, clhive-protocol.md §7):
 *
 *   public capacity of T = Σ capacity of T's active public channels
 *   fleet capacity to T  = Σ over full members M whose topology contains T of
 *                          min(M's claimed capacity, max capacity of one active public channel M–T)
 *   hive_share(T)        = fleet capacity / public capacity (0 when public capacity is 0)
 *
 * Capacity claimed in gossip is never trusted: a member with no public channel to T adds 0 however
 * much it claims. A channel is active when either direction is enabled (order-independent, unlike
 * cl-hive which takes whichever listchannels entry came first). One pass per member over its
 * adjacency, so a full cycle is O(members × degree + nodes).
 */
import { channelActive, type Graph, otherEnd } from '../graph/graph.ts';

/** A fleet member as the planner sees it (from the membership table and the member's GOSSIP state). */
export interface FleetMember {
  readonly node_id: string;
  /** Only `member` (full) tier counts toward fleet capacity; default `member`. */
  readonly tier?: 'member' | 'neophyte';
  /** Gossiped peer node ids (HivePeerState.topology); absent = the member's peers in the graph. */
  readonly topology?: readonly string[];
  /** Gossiped capacity claim in sat (HivePeerState.capacity_sats); absent = no claim beyond the graph. */
  readonly capacity_sats?: number;
}

/** Fleet figures for every node of one graph. */
export interface FleetShares {
  /** Per node: clamped fleet capacity (sat). */
  readonly fleetCapacitySat: Float64Array;
  /** Per node: number of counted members with a public channel to it. */
  readonly membersConnected: Uint16Array;
  /** Per node: 1 when the node is a fleet member (never a target). */
  readonly isMember: Uint8Array;
  /** Counted (full-tier) members found in the graph, as node indexes. */
  readonly memberIndexes: readonly number[];
  /** Member node ids not present in the graph (they contribute nothing). */
  readonly membersNotInGraph: readonly string[];
  /** Number of full-tier members (the coverage denominator). */
  readonly fullMemberCount: number;
}

/** Compute fleet capacity per target for `members` over `g`. */
export function fleetShares(g: Graph, members: readonly FleetMember[]): FleetShares {
  const fleetCapacitySat = new Float64Array(g.nodeCount);
  const membersConnected = new Uint16Array(g.nodeCount);
  const isMember = new Uint8Array(g.nodeCount);
  const pairMax = new Float64Array(g.nodeCount);
  const memberIndexes: number[] = [];
  const membersNotInGraph: string[] = [];
  let fullMemberCount = 0;

  for (const m of members) {
    const n = g.nodeIndex.get(m.node_id);
    if (n !== undefined) isMember[n] = 1;
  }
  for (const m of members) {
    if ((m.tier ?? 'member') !== 'member') continue;
    fullMemberCount++;
    const mi = g.nodeIndex.get(m.node_id);
    if (mi === undefined) {
      membersNotInGraph.push(m.node_id);
      continue;
    }
    memberIndexes.push(mi);
    const claimed = m.capacity_sats ?? Number.POSITIVE_INFINITY;
    const topology = m.topology ? new Set(m.topology) : null;
    const touched: number[] = [];
    for (let k = g.adjStart[mi]!; k < g.adjStart[mi + 1]!; k++) {
      const c = g.adjChannel[k]!;
      if (!channelActive(g, c)) continue;
      const t = otherEnd(g, c, mi);
      if (pairMax[t] === 0) touched.push(t);
      pairMax[t] = Math.max(pairMax[t]!, g.capacitySat[c]!);
    }
    for (const t of touched) {
      if (!topology || topology.has(g.nodeIds[t]!)) {
        fleetCapacitySat[t]! += Math.min(claimed, pairMax[t]!);
        membersConnected[t]!++;
      }
      pairMax[t] = 0;
    }
  }
  return { fleetCapacitySat, membersConnected, isMember, memberIndexes, membersNotInGraph, fullMemberCount };
}

/** hive_share of node `t`: fleet capacity ÷ public capacity, 0 when the target has no active capacity. */
export function hiveShare(g: Graph, s: FleetShares, t: number): number {
  const pub = g.activeCapacitySat[t]!;
  return pub > 0 ? s.fleetCapacitySat[t]! / pub : 0;
}
