/**
 * How long a target has been in the graph, from its channels' short_channel_id block heights against
 * the current block height (spec 003 §2.2 age check). Unknown when the graph's scids are synthetic
 * (the gossmap-compressed snapshot) or below the first block a channel can have: the planner then
 * never proposes the target. `aged_capacity_sat` counts only channels at least `min_age_days` old, so
 * a node with one old stub channel and large fresh self-funded capacity does not pass as "old and big".
 */
import { BLOCKS_PER_DAY } from './config.ts';
import { channelActive, type Graph } from '../graph/graph.ts';

/** Age figures of one node. `null` = unknown. */
export interface TargetAge {
  /** Days since the node's oldest active channel confirmed. */
  readonly age_days: number | null;
  /** Capacity (sat) of active channels at least `min_age_days` old. */
  readonly aged_capacity_sat: number | null;
}

/** Age of node `n` at `blockheight`; scids below `minPlausibleBlock` count as unknown. */
export function targetAge(g: Graph, n: number, blockheight: number, minAgeDays: number, minPlausibleBlock: number): TargetAge {
  if (g.scids !== 'real') return { age_days: null, aged_capacity_sat: null };
  const agedBefore = blockheight - minAgeDays * BLOCKS_PER_DAY;
  let oldest = Number.POSITIVE_INFINITY;
  let aged = 0;
  for (let k = g.adjStart[n]!; k < g.adjStart[n + 1]!; k++) {
    const c = g.adjChannel[k]!;
    if (!channelActive(g, c)) continue;
    const block = g.scidBlock[c]!;
    if (block < minPlausibleBlock || block > blockheight) continue;
    oldest = Math.min(oldest, block);
    if (block <= agedBefore) aged += g.capacitySat[c]!;
  }
  if (oldest === Number.POSITIVE_INFINITY) return { age_days: null, aged_capacity_sat: null };
  return { age_days: (blockheight - oldest) / BLOCKS_PER_DAY, aged_capacity_sat: aged };
}

/** The newest real scid block in the graph (the snapshot's approximate tip), or null for synthetic scids. */
export function newestScidBlock(g: Graph, minPlausibleBlock: number): number | null {
  if (g.scids !== 'real') return null;
  let max = -1;
  for (const b of g.scidBlock) if (b >= minPlausibleBlock && b > max) max = b;
  return max < 0 ? null : max;
}
