/**
 * Where the demo's fleet nodes meet the real network: which real 2026-02-03 mainnet nodes each
 * fleet node opens simulated channels to, chosen deterministically from the graph so the planner
 * has real topology to judge. Each fleet node attaches to big hubs (the fleet's share there stays
 * tiny) and to mid-sized routing nodes (1–2 BTC public capacity) that several fleet nodes share,
 * so the planner's report shows saturated targets next to underserved ones. Pure.
 */
import type { Graph } from '../core/graph/graph.ts';

/** One simulated channel from a fleet node to a real node. */
export interface Attachment {
  /** Index of the fleet node (0 = A). */
  readonly fleet_index: number;
  readonly target: string;
  readonly capacity_sat: number;
}

/** Capacity of a fleet channel to a hub, sat. */
const HUB_CHANNEL_SAT = 50_000_000;
/** Capacity of a fleet channel to a mid-sized node, sat. */
const MID_CHANNEL_SAT = 25_000_000;
/** Public capacity range of the mid-sized targets, sat (1–2 BTC: the planner's minimum target size and up). */
const MID_RANGE_SAT = [100_000_000, 200_000_000] as const;
/** A mid-sized target must have at least this many active channels (a routing node, not a leaf). */
const MID_MIN_CHANNELS = 10;

/**
 * Which real node gets a channel from which fleet node (for three fleet nodes):
 * A: hubs 0, 1 and mids 0, 1, 2; B: hub 0 and mids 0, 1, 3; C: hub 1 and mids 0, 2, 4.
 */
const PLAN: readonly { readonly hubs: readonly number[]; readonly mids: readonly number[] }[] = [
  { hubs: [0, 1], mids: [0, 1, 2] },
  { hubs: [0], mids: [0, 1, 3] },
  { hubs: [1], mids: [0, 2, 4] },
];

/**
 * The attachments for a three-node fleet on `g`.
 * @returns channels to open; fewer when the graph has fewer suitable nodes (a reduced test graph).
 */
export function chooseAttachments(g: Graph): Attachment[] {
  const byCapacity = [...Array(g.nodeCount).keys()].sort((x, y) => g.activeCapacitySat[y]! - g.activeCapacitySat[x]! || (g.nodeIds[x]! < g.nodeIds[y]! ? -1 : 1));
  const hubs = byCapacity.slice(0, 2);
  const mids = byCapacity.filter((n) => {
    const cap = g.activeCapacitySat[n]!;
    return cap >= MID_RANGE_SAT[0] && cap <= MID_RANGE_SAT[1] && g.activeChannelCount[n]! >= MID_MIN_CHANNELS;
  });
  const out: Attachment[] = [];
  PLAN.forEach((p, fleet_index) => {
    for (const h of p.hubs) if (hubs[h] !== undefined) out.push({ fleet_index, target: g.nodeIds[hubs[h]]!, capacity_sat: HUB_CHANNEL_SAT });
    for (const m of p.mids) if (mids[m] !== undefined) out.push({ fleet_index, target: g.nodeIds[mids[m]]!, capacity_sat: MID_CHANNEL_SAT });
  });
  return out;
}
