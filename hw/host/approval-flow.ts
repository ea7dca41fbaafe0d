/**
 * Hardware-button approval, library side (issue 5 §4): what `hivebox invite`, `lightning-cli
 * hive-invite`, revocations and bans call. Sends the exact text to the signer, tells the operator
 * "Press the button on your Hivebox signer to approve: invite to <hive>, valid 24 h, requires splice"
 * once the device shows it, drives a live countdown from the device's keepalives, and returns the
 * signature or a typed `SignerError` (rejected, timed out, unplugged, busy, refused).
 */
import { APPROVAL_PURPOSES, type ApprovalSummary, type Signer, type SignerError, type SignerPurpose, type SignerSignature } from '../../runtime/core/ports.ts';
import { err, type Result } from '../../runtime/core/result.ts';
import { describeSignText } from '../protocol/purposes.ts';
import type { PendingApproval } from './pending-approval.ts';
import { refused } from './signer-errors.ts';

/** What to sign. Without `summary`, the summary is derived from the text as the device derives it. */
export interface ApprovalRequest {
  /** The exact signed text (already `lightningSignedText`-escaped). */
  readonly text: string;
  readonly purpose: SignerPurpose;
  readonly summary?: ApprovalSummary;
}

/** Operator-facing callbacks. */
export interface ApprovalCallbacks {
  /** Called once when the signer is waiting for the press, with the line to print. */
  readonly onPrompt?: (line: string) => void;
  /** Called whenever the device's countdown changes (whole seconds left). */
  readonly onCountdown?: (seconds_left: number) => void;
}

/** A signer that can report its pending approval (HidSigner does; a software signer may not). */
type MaybePendingSource = Signer & { onPendingChange?: (listener: (p: PendingApproval | null) => void) => () => void };

/** The prompt line for a summary. */
export function promptLine(summary: ApprovalSummary): string {
  return `Press the button on your Hivebox signer to approve: ${summary.title}`;
}

/**
 * Ask the signer to sign `req.text`, surfacing the button prompt and countdown.
 * @returns the signature, or `SignerRefused` at once when the text does not have the purpose's
 *   structure (the device would refuse it too), or the signer's own error.
 */
export async function requestApproval(signer: MaybePendingSource, req: ApprovalRequest, cb: ApprovalCallbacks = {}): Promise<Result<SignerSignature, SignerError>> {
  let summary = req.summary;
  if (!summary) {
    const d = describeSignText(req.purpose, req.text);
    if (!d.ok) return err(refused(`not a valid ${req.purpose} text: ${d.error.reason}`));
    summary = { title: d.value.title, fields: d.value.fields };
  }
  const needsButton = APPROVAL_PURPOSES.has(req.purpose);
  let prompted = false;
  let lastCount: number | null = null;
  const prompt = () => {
    if (!prompted && needsButton) cb.onPrompt?.(promptLine(summary));
    prompted = true;
  };
  const unsubscribe = signer.onPendingChange?.((p) => {
    if (!p?.waiting_for_user) return;
    prompt();
    if (p.seconds_left !== lastCount) {
      lastCount = p.seconds_left;
      cb.onCountdown?.(p.seconds_left);
    }
  });
  if (!unsubscribe) prompt();
  try {
    return await signer.sign(req.text, { purpose: req.purpose, summary });
  } finally {
    unsubscribe?.();
  }
}
