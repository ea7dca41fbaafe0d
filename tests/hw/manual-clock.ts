/**
 * A hand-driven `Clock` for hw tests (rust-lightning's test clock idea): timers fire only when the
 * test advances time, in due order, with pending microtasks and I/O callbacks run between firings
 * so host and device interleave as they would in real time.
 */
import type { Clock } from '../../hw/clock.ts';

interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/** Let queued microtasks and immediate callbacks run. */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  private t = 0;
  private seq = 0;
  private timers: Timer[] = [];

  now_ms(): number {
    return this.t;
  }

  setTimer(delay_ms: number, fn: () => void): () => void {
    const timer: Timer = { due: this.t + Math.max(0, delay_ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Advance by `ms`, firing due timers in order and settling after each. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    await settle();
    for (;;) {
      this.timers = this.timers.filter((x) => !x.cancelled);
      const next = this.timers.filter((x) => x.due <= target).sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
      if (!next) break;
      this.t = next.due;
      next.cancelled = true;
      next.fn();
      await settle();
    }
    this.t = target;
    await settle();
  }
}
