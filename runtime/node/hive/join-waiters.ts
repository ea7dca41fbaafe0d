/**
 * Waiting for the outcome of a `hive-join`: the join machine reports `joined` or `join_failed`
 * events per member asked; the RPC waits until one member welcomed us or every one failed.
 */

/** How a join ended. */
export type JoinOutcome =
  | { readonly kind: 'joined'; readonly hive_id: string; readonly member_id: string }
  /** `reasons`: the rule per member; `details`: the member's own words where it refused (JOIN_REFUSED). */
  | { readonly kind: 'failed'; readonly reasons: Readonly<Record<string, string>>; readonly details: Readonly<Record<string, string>> };

interface Waiter {
  readonly pending: Set<string>;
  readonly reasons: Record<string, string>;
  readonly details: Record<string, string>;
  readonly resolve: (o: JoinOutcome) => void;
}

/** Open waits, fed by the engine's join events. */
export class JoinWaiters {
  private readonly waiters = new Set<Waiter>();

  /**
   * Start waiting for a join with `member_ids` (register before the HELLOs go out).
   * @returns the outcome promise and `cancel` (stop waiting; the promise then never settles).
   */
  watch(member_ids: readonly string[]): { readonly outcome: Promise<JoinOutcome>; cancel(): void; fail(member_id: string, reason: string): void } {
    const done = Promise.withResolvers<JoinOutcome>();
    const w: Waiter = { pending: new Set(member_ids), reasons: {}, details: {}, resolve: done.resolve };
    this.waiters.add(w);
    return {
      outcome: done.promise,
      cancel: () => this.waiters.delete(w),
      fail: (member_id, reason) => this.failIn(w, member_id, reason),
    };
  }

  /** The join through `member_id` ended with WELCOME. */
  joined(hive_id: string, member_id: string): void {
    for (const w of this.waiters) {
      if (!w.pending.has(member_id)) continue;
      this.waiters.delete(w);
      w.resolve({ kind: 'joined', hive_id, member_id });
    }
  }

  /** The join through `member_id` ended without WELCOME (`detail`: the member's refusal text, if it sent one). */
  failed(member_id: string, reason: string, detail?: string): void {
    for (const w of this.waiters) this.failIn(w, member_id, reason, detail);
  }

  private failIn(w: Waiter, member_id: string, reason: string, detail?: string): void {
    if (!w.pending.delete(member_id)) return;
    w.reasons[member_id] = reason;
    if (detail) w.details[member_id] = detail;
    if (w.pending.size > 0) return;
    this.waiters.delete(w);
    w.resolve({ kind: 'failed', reasons: w.reasons, details: w.details });
  }
}
