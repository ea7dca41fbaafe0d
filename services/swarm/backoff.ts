/**
 * Restart delays for the sidecar (issue 10 §1 "restarted with backoff"): doubling from
 * `initial_ms` to `max_ms`; a session that stayed up for `stable_ms` resets the count.
 */

/** Backoff policy in milliseconds. */
export interface BackoffPolicy {
  readonly initial_ms: number;
  readonly max_ms: number;
  readonly stable_ms: number;
}

/** Defaults: 0.5 s, 1 s, 2 s … 30 s; reset after a minute up (systemd unit uses the same shape). */
export const DEFAULT_BACKOFF: BackoffPolicy = { initial_ms: 500, max_ms: 30_000, stable_ms: 60_000 };

/** Delay before restart number `attempt` (0-based). */
export function backoffDelayMs(policy: BackoffPolicy, attempt: number): number {
  return Math.min(policy.max_ms, policy.initial_ms * 2 ** Math.min(attempt, 30));
}
