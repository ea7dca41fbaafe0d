/**
 * A fixed-window message counter per Lightning peer: the flood guards of the managed node (49152
 * requests, `PEER_FLOOD_LIMIT`) and of revocation gossip (`REVOCATION_FLOOD_LIMIT`). Windows of
 * peers gone quiet are pruned once more than 4096 peers are tracked.
 */

/** Most peers tracked before stale windows are pruned. */
const MAX_TRACKED = 4096;

/** Counts messages per peer in windows of `window_s` seconds, allowing `max` per window. */
export class FloodWindow {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly limit: { readonly window_s: number; readonly max: number }) {}

  /** Peers currently tracked. */
  get tracked(): number {
    return this.windows.size;
  }

  /**
   * Count one message from `peerId` at `now` (unix seconds).
   * @returns true when the peer is over the limit (drop the message).
   */
  over(peerId: string, now: number): boolean {
    const w = this.windows.get(peerId);
    if (!w || now - w.start >= this.limit.window_s) {
      if (this.windows.size >= MAX_TRACKED) for (const [k, v] of this.windows) if (now - v.start >= this.limit.window_s) this.windows.delete(k);
      this.windows.set(peerId, { start: now, count: 1 });
      return false;
    }
    w.count += 1;
    return w.count > this.limit.max;
  }
}
