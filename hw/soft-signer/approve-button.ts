/**
 * A simulated approve button for the software signer. It stands for the physical button on the
 * USB HID hardware signer (hw/ HID driver + device simulator, built separately): the device shows
 * an `ApprovalSummary` and waits for the operator to press approve or reject.
 *
 * Scriptable for tests and demos: each approval request consumes the next scripted action
 * (`approve`, `reject`, or `never` = nobody presses, so the signer reports ApprovalTimeout); when the
 * script is empty the default action applies.
 */
import type { ApprovalSummary } from '../../runtime/core/ports.ts';

/** What the (simulated) operator does when asked. */
export type ButtonAction = 'approve' | 'reject' | 'never';

/** Outcome of one approval request. */
export type ButtonOutcome = 'approve' | 'reject' | 'timeout';

/** The operator-facing side of a signer: shows a summary, waits for a press. */
export interface ApproveButton {
  /**
   * Show `summary` and wait up to `timeout_ms` for a press.
   * @returns `approve`, `reject`, or `timeout` when nobody pressed in time. Never throws.
   */
  request(summary: ApprovalSummary, timeout_ms: number): Promise<ButtonOutcome>;
}

/** Scriptable {@link ApproveButton}; records every summary it displayed in `shown`. */
export class SimulatedButton implements ApproveButton {
  /** Every summary shown, in order (what the device display would have shown). */
  readonly shown: ApprovalSummary[] = [];
  private readonly script: ButtonAction[];

  /**
   * @param defaultAction what happens when the script is exhausted (default `never`: a signer
   *   left alone never approves anything).
   * @param script actions consumed one per request, in order.
   */
  constructor(
    private readonly defaultAction: ButtonAction = 'never',
    script: readonly ButtonAction[] = [],
  ) {
    this.script = [...script];
  }

  /** Queue actions for the next requests. */
  push(...actions: ButtonAction[]): void {
    this.script.push(...actions);
  }

  request(summary: ApprovalSummary, timeout_ms: number): Promise<ButtonOutcome> {
    this.shown.push(summary);
    const action = this.script.shift() ?? this.defaultAction;
    if (action !== 'never') return Promise.resolve(action);
    return new Promise((resolve) => setTimeout(() => resolve('timeout'), timeout_ms));
  }
}
