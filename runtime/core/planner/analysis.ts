/**
 * One pass of analysis over the graph for a fleet: hive_share of every node, then the saturated,
 * underserved and top-share target lists (spec 003 §2–3). Shared by the planner cycle and the
 * `hivebox plan` report. Pure.
 */
import type { Graph } from '../graph/graph.ts';
import { targetAge } from './age.ts';
import type { PlannerConfig } from './config.ts';
import { type FleetMember, type FleetShares, fleetShares, hiveShare } from './share.ts';

/** The figures behind every decision about one target. */
export interface TargetFigures {
  readonly node_id: string;
  readonly alias: string;
  /** Σ active public channel capacity of the target (sat). */
  readonly public_capacity_sat: number;
  /** Clamped fleet capacity to the target (sat). */
  readonly fleet_capacity_sat: number;
  /** fleet_capacity_sat ÷ public_capacity_sat (0..1). */
  readonly hive_share: number;
  readonly active_channels: number;
  readonly members_connected: number;
  /** Days in the graph (oldest channel), null = unknown (synthetic or implausible scids). */
  readonly age_days: number | null;
  /** Capacity of channels older than the age threshold (sat), null = unknown. */
  readonly aged_capacity_sat: number | null;
}

/** Analysis result; lists hold node indexes, best first. */
export interface Analysis {
  readonly graph: Graph;
  readonly shares: FleetShares;
  readonly blockheight: number;
  /** Non-member targets with at least `saturation_min_target_capacity_sat`, by hive_share then capacity. */
  readonly ranked: readonly number[];
  /** hive_share ≥ saturation_share_min (subset of `ranked`). */
  readonly saturated: readonly number[];
  /** hive_share < underserved_share_below, capacity ≥ minimum, not known to be younger than the minimum age; by score. */
  readonly underserved: readonly number[];
  /** Targets left out of `underserved` only because their known age is below the minimum. */
  readonly tooYoung: readonly number[];
  /** Figures of node `n`. */
  figures(n: number): TargetFigures;
}

/** cl-hive's competition factor: targets with many channels gain less from one more (clhive-protocol.md §7). */
export function competitionFactor(activeChannels: number): number {
  if (activeChannels < 30) return 1;
  if (activeChannels < 100) return 0.85;
  if (activeChannels < 200) return 0.65;
  return 0.5;
}

/** Expansion score of an underserved target: capacity in BTC × (1 − share) × competition factor. */
export function underservedScore(f: TargetFigures): number {
  return (f.public_capacity_sat / 1e8) * (1 - f.hive_share) * competitionFactor(f.active_channels);
}

/** Analyse `g` for `members` at `blockheight` (the node's getinfo height, or the snapshot's newest scid). */
export function analyze(g: Graph, members: readonly FleetMember[], cfg: PlannerConfig, blockheight: number): Analysis {
  const shares = fleetShares(g, members);
  const figures = (n: number): TargetFigures => {
    const age = targetAge(g, n, blockheight, cfg.underserved_min_target_age_days, cfg.min_plausible_scid_block);
    return {
      node_id: g.nodeIds[n]!,
      alias: g.aliases[n] ?? '',
      public_capacity_sat: g.activeCapacitySat[n]!,
      fleet_capacity_sat: shares.fleetCapacitySat[n]!,
      hive_share: hiveShare(g, shares, n),
      active_channels: g.activeChannelCount[n]!,
      members_connected: shares.membersConnected[n]!,
      ...age,
    };
  };
  const ranked: number[] = [];
  const underservedFigures: TargetFigures[] = [];
  const underservedIdx: number[] = [];
  const tooYoung: number[] = [];
  for (let n = 0; n < g.nodeCount; n++) {
    if (shares.isMember[n]) continue;
    const pub = g.activeCapacitySat[n]!;
    if (pub >= cfg.saturation_min_target_capacity_sat) ranked.push(n);
    if (pub < cfg.underserved_min_target_capacity_sat || hiveShare(g, shares, n) >= cfg.underserved_share_below) continue;
    const f = figures(n);
    if (f.age_days !== null && f.age_days < cfg.underserved_min_target_age_days) {
      tooYoung.push(n);
      continue;
    }
    underservedFigures.push(f);
    underservedIdx.push(n);
  }
  ranked.sort((a, b) => hiveShare(g, shares, b) - hiveShare(g, shares, a) || g.activeCapacitySat[b]! - g.activeCapacitySat[a]! || a - b);
  const saturated = ranked.filter((n) => hiveShare(g, shares, n) >= cfg.saturation_share_min);
  const order = underservedIdx.map((n, i) => ({ n, score: underservedScore(underservedFigures[i]!) }));
  order.sort((a, b) => b.score - a.score || a.n - b.n);
  return { graph: g, shares, blockheight, ranked, saturated, underserved: order.map((o) => o.n), tooYoung, figures };
}
