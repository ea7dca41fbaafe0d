/**
 * The planner loop's timer (spec 003 §2.3 "hard timer"): the effective interval is
 * max(configured, 300 s), so no configuration or bug can make cycles run back to back.
 */
import { PLANNER_MIN_INTERVAL_S } from './config.ts';
import type { UnixSeconds } from '../types.ts';

/** Effective loop interval in seconds. */
export function effectiveIntervalS(configuredIntervalS: number): number {
  return Math.max(Number.isFinite(configuredIntervalS) ? configuredIntervalS : 0, PLANNER_MIN_INTERVAL_S);
}

/** When the next cycle may run (unix s); immediately when no cycle ran yet. */
export function nextRunAt(lastCycleAt: number | null, configuredIntervalS: number): number {
  return lastCycleAt === null ? Number.NEGATIVE_INFINITY : lastCycleAt + effectiveIntervalS(configuredIntervalS);
}

/** True when a cycle may run at `now_s`. */
export function cycleDue(lastCycleAt: number | null, configuredIntervalS: number, now_s: UnixSeconds): boolean {
  return now_s >= nextRunAt(lastCycleAt, configuredIntervalS);
}
