/**
 * Ports: the interfaces through which adapters (services/, hw/) serve the core and the daemon.
 * The core itself never calls a port — the driver (runtime/daemon) does, and feeds results back in
 * as inputs. Shapes follow CLN v26.06 doc/schemas (samples in shared/data/vectors/cln-schemas/).
 */
import type { NodeId } from './types.ts';

/** What a fleet-admin signature is for; the signer shows it and refuses purposes it does not know. */
export type SignerPurpose = 'invite' | 'revoke' | 'ban' | 'credential' | 'governance';

/** Purposes that need a physical button press on the signer (issue 2 §4, issue 5 §4). */
export const APPROVAL_PURPOSES: ReadonlySet<SignerPurpose> = new Set(['invite', 'revoke', 'ban', 'credential']);

/** What the signer displays before the operator approves (for an invite: hive id, valid hours, requirements). */
export interface ApprovalSummary {
  /** One line, e.g. "invite to hive_1a2b…, valid 24 h, requires splice". */
  readonly title: string;
  /** The fields that matter, shown one per line on the device. */
  readonly fields: Readonly<Record<string, string>>;
}

/** Why a signer did not produce a signature. */
export type SignerError =
  | { readonly kind: 'ApprovalRejected' }
  | { readonly kind: 'ApprovalTimeout'; readonly after_s: number }
  | { readonly kind: 'SignerUnavailable'; readonly reason: string }
  | { readonly kind: 'SignerBusy' }
  | { readonly kind: 'SignerRefused'; readonly reason: string };

/** A successful signature: Lightning `signmessage` zbase32 (104 chars) over the exact text given. */
export interface SignerSignature {
  readonly zbase: string;
  readonly node_id: NodeId;
}

/**
 * Fleet admin key holder (USB HID hardware signer, its simulator, or a software signer).
 * `sign` covers the exact text given (already escaped with `lightningSignedText`).
 * Never throws for device/user outcomes: they come back as `SignerError`.
 */
export interface Signer {
  /** Public key of the key slot for `purpose` (66-hex). @throws never; unavailable → SignerError. */
  publicKey(purpose: SignerPurpose): Promise<{ ok: true; node_id: NodeId } | { ok: false; error: SignerError }>;
  /** Sign `text` (Lightning signmessage format); approval purposes wait for the button. */
  sign(
    text: string,
    opts: { purpose: SignerPurpose; summary: ApprovalSummary },
  ): Promise<{ ok: true; value: SignerSignature } | { ok: false; error: SignerError }>;
}
