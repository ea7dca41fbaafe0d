/**
 * Seeded randomness for the simulations: a SHA-256 counter stream (deterministic, replayable from
 * the seed). Stands in for the OS randomness the daemon feeds the core (nonces, ids, jitter).
 */
import { sha256 } from '@noble/hashes/sha2.js';

/** A deterministic byte and number stream. */
export class SeededRng {
  private counter = 0;

  constructor(readonly seed: number) {}

  /** `n` pseudo-random bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 32) {
      const block = sha256(new TextEncoder().encode(`${this.seed}:${this.counter++}`));
      out.set(block.subarray(0, Math.min(32, n - i)), i);
    }
    return out;
  }

  /** A uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    const b = this.bytes(4);
    const x = new DataView(b.buffer).getUint32(0) / 0x1_0000_0000;
    return lo + Math.floor(x * (hi - lo + 1));
  }

  /** `items` in a seeded order. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}
