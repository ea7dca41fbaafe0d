/**
 * Saturation guard with hysteresis and its two safety valves (spec 003 §2.1, §3): a target at or above
 * the saturation share gets a guard, released only once its share falls below the release share; at
 * most `saturation_max_new_actions_per_cycle` new guards per cycle, and a cycle that would take more than
 * `saturation_abort_above_new_targets` guard actions (guards plus releases, after the cap) aborts
 * ("mass saturation detected", 003 §3 "if the Planner ignores > 10 peers in a single cycle"). Targets
 * already guarded, pending or recently rejected are not new. Counting the actions, not the saturated
 * targets, lets a well-connected fleet (64 saturated targets on the 2026 graph) guard them 5 per cycle
 * instead of aborting every cycle forever; inflated gossip is stopped by the capacity clamp and the cap.
 * Upstream CLBoss (v0.15.1) has no `clboss-ignore`: the only lever is `clboss-unmanage <peer> lnfee`
 * (fee control); CLBoss's own channel opens cannot be stopped, only the fleet's (through the Intent
 * Lock Protocol and these guards, which the expansion step respects).
 */
import type { Analysis } from './analysis.ts';
import type { PlannerConfig } from './config.ts';
import { formatShare } from './decision-log.ts';
import { actionTarget } from './actions.ts';
import { hiveShare } from './share.ts';
import type { PlannerState } from './state.ts';
import type { UnixSeconds } from '../types.ts';

/** Per-target saturation outcome. */
export interface SaturationVerdict {
  readonly node: number;
  readonly outcome: 'guard' | 'deferred' | 'already_guarded' | 'pending_action' | 'rejected_recently' | 'release' | 'held';
  readonly rule: string;
}

/** Saturation step result: either the verdicts, or the abort. */
export type SaturationStep =
  | { readonly aborted: false; readonly verdicts: readonly SaturationVerdict[]; readonly newSaturated: number; readonly releasedGone: readonly string[] }
  | { readonly aborted: true; readonly newSaturated: number; readonly guardActions: number };

/** Decide guards and releases for this cycle (pure; the cycle turns verdicts into actions / effects). */
export function saturationStep(a: Analysis, state: PlannerState, cfg: PlannerConfig, now_s: UnixSeconds): SaturationStep {
  const g = a.graph;
  const pendingTargets = new Set(state.pending.map((p) => actionTarget(p.proposal)));
  const share = (n: number) => hiveShare(g, a.shares, n);
  const newSat: number[] = [];
  const verdicts: SaturationVerdict[] = [];
  for (const n of a.saturated) {
    const id = g.nodeIds[n]!;
    const rule = `hive_share ${formatShare(share(n))} ≥ ${formatShare(cfg.saturation_share_min)}`;
    if (state.guarded[id]) verdicts.push({ node: n, outcome: 'already_guarded', rule: `${rule}; guarded since ${state.guarded[id].since}` });
    else if (pendingTargets.has(id)) verdicts.push({ node: n, outcome: 'pending_action', rule: `${rule}; a guard action is already pending` });
    else if (now_s - (state.rejections[id] ?? Number.NEGATIVE_INFINITY) < cfg.rejection_backoff_s) {
      verdicts.push({ node: n, outcome: 'rejected_recently', rule: `${rule}; the operator rejected a guard at ${state.rejections[id]}` });
    } else newSat.push(n);
  }
  newSat.forEach((n, i) => {
    const rule = `hive_share ${formatShare(share(n))} ≥ ${formatShare(cfg.saturation_share_min)}`;
    verdicts.push(
      i < cfg.saturation_max_new_actions_per_cycle
        ? { node: n, outcome: 'guard', rule }
        : { node: n, outcome: 'deferred', rule: `${rule}; cap of ${cfg.saturation_max_new_actions_per_cycle} new saturation actions per cycle reached` },
    );
  });
  const releasedGone: string[] = [];
  for (const id of Object.keys(state.guarded).sort()) {
    const n = g.nodeIndex.get(id);
    if (n === undefined) {
      releasedGone.push(id);
      continue;
    }
    const s = share(n);
    if (s >= cfg.saturation_share_min) continue;
    if (s < cfg.saturation_release_share_below) {
      if (!pendingTargets.has(id)) verdicts.push({ node: n, outcome: 'release', rule: `hive_share ${formatShare(s)} < release ${formatShare(cfg.saturation_release_share_below)}` });
    } else {
      verdicts.push({
        node: n,
        outcome: 'held',
        rule: `hive_share ${formatShare(s)} is below ${formatShare(cfg.saturation_share_min)} but not below the release share ${formatShare(cfg.saturation_release_share_below)} (hysteresis)`,
      });
    }
  }
  const guardActions = verdicts.filter((v) => v.outcome === 'guard' || v.outcome === 'release').length;
  if (guardActions > cfg.saturation_abort_above_new_targets) return { aborted: true, newSaturated: newSat.length, guardActions };
  return { aborted: false, verdicts, newSaturated: newSat.length, releasedGone };
}
