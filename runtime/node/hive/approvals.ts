/**
 * The one fleet-signer approval the engine waits on (issue 5 §4): what is waiting, the prompt
 * line, and the seconds left — from the signer's own countdown (HID keepalives) when it reports
 * one, else from `approval_timeout_s`. `hive-status` shows it; the CLI prints the prompt and a
 * live countdown from it. Only one approval runs at a time; a second gets SignerBusy.
 */
import type { ApprovalSummary, Signer, SignerError, SignerPurpose, SignerSignature } from '../../core/ports.ts';
import type { Result } from '../../core/result.ts';
import { promptLine, requestApproval } from '../../../hw/host/approval-flow.ts';
import type { EngineEventSink } from '../events.ts';

/** The pending approval as `hive-status` reports it. */
export interface PendingApprovalView {
  readonly purpose: SignerPurpose;
  readonly title: string;
  /** "Press the button on your Hivebox signer to approve: …" */
  readonly prompt: string;
  /** Unix ms when the request went to the signer. */
  readonly started_ms: number;
  readonly seconds_left: number;
}

interface Pending {
  readonly purpose: SignerPurpose;
  readonly title: string;
  readonly prompt: string;
  readonly started_ms: number;
  /** Latest countdown from the device, and when it arrived. */
  countdown: { seconds_left: number; at_ms: number } | null;
}

/** Runs approvals one at a time and exposes the waiting one. */
export class Approvals {
  private pending: Pending | null = null;

  constructor(
    private readonly signer: Signer,
    private readonly timeout_s: number,
    private readonly now_ms: () => number,
    private readonly emit: EngineEventSink,
  ) {}

  /** The signer's fleet admin key for `purpose` (default `invite`; `hive-revoke` uses `revoke`). */
  adminKey(purpose: SignerPurpose = 'invite'): ReturnType<Signer['publicKey']> {
    return this.signer.publicKey(purpose);
  }

  /** The approval waiting for the button, or null. */
  view(): PendingApprovalView | null {
    const p = this.pending;
    if (!p) return null;
    const now = this.now_ms();
    const left = p.countdown ? p.countdown.seconds_left - (now - p.countdown.at_ms) / 1000 : this.timeout_s - (now - p.started_ms) / 1000;
    return { purpose: p.purpose, title: p.title, prompt: p.prompt, started_ms: p.started_ms, seconds_left: Math.max(0, Math.ceil(left)) };
  }

  /**
   * Ask the signer to sign `text` for `purpose`, showing `summary`.
   * @returns the signature, or SignerBusy at once while another approval waits, or the signer's error.
   */
  async sign(text: string, purpose: SignerPurpose, summary: ApprovalSummary): Promise<Result<SignerSignature, SignerError>> {
    if (this.pending) return { ok: false, error: { kind: 'SignerBusy' } };
    const p: Pending = { purpose, title: summary.title, prompt: promptLine(summary), started_ms: this.now_ms(), countdown: null };
    this.pending = p;
    this.emit({ kind: 'approval', state: 'waiting', purpose, prompt: p.prompt, seconds_left: this.timeout_s });
    try {
      const r = await requestApproval(this.signer, { text, purpose, summary }, {
        onCountdown: (seconds_left) => {
          p.countdown = { seconds_left, at_ms: this.now_ms() };
          this.emit({ kind: 'approval', state: 'waiting', purpose, prompt: p.prompt, seconds_left });
        },
      });
      this.emit({ kind: 'approval', state: 'done', purpose, prompt: p.prompt, outcome: r.ok ? 'approved' : r.error.kind });
      return r;
    } finally {
      this.pending = null;
    }
  }
}
