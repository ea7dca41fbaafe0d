/**
 * The planner's commands (issue 7 §3; cl-hive `hive-planner-log`, `hive-enable-expansions`):
 * `hive-planner-log [limit]` — the last cycle's decision log (figures and the deciding rule per
 * target, highest hive_share first); `hive-planner-explain node_id` — "why (not) this one?";
 * `hive-planner-enable-expansions [enabled]` — show or switch expansion proposals (default false,
 * kept across restarts); `hive-planner-status` — timer, switches, last cycle, mass-saturation
 * events, top targets.
 */
import { z } from 'zod';
import { lazy } from '../../../core/lazy.ts';
import type { DecisionLog, Explanation } from '../../../core/planner/decision-log.ts';
import type { EngineCore } from '../engine-core.ts';
import type { PlannerStatus } from '../../planner/planner-status.ts';
import { RPC_ERROR, rpcFailure } from './errors.ts';
import { flag, NoParams, parseParams } from './params.ts';


/** `hive-planner-log [limit=50]`. */
export const PlannerLogParams = lazy(() => z.object({ limit: z.union([z.number(), z.string().regex(/^\d{1,6}$/).transform(Number)]).pipe(z.number().int().min(1).max(100_000)).optional() }).strict());
/** `hive-planner-explain node_id`. */
export const PlannerExplainParams = lazy(() => z.object({ node_id: z.string().transform((s) => s.toLowerCase()).pipe(z.string().regex(/^0[23][0-9a-f]{64}$/, 'expected a 66-hex node id')) }).strict());
/** `hive-planner-enable-expansions [enabled]`. */
export const EnableExpansionsParams = lazy(() => z.object({ enabled: flag().optional() }).strict());

/** Result of `hive-planner-log`: the log with `targets` cut to `limit` (highest hive_share first), or null before the first cycle. */
export interface PlannerLogResult {
  readonly log: DecisionLog | null;
  readonly total_targets: number;
  /** Unix s. */
  readonly next_run_at: number;
}

/** Result of `hive-planner-enable-expansions`. */
export interface EnableExpansionsResult {
  readonly expansions_enabled: boolean;
  readonly previous: boolean;
}

/** Run `hive-planner-log`. @throws RpcFailure (invalidParams). */
export function plannerLogCommand(core: EngineCore, params: Record<string, unknown>): PlannerLogResult {
  const p = parseParams('hive-planner-log', PlannerLogParams, params);
  if (!p.ok) throw p.error;
  const log = core.planner.current.planner.last_log;
  const next_run_at = core.planner.nextRunAt();
  if (!log) return { log: null, total_targets: 0, next_run_at };
  const targets = [...log.targets].sort((a, b) => b.hive_share - a.hive_share || b.public_capacity_sat - a.public_capacity_sat).slice(0, p.value.limit ?? 50);
  return { log: { ...log, targets }, total_targets: log.targets.length, next_run_at };
}

/** Run `hive-planner-explain`. @throws RpcFailure (invalidParams). */
export function plannerExplainCommand(core: EngineCore, params: Record<string, unknown>): Explanation {
  const p = parseParams('hive-planner-explain', PlannerExplainParams, params);
  if (!p.ok) throw p.error;
  return core.planner.explain(p.value.node_id);
}

/** Run `hive-planner-enable-expansions`. @throws RpcFailure (invalidParams, storeError). */
export function enableExpansionsCommand(core: EngineCore, params: Record<string, unknown>): EnableExpansionsResult {
  const p = parseParams('hive-planner-enable-expansions', EnableExpansionsParams, params);
  if (!p.ok) throw p.error;
  const previous = core.planner.config().planner_enable_expansions;
  if (p.value.enabled === undefined || p.value.enabled === previous) return { expansions_enabled: previous, previous };
  if (!core.planner.setExpansions(p.value.enabled)) throw rpcFailure(RPC_ERROR.storeError, 'could not record the expansions switch; nothing changed');
  return { expansions_enabled: p.value.enabled, previous };
}

/** Run `hive-planner-status`. @throws RpcFailure (invalidParams). */
export function plannerStatusCommand(core: EngineCore, params: Record<string, unknown>): PlannerStatus {
  const p = parseParams('hive-planner-status', NoParams, params);
  if (!p.ok) throw p.error;
  return core.planner.status();
}
