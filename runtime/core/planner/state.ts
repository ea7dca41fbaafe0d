/**
 * The planner's persistent state between cycles (the daemon stores it as JSON): saturation guards
 * (the hysteresis memory), pending actions, per-target rejection times, the loop timer and the last
 * decision log.
 */
import type { PendingAction } from './actions.ts';
import type { DecisionLog } from './decision-log.ts';

/** A saturated target under guard since `since` (unix s). */
export interface GuardEntry {
  readonly since: number;
  readonly hive_share: number;
}

/** Planner state. */
export interface PlannerState {
  /** Saturated targets under guard, by node id; released only below the release share. */
  readonly guarded: Readonly<Record<string, GuardEntry>>;
  readonly pending: readonly PendingAction[];
  /** node id → unix s of the last rejection (backoff). */
  readonly rejections: Readonly<Record<string, number>>;
  readonly last_cycle_at: number | null;
  /** Number of cycles run; part of action ids. */
  readonly cycle_seq: number;
  readonly last_log: DecisionLog | null;
}

/** State of a planner that never ran. */
export const INITIAL_PLANNER_STATE: PlannerState = {
  guarded: {},
  pending: [],
  rejections: {},
  last_cycle_at: null,
  cycle_seq: 0,
  last_log: null,
};
