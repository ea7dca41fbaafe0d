/**
 * The time source hw/ adapters use (host driver timeouts, device-model keepalives and approval
 * timeout), injected so tests drive it by hand (tests/hw/manual-clock.ts) and nothing waits on
 * the wall clock in a unit test.
 */

/** Monotonic milliseconds and one-shot timers. */
export interface Clock {
  /** Milliseconds on a monotonic scale (only differences matter). */
  now_ms(): number;
  /**
   * Call `fn` once after `delay_ms`.
   * @returns a function that cancels the timer (idempotent).
   */
  setTimer(delay_ms: number, fn: () => void): () => void;
}

/** The process clock: `performance.now()` and `setTimeout`. */
export const realClock: Clock = {
  now_ms: () => performance.now(),
  setTimer(delay_ms, fn) {
    const t = setTimeout(fn, delay_ms);
    return () => clearTimeout(t);
  },
};

/** Random bytes source, injected so device keys and host nonces are reproducible in tests. */
export type RandomBytes = (n: number) => Uint8Array;

/** The process CSPRNG. */
export const secureRandom: RandomBytes = (n) => crypto.getRandomValues(new Uint8Array(n));
