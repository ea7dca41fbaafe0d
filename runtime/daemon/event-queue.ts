/**
 * The daemon's inbound event queue: plugin events are handled one at a time in arrival order, so
 * the engine sees a peer's messages in the order lightningd delivered them. A handler that throws
 * is logged and the queue moves on (an engine fault never stops the daemon).
 */
import type { LogFn } from '../node/engine.ts';

/** Sequential async work queue with a drain promise. */
export class EventQueue<T> {
  private readonly items: T[] = [];
  private running = false;
  private idleWaiters: (() => void)[] = [];
  private handledCount = 0;

  constructor(
    private readonly handle: (item: T) => Promise<void>,
    private readonly log: LogFn,
  ) {}

  /** Number of items handled so far. */
  get handled(): number {
    return this.handledCount;
  }

  /** Items waiting (not counting the one being handled). */
  get length(): number {
    return this.items.length;
  }

  /** Append an item; handling starts on the next microtask if idle. */
  push(item: T): void {
    this.items.push(item);
    if (!this.running) void this.run();
  }

  /** Resolves when the queue is empty and nothing is being handled. */
  idle(): Promise<void> {
    if (!this.running && this.items.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async run(): Promise<void> {
    this.running = true;
    while (this.items.length > 0) {
      const item = this.items.shift()!;
      try {
        await this.handle(item);
      } catch (e) {
        this.log('error', 'engine_event_failed', { error: e instanceof Error ? e.message : String(e) });
      }
      this.handledCount++;
    }
    this.running = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
