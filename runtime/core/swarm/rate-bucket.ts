/**
 * Per-peer token bucket for swarm frames (issue 10 §3 "per-peer rate limits"). Pure: the caller
 * passes `now_ms`, the bucket is a value.
 */
import type { UnixMillis } from '../types.ts';

/** Tokens left (fractional) at `at_ms`. */
export interface RateBucket {
  readonly tokens: number;
  readonly at_ms: number;
}

/**
 * Refill `bucket` (or a full new one) at `perSecond` up to `burst`, then take one token.
 * @returns `allowed` and the bucket to store; a refused take leaves the refilled bucket.
 */
export function takeToken(bucket: RateBucket | undefined, now_ms: UnixMillis, perSecond: number, burst: number): { allowed: boolean; bucket: RateBucket } {
  const elapsed_ms = bucket ? Math.max(0, now_ms - bucket.at_ms) : 0;
  const tokens = bucket ? Math.min(burst, bucket.tokens + (elapsed_ms * perSecond) / 1000) : burst;
  if (tokens < 1) return { allowed: false, bucket: { tokens, at_ms: now_ms } };
  return { allowed: true, bucket: { tokens: tokens - 1, at_ms: now_ms } };
}
