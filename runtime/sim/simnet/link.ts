/**
 * Per-link fault model between two simulated nodes: one-way latency, random loss and partition.
 * It stands for the TCP/BOLT 8 connection between two lightningd's: a partition is a black hole
 * (messages vanish, `sendcustommsg` still succeeds because lightningd only queues to connectd),
 * and latency delays delivery without reordering messages on the same link.
 */

/** Fault settings of one (unordered) node pair. */
export interface LinkFaults {
  /** One-way delivery delay, ms. */
  latency_ms: number;
  /** Probability in [0, 1] that a message is lost. */
  loss: number;
  /** True while the pair cannot reach each other. */
  partitioned: boolean;
}

/** Key of the unordered pair (a, b). */
export function linkKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** Default link: no latency, no loss, connected. */
export function healthyLink(): LinkFaults {
  return { latency_ms: 0, loss: 0, partitioned: false };
}

/**
 * Deterministic PRNG (mulberry32) for loss decisions, so a seeded network loses the same messages
 * on every run.
 */
export function seededRandom(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}
