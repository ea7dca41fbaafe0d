/**
 * What the daemon tells operators about its planner (`hive-planner-status`, the `planner` object
 * of `hive-status` that MQTT publishes): the timer, the switches, the last cycle's outcome and
 * counts, the circuit breaker's mass-saturation events and the top targets by hive_share from the
 * last decision log. Pure.
 */
import type { PlannerConfig } from '../../core/planner/config.ts';
import type { DecisionLog } from '../../core/planner/decision-log.ts';
import type { CycleSummary, PlannerRecord, SaturationEvent } from './planner-record.ts';

/** Targets listed in the status. */
export const STATUS_TOP_TARGETS = 5;

/** One top target. */
export interface TopTarget {
  readonly node_id: string;
  readonly alias: string;
  /** 0..1, rounded to 6 decimals. */
  readonly hive_share: number;
  readonly public_capacity_sat: number;
}

/** The summary `hive-status` carries. */
export interface PlannerSummaryView {
  readonly governance_mode: PlannerConfig['governance_mode'];
  readonly expansions_enabled: boolean;
  /** Unix s. */
  readonly next_run_at: number;
  readonly last_cycle: (CycleSummary & { readonly counts: DecisionLog['counts'] | null }) | null;
  readonly pending_actions: number;
  readonly guarded_targets: number;
  readonly mass_saturation_events: number;
  /** Spec-003 floors lowered by an `unsafe_` key (empty normally); shown as UNSAFE by `hivebox status`. */
  readonly unsafe_floors: readonly string[];
  /** Highest hive_share targets of the last cycle (≥ the minimum target capacity). */
  readonly top_targets: readonly TopTarget[];
}

/** `hive-planner-status`. */
export interface PlannerStatus extends PlannerSummaryView {
  readonly planner_interval_s: number;
  /** max(planner_interval_s, 300). */
  readonly effective_interval_s: number;
  readonly jitter_max_s: number;
  readonly cycles_run: number;
  readonly clboss_present: boolean;
  /** Optional inputs the last cycle could not read (then judged with safe defaults). */
  readonly degraded_inputs: readonly string[];
  readonly mass_saturation: readonly SaturationEvent[];
  readonly rejections_in_backoff: number;
  /** ms the last completed cycle's record took to commit to the store (null before one ran in this process). */
  readonly last_persist_ms: number | null;
}

/** Loop facts the record does not hold. */
export interface LoopFacts {
  /** Unix s. */
  readonly now: number;
  readonly next_run_at: number;
  readonly effective_interval_s: number;
  readonly jitter_max_s: number;
  readonly clboss_present: boolean;
  readonly degraded: readonly string[];
  readonly last_persist_ms: number | null;
}

/** Top targets by hive_share (then public capacity) of a decision log. */
export function topTargets(log: DecisionLog | null, n: number): TopTarget[] {
  if (!log) return [];
  return [...log.targets]
    .sort((a, b) => b.hive_share - a.hive_share || b.public_capacity_sat - a.public_capacity_sat)
    .slice(0, n)
    .map((t) => ({ node_id: t.node_id, alias: t.alias, hive_share: Math.round(t.hive_share * 1e6) / 1e6, public_capacity_sat: t.public_capacity_sat }));
}

/** Build the status. */
export function plannerStatus(r: PlannerRecord, cfg: PlannerConfig, f: LoopFacts): PlannerStatus {
  const log = r.planner.last_log;
  const last = r.last_cycle ? { ...r.last_cycle, counts: log && log.cycle_id === r.last_cycle.cycle_id ? log.counts : null } : null;
  return {
    governance_mode: cfg.governance_mode,
    expansions_enabled: cfg.planner_enable_expansions,
    next_run_at: f.next_run_at,
    last_cycle: last,
    pending_actions: r.planner.pending.length,
    guarded_targets: Object.keys(r.planner.guarded).length,
    mass_saturation_events: r.saturation_events.length,
    unsafe_floors: cfg.unsafe_floors,
    top_targets: topTargets(log, STATUS_TOP_TARGETS),
    planner_interval_s: cfg.planner_interval_s,
    effective_interval_s: f.effective_interval_s,
    jitter_max_s: f.jitter_max_s,
    cycles_run: r.planner.cycle_seq,
    clboss_present: f.clboss_present,
    degraded_inputs: f.degraded,
    mass_saturation: r.saturation_events,
    rejections_in_backoff: Object.values(r.planner.rejections).filter((at) => f.now - at < cfg.rejection_backoff_s).length,
    last_persist_ms: f.last_persist_ms,
  };
}

/** The part of the status `hive-status` carries. */
export function plannerSummaryView(s: PlannerStatus): PlannerSummaryView {
  const { governance_mode, expansions_enabled, next_run_at, last_cycle, pending_actions, guarded_targets, mass_saturation_events, unsafe_floors, top_targets } = s;
  return { governance_mode, expansions_enabled, next_run_at, last_cycle, pending_actions, guarded_targets, mass_saturation_events, unsafe_floors, top_targets };
}
