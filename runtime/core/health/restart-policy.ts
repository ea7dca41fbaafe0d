/**
 * Restart policy for supervised components (issue 6 §3): exponential backoff between restarts
 * and a bounded budget of restarts per sliding window, the same shape as systemd's
 * `RestartSec=` + `StartLimitBurst=`/`StartLimitIntervalSec=`, applied by the daemon to things
 * systemd cannot restart for it (a crashed CLN plugin: lightningd never restarts one) and to
 * units it watches. Pure: `stepRestart(policy, state, input, now_s)`; times are unix seconds.
 *
 * On a down observation: the first restart is due `base_backoff_s` after the failure was first
 * seen; each further one doubles the wait (capped at `max_backoff_s`). When `budget` restarts have
 * already happened within `window_s`, the policy emits `gave_up` once and stops restarting until
 * the component is seen up again.
 *
 * A component whose host is down (the plugin while lightningd is down: `plugin start` cannot even
 * reach lightningd) is `blocked`: no restart is issued and none is counted; the backoff starts
 * afresh once the host is back, and a restart that failed because the host had gone meanwhile is
 * refunded ({@link refundRestart}), so lightningd restarts never spend the plugin's budget.
 */
import type { UnixSeconds } from '../types.ts';

/** Backoff and budget settings. */
export interface RestartPolicy {
  /** Wait before the first restart (seconds). */
  readonly base_backoff_s: number;
  /** Longest wait between restarts (seconds). */
  readonly max_backoff_s: number;
  /** Most restarts allowed within `window_s`. */
  readonly budget: number;
  /** Sliding window for the budget (seconds). */
  readonly window_s: number;
}

/** Defaults: 2 s doubling to 60 s, at most 5 restarts per 10 minutes. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = { base_backoff_s: 2, max_backoff_s: 60, budget: 5, window_s: 600 };

/** One component's restart bookkeeping. */
export interface RestartState {
  /** When each restart within the current window was issued (seconds, ascending). */
  readonly restarts: readonly number[];
  /** Restarts since the component was last seen up (drives the backoff exponent). */
  readonly consecutive: number;
  /** When the next restart is due, or null while the component is up. */
  readonly next_at: number | null;
  readonly gave_up: boolean;
}

/** An observation of the component. */
export interface RestartInput {
  readonly up: boolean;
  /** Down because what it runs inside is down (lightningd for the plugin): wait, do not restart. */
  readonly blocked?: boolean;
}

/** What the driver must do: run the restart action, or report that the budget is spent. */
export type RestartEffect =
  | { readonly kind: 'restart'; readonly attempt: number; readonly restarts_in_window: number }
  | { readonly kind: 'gave_up'; readonly restarts_in_window: number; readonly window_s: number };

/** Bookkeeping before anything happened. */
export const INITIAL_RESTART_STATE: RestartState = { restarts: [], consecutive: 0, next_at: null, gave_up: false };

/** Wait before restart number `consecutive + 1` (seconds). */
export function backoffSeconds(policy: RestartPolicy, consecutive: number): number {
  return Math.min(policy.max_backoff_s, policy.base_backoff_s * 2 ** Math.min(consecutive, 30));
}

/** Apply one observation at `now_s` (seconds). */
export function stepRestart(
  policy: RestartPolicy,
  state: RestartState,
  input: RestartInput,
  now_s: UnixSeconds,
): { state: RestartState; effects: RestartEffect[] } {
  const restarts = state.restarts.filter((t) => now_s - t < policy.window_s);
  if (input.up) return { state: { restarts, consecutive: 0, next_at: null, gave_up: false }, effects: [] };
  if (input.blocked === true) return { state: { restarts, consecutive: 0, next_at: null, gave_up: false }, effects: [] };
  if (state.gave_up) return { state: { ...state, restarts }, effects: [] };
  if (state.next_at === null) {
    return { state: { ...state, restarts, next_at: now_s + backoffSeconds(policy, state.consecutive) }, effects: [] };
  }
  if (now_s < state.next_at) return { state: { ...state, restarts }, effects: [] };
  if (restarts.length >= policy.budget) {
    return {
      state: { ...state, restarts, gave_up: true, next_at: null },
      effects: [{ kind: 'gave_up', restarts_in_window: restarts.length, window_s: policy.window_s }],
    };
  }
  const consecutive = state.consecutive + 1;
  const after = [...restarts, now_s];
  return {
    state: { restarts: after, consecutive, next_at: now_s + backoffSeconds(policy, consecutive), gave_up: false },
    effects: [{ kind: 'restart', attempt: consecutive, restarts_in_window: after.length }],
  };
}

/**
 * Take back the restart issued at `at` (seconds): it failed only because the component's host was
 * down, so it must not count against the budget.
 */
export function refundRestart(state: RestartState, at: number): RestartState {
  const i = state.restarts.lastIndexOf(at);
  if (i < 0) return state;
  return { ...state, restarts: [...state.restarts.slice(0, i), ...state.restarts.slice(i + 1)], consecutive: 0, next_at: null };
}
