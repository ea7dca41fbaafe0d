/** Records callback values in order and waits for one matching a predicate (client and transport tests). */
import { CONDITION_TIMEOUT_MS } from '../cln/fixtures/recording-engine.ts';

/** An append-only log with `waitFor`. */
export class StatusLog<T> {
  readonly items: T[] = [];
  private waiters: ((item: T) => void)[] = [];

  /** The callback to hand to the code under test. */
  readonly push = (item: T): void => {
    this.items.push(item);
    for (const w of [...this.waiters]) w(item);
  };

  /** First item at index ≥ `since` matching `pred`; rejects after `timeout_ms`. */
  waitFor(pred: (item: T) => boolean, since = 0, timeout_ms = CONDITION_TIMEOUT_MS): Promise<T> {
    const found = this.items.slice(since).find(pred);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; seen ${JSON.stringify(this.items.slice(-6))}`)), timeout_ms);
      const check = (item: T) => {
        if (!pred(item)) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(item);
      };
      this.waiters.push(check);
    });
  }
}
