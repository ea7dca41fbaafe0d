/**
 * Bounded, time-limited set of message digests (issue 10 §3 "de-duplicates messages that arrive
 * both ways"). A Hive message can reach us over Lightning `custommsg` and over the swarm; the
 * daemon records sha256(peer node_id ‖ envelope bytes) and the path here before either copy
 * reaches the engine. Only a copy that arrives by the *other* path is a duplicate: the same bytes
 * again by the same path are a sender's retry, which the engine must see (its event-id table
 * makes the retry harmless and answers it with a fresh MSG_ACK when the first ACK was lost).
 *
 * Deterministic: `now_ms` is passed in. Mutable for speed (one digest per inbound message at up
 * to 50,000 entries); insertion order is expiry order because entries share one TTL.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { fromHex, toHex, type UnixMillis, utf8 } from '../types.ts';

/** Defaults: cl-hive relay dedup keeps MAX_SEEN_MESSAGES = 50000 (clhive-protocol.md §1.6). */
export const SEEN_SET_DEFAULTS = { max_entries: 50_000, ttl_ms: 600_000 } as const;

/** Which way a Hive message reached the daemon. */
export type DeliveryPath = 'lightning' | 'swarm';

/**
 * Digest identifying one delivery: sha256(utf8(peer node_id) ‖ payload bytes), hex.
 * @param payloadHex the custommsg payload hex (with the 2-byte type); non-hex input is hashed as text.
 */
export function deliveryDigest(peerNodeId: string, payloadHex: string): string {
  const id = utf8(peerNodeId);
  const body = fromHex(payloadHex) ?? utf8(payloadHex);
  const buf = new Uint8Array(id.length + body.length);
  buf.set(id, 0);
  buf.set(body, id.length);
  return toHex(sha256(buf));
}

/** Seen-set: remembers a digest for `ttl_ms`, holds at most `max_entries` (oldest evicted first). */
export class SeenSet {
  private readonly seen = new Map<string, { readonly until_ms: number; readonly via: DeliveryPath }>();

  constructor(
    readonly max_entries: number = SEEN_SET_DEFAULTS.max_entries,
    readonly ttl_ms: number = SEEN_SET_DEFAULTS.ttl_ms,
  ) {}

  /**
   * Record `digest`, delivered by `via`, at `now_ms`.
   * @returns `duplicate` when it was recorded by the other path within the last `ttl_ms` (the
   *   record is not refreshed), else `fresh` — also for a repeat by the same path.
   */
  check(digest: string, now_ms: UnixMillis, via: DeliveryPath): 'fresh' | 'duplicate' {
    this.expire(now_ms);
    const prev = this.seen.get(digest);
    if (prev !== undefined) return prev.via === via ? 'fresh' : 'duplicate';
    if (this.seen.size >= this.max_entries) {
      const oldest = this.seen.keys().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
    this.seen.set(digest, { until_ms: now_ms + this.ttl_ms, via });
    return 'fresh';
  }

  /** Entries currently held. */
  get size(): number {
    return this.seen.size;
  }

  private expire(now_ms: UnixMillis): void {
    for (const [digest, { until_ms }] of this.seen) {
      if (until_ms > now_ms) return;
      this.seen.delete(digest);
    }
  }
}
