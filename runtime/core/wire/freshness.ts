/**
 * Timestamp freshness: a pure check, separate from decoding, with `now_s` passed in
 * (clhive-protocol.md §2.2 `_check_timestamp_freshness`). A message is fresh when its `timestamp`
 * is a number > 0, no older than the type's max age and at most 300 s in the future.
 * Every type's spec states its window (`max_age_s`, null = not checked, as in cl-hive).
 */
import { PyFloat } from '../canonical/python-json.ts';
import { err, ok, type Result } from '../result.ts';
import type { UnixSeconds } from '../types.ts';
import { type WireError, wireError } from './errors.ts';
import { type MsgType, specOf } from './message-types.ts';

/** `MAX_CLOCK_SKEW_SECONDS`: how far in the future a timestamp may be. */
export const MAX_CLOCK_SKEW_S = 300;

/**
 * Check a payload's `timestamp` against `now_s`.
 * @param payload the raw or validated payload (only `timestamp` is read; a Python float is accepted).
 * @param now_s unix seconds.
 * @returns ok (also for types without a freshness rule), or `invalid_field` (timestamp missing,
 *   not a number, ≤ 0), `stale_timestamp` (older than the type's `max_age_s`), `future_timestamp`
 *   (more than `MAX_CLOCK_SKEW_S` ahead).
 */
export function checkFreshness(type: MsgType, payload: { readonly timestamp?: unknown }, now_s: UnixSeconds): Result<null, WireError> {
  const maxAge = specOf(type).max_age_s;
  if (maxAge === null) return ok(null);
  const raw = payload.timestamp;
  const ts = raw instanceof PyFloat ? raw.value : raw;
  if (typeof ts !== 'number' || !Number.isFinite(ts) || ts <= 0) {
    return err(wireError('invalid_field', 'timestamp must be a number > 0', 'timestamp'));
  }
  if (now_s - ts > maxAge) return err(wireError('stale_timestamp', `timestamp is ${now_s - ts} s old, max ${maxAge} s`, 'timestamp'));
  if (ts - now_s > MAX_CLOCK_SKEW_S) {
    return err(wireError('future_timestamp', `timestamp is ${ts - now_s} s ahead, max skew ${MAX_CLOCK_SKEW_S} s`, 'timestamp'));
  }
  return ok(null);
}
