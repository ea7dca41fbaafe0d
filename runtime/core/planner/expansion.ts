/**
 * Expansion step (spec 003 §2.2–2.3): walk underserved targets best score first and apply the gates in
 * order — age known and ≥ minimum, aged capacity ≥ minimum (sybil), not already connected, member
 * coverage below the majority, no pending action / intent, no recent rejection, expansions enabled,
 * feerate at or below the ceiling, fundable — and propose at most one channel open per cycle.
 * Every target gets the first gate it failed as its reason.
 */
import type { Analysis, TargetFigures } from './analysis.ts';
import { actionTarget } from './actions.ts';
import { channelSizeSat } from './channel-size.ts';
import { MAX_EXPANSION_INTENTS_PER_CYCLE, type PlannerConfig } from './config.ts';
import { formatSat, formatShare, type TargetReason } from './decision-log.ts';
import type { PlannerState } from './state.ts';
import type { UnixSeconds } from '../types.ts';

/** Facts from outside the graph the gates need. */
export interface ExpansionContext {
  readonly self_node_id: string;
  /** Peers we already have (or are opening) a channel with (listpeerchannels), beyond the graph. */
  readonly our_peer_ids: readonly string[];
  /** Targets with a pending channel_open intent, ours or another member's (Intent Lock Protocol state). */
  readonly pending_intent_targets: readonly string[];
  /** `feerates perkb` opening feerate (sat/kB); null when it could not be read. */
  readonly feerate_perkb: number | null;
  /** Our confirmed on-chain funds (sat). */
  readonly onchain_available_sat: number;
}

/** One underserved target's verdict. */
export interface ExpansionVerdict {
  readonly node: number;
  readonly reason: TargetReason;
  readonly rule: string;
  readonly amount_sat?: number;
}

/** The on-chain feerate gate: open when disabled (ceiling 0) or when the known feerate is at or below the ceiling. */
export function feerateGateOpen(cfg: Pick<PlannerConfig, 'max_expansion_feerate_perkb'>, feeratePerkb: number | null): boolean {
  return cfg.max_expansion_feerate_perkb === 0 || (feeratePerkb !== null && feeratePerkb <= cfg.max_expansion_feerate_perkb);
}

/** Gate every underserved target; at most MAX_EXPANSION_INTENTS_PER_CYCLE get `expansion_proposed`. */
export function expansionStep(a: Analysis, state: PlannerState, ctx: ExpansionContext, cfg: PlannerConfig, now_s: UnixSeconds): ExpansionVerdict[] {
  const g = a.graph;
  const self = g.nodeIndex.get(ctx.self_node_id);
  const ourPeers = new Set(ctx.our_peer_ids);
  if (self !== undefined) for (let k = g.adjStart[self]!; k < g.adjStart[self + 1]!; k++) {
    const c = g.adjChannel[k]!;
    ourPeers.add(g.nodeIds[g.node1[c] === self ? g.node2[c]! : g.node1[c]!]!);
  }
  const pendingTargets = new Set(state.pending.map((p) => actionTarget(p.proposal)));
  const intentTargets = new Set(ctx.pending_intent_targets);
  const feeGateOpen = feerateGateOpen(cfg, ctx.feerate_perkb);
  let proposed = 0;

  const gate = (n: number, f: TargetFigures): ExpansionVerdict => {
    const id = f.node_id;
    const v = (reason: TargetReason, rule: string): ExpansionVerdict => ({ node: n, reason, rule });
    const base = `hive_share ${formatShare(f.hive_share)} < ${formatShare(cfg.underserved_share_below)}, public capacity ${formatSat(f.public_capacity_sat)}`;
    if (f.age_days === null || f.aged_capacity_sat === null) return v('age_unknown', `${base}; age unknown (the graph's short_channel_ids are synthetic or implausible), so it is never proposed`);
    if (f.age_days < cfg.underserved_min_target_age_days) return v('too_young', `${base}; in the graph for ${f.age_days.toFixed(1)} days < ${cfg.underserved_min_target_age_days}`);
    if (f.aged_capacity_sat < cfg.underserved_min_target_capacity_sat) {
      return v('young_capacity', `${base}; only ${formatSat(f.aged_capacity_sat)} of it is older than ${cfg.underserved_min_target_age_days} days (< ${formatSat(cfg.underserved_min_target_capacity_sat)})`);
    }
    if (ourPeers.has(id)) return v('already_connected', `${base}; we already have a channel with it`);
    if (a.shares.fullMemberCount > 0 && f.members_connected / a.shares.fullMemberCount >= cfg.underserved_max_member_coverage) {
      return v('coverage_majority', `${base}; ${f.members_connected} of ${a.shares.fullMemberCount} members already connected`);
    }
    if (pendingTargets.has(id)) return v('pending_action', `${base}; an action for it is already pending`);
    if (intentTargets.has(id)) return v('pending_intent', `${base}; a channel_open intent for it is pending`);
    const rejectedAt = state.rejections[id];
    if (rejectedAt !== undefined && now_s - rejectedAt < cfg.rejection_backoff_s) {
      return v('rejected_recently', `${base}; rejected at ${rejectedAt}, backoff until ${rejectedAt + cfg.rejection_backoff_s}`);
    }
    if (!cfg.planner_enable_expansions) return v('expansions_disabled', `${base}; expansions are disabled (planner_enable_expansions = false)`);
    if (!feeGateOpen) {
      return ctx.feerate_perkb === null
        ? v('feerate_unknown', `${base}; the on-chain feerate could not be read`)
        : v('feerate_above_ceiling', `${base}; feerate ${ctx.feerate_perkb} sat/kB > ceiling ${cfg.max_expansion_feerate_perkb}`);
    }
    const size = channelSizeSat(f.public_capacity_sat, f.fleet_capacity_sat, ctx.onchain_available_sat, cfg);
    if (size === null) return v('insufficient_liquidity', `${base}; on-chain ${formatSat(ctx.onchain_available_sat)} minus reserve cannot fund ${formatSat(cfg.min_channel_sat)}`);
    if (proposed >= MAX_EXPANSION_INTENTS_PER_CYCLE) return v('intent_cap_reached', `${base}; one expansion intent per cycle already proposed`);
    proposed++;
    return { node: n, reason: 'expansion_proposed', rule: `${base}; age ${f.age_days.toFixed(0)} days; open ${formatSat(size)}`, amount_sat: size };
  };
  return a.underserved.map((n) => gate(n, a.figures(n)));
}
