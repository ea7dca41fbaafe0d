/**
 * Replay protection and rate limits for management requests (spec 002 §3 "Replay Protection",
 * "Threat Model: Denial of service"): timestamp within ±300 s of the node clock, nonce strictly
 * greater than the last one seen from the agent DID (persisted by the caller), a per-DID request
 * window, and the credential's `max_daily_actions` per UTC day.
 */
import { err, ok, type Result } from '../result.ts';
import { reject, type MgmtReject } from './reject.ts';
import { DAY_S } from './time.ts';
import type { UnixSeconds } from '../types.ts';

/** Limits. */
export const REPLAY_LIMITS = {
  /** ±5 minutes (spec 002 §3). */
  timestamp_window_s: 300,
  /** Rate window length, seconds. */
  rate_window_s: 60,
  /** Signed requests per agent DID per window (cl-hive receiver limits are per peer per minute). */
  rate_max_per_window: 60,
} as const;

/** Per-agent replay state, persisted in the mgmt store (`agent_state`). */
export interface AgentReplayState {
  /** Highest accepted nonce, or null before the first request. */
  readonly last_nonce: bigint | null;
  /** Start of the current rate window, unix seconds. */
  readonly window_start: number;
  /** Signed requests counted in the window. */
  readonly window_count: number;
}

/** The state of an agent never seen before. */
export const FRESH_AGENT: AgentReplayState = { last_nonce: null, window_start: 0, window_count: 0 };

/**
 * Reject a timestamp outside `now_s ± 300 s`.
 * @returns null when fresh, else `transport/stale_timestamp` or `transport/future_timestamp`.
 */
export function checkFreshness(timestamp: number, now_s: UnixSeconds): MgmtReject | null {
  if (timestamp < now_s - REPLAY_LIMITS.timestamp_window_s) return reject('transport', 'stale_timestamp', `timestamp ${timestamp} is more than 300 s before ${now_s}`);
  if (timestamp > now_s + REPLAY_LIMITS.timestamp_window_s) return reject('transport', 'future_timestamp', `timestamp ${timestamp} is more than 300 s after ${now_s}`);
  return null;
}

/**
 * Admit `nonce` from an agent whose signature already verified.
 * @returns the state to persist, or `transport/replayed_nonce` (nonce ≤ last) or
 *   `transport/rate_limited`; a rejection leaves the state as it was.
 */
export function admitNonce(state: AgentReplayState, nonce: bigint, now_s: UnixSeconds): Result<AgentReplayState, MgmtReject> {
  if (state.last_nonce !== null && nonce <= state.last_nonce) return err(reject('transport', 'replayed_nonce', `nonce ${nonce} ≤ last ${state.last_nonce}`));
  const inWindow = now_s - state.window_start < REPLAY_LIMITS.rate_window_s;
  const count = inWindow ? state.window_count : 0;
  if (count >= REPLAY_LIMITS.rate_max_per_window) return err(reject('transport', 'rate_limited', `more than ${REPLAY_LIMITS.rate_max_per_window} requests in ${REPLAY_LIMITS.rate_window_s} s`));
  return ok({ last_nonce: nonce, window_start: inWindow ? state.window_start : now_s, window_count: count + 1 });
}

/** UTC day number of unix seconds `now_s` (the `max_daily_actions` bucket). */
export function utcDay(now_s: UnixSeconds): number {
  return Math.floor(now_s / DAY_S);
}

/** `credential/daily_cap_reached` when `acceptedToday` has reached the credential's cap, else null. */
export function checkDailyCap(acceptedToday: number, maxDailyActions: number): MgmtReject | null {
  return acceptedToday >= maxDailyActions ? reject('credential', 'daily_cap_reached', `${acceptedToday}/${maxDailyActions} actions used today`) : null;
}
