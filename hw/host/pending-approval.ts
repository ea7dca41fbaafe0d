/**
 * The approval the signer is waiting on, as `hivebox status` and MQTT show it: what is waiting,
 * since when, and seconds left by the device's own countdown (its KEEPALIVEs).
 */
import type { SignerPurpose } from '../../runtime/core/ports.ts';

/** A snapshot of the one pending approval. */
export interface PendingApproval {
  readonly purpose: SignerPurpose;
  /** The summary line shown to the operator. */
  readonly title: string;
  readonly fields: Readonly<Record<string, string>>;
  /** Host clock (ms, `Clock.now_ms` scale) when the request was sent. */
  readonly started_ms: number;
  /** Seconds until the signer gives up, from the latest keepalive (or the device timeout before one). */
  readonly seconds_left: number;
  /** True once the device reported "waiting for user" (KEEPALIVE UPNEEDED). */
  readonly waiting_for_user: boolean;
}

/** Holds the current pending approval and tells listeners when it changes. */
export class PendingApprovalTracker {
  private current: PendingApproval | null = null;
  private readonly listeners = new Set<(p: PendingApproval | null) => void>();

  /** The current snapshot, or null when nothing waits. */
  get value(): PendingApproval | null {
    return this.current;
  }

  /** Replace the snapshot and notify. */
  set(p: PendingApproval | null): void {
    this.current = p;
    for (const l of this.listeners) l(p);
  }

  /** Update fields of the current snapshot (no-op when nothing waits). */
  update(patch: Partial<Pick<PendingApproval, 'seconds_left' | 'waiting_for_user'>>): void {
    if (this.current) this.set({ ...this.current, ...patch });
  }

  /** Subscribe; @returns unsubscribe. */
  subscribe(listener: (p: PendingApproval | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
