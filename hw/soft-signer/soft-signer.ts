/**
 * Software fleet-admin signer: implements the `Signer` port (runtime/core/ports.ts) with a key
 * file on disk and a simulated approve button. It stands for the USB HID hardware signer (hw/ HID
 * driver + device simulator, built by another helper) until that lands, and has the same
 * semantics: purposes in `APPROVAL_PURPOSES` (invite, revoke, ban, credential) wait for a button
 * press and fail with ApprovalRejected / ApprovalTimeout; one request at a time (a second request
 * while one waits for the button gets SignerBusy); signatures are Lightning `signmessage` format
 * over the exact text given (issue 2 §4, clhive-protocol.md §3.1).
 */
import { signMessage, recoverSigner } from '../../runtime/core/crypto/lnsign.ts';
import { nobleScheme } from '../../runtime/core/crypto/noble-scheme.ts';
import { APPROVAL_PURPOSES, type ApprovalSummary, type Signer, type SignerError, type SignerPurpose, type SignerSignature } from '../../runtime/core/ports.ts';
import { toHex, type NodeId } from '../../runtime/core/types.ts';
import type { ApproveButton } from './approve-button.ts';
import { createKeyFile, readKeyFile, type KeyFileError } from './key-file.ts';

/** Default time the operator has to press the button: 60 s (the HID signer's default). */
export const DEFAULT_APPROVAL_TIMEOUT_MS = 60_000;

/** Every purpose the signer knows; anything else is refused (SignerRefused). */
const KNOWN_PURPOSES: ReadonlySet<string> = new Set<SignerPurpose>(['invite', 'revoke', 'ban', 'credential', 'governance']);

/** Options of {@link SoftSigner}. */
export interface SoftSignerOptions {
  /** The operator's button (simulated). */
  readonly button: ApproveButton;
  /** How long to wait for a press, in ms. Default {@link DEFAULT_APPROVAL_TIMEOUT_MS}. */
  readonly approvalTimeout_ms?: number;
}

/** Software implementation of the `Signer` port; one key serves every purpose slot. */
export class SoftSigner implements Signer {
  private readonly nodeId: NodeId;
  private busy = false;

  /** @param secretKey 32-byte secp256k1 secret (kept in memory only). */
  constructor(
    private readonly secretKey: Uint8Array,
    private readonly options: SoftSignerOptions,
  ) {
    this.nodeId = toHex(nobleScheme.publicKey(secretKey)) as NodeId;
  }

  /**
   * Load the key from `path` (see readKeyFile: refuses group/world-readable files), or create a
   * fresh 0600 key file there when `create` is set and the file does not exist.
   * @returns the signer, or the typed `KeyFileError`.
   */
  static open(
    path: string,
    options: SoftSignerOptions & { readonly create?: boolean },
  ): { ok: true; value: SoftSigner } | { ok: false; error: KeyFileError } {
    let key = readKeyFile(path);
    if (!key.ok && key.error.kind === 'missing' && options.create) key = createKeyFile(path);
    if (!key.ok) return key;
    return { ok: true, value: new SoftSigner(key.value, options) };
  }

  async publicKey(purpose: SignerPurpose): Promise<{ ok: true; node_id: NodeId } | { ok: false; error: SignerError }> {
    if (!KNOWN_PURPOSES.has(purpose)) return { ok: false, error: { kind: 'SignerRefused', reason: `unknown purpose ${String(purpose)}` } };
    return { ok: true, node_id: this.nodeId };
  }

  async sign(
    text: string,
    opts: { purpose: SignerPurpose; summary: ApprovalSummary },
  ): Promise<{ ok: true; value: SignerSignature } | { ok: false; error: SignerError }> {
    if (!KNOWN_PURPOSES.has(opts.purpose)) return { ok: false, error: { kind: 'SignerRefused', reason: `unknown purpose ${String(opts.purpose)}` } };
    if (this.busy) return { ok: false, error: { kind: 'SignerBusy' } };
    this.busy = true;
    try {
      if (APPROVAL_PURPOSES.has(opts.purpose)) {
        const timeout_ms = this.options.approvalTimeout_ms ?? DEFAULT_APPROVAL_TIMEOUT_MS;
        const outcome = await this.options.button.request(opts.summary, timeout_ms);
        if (outcome === 'reject') return { ok: false, error: { kind: 'ApprovalRejected' } };
        if (outcome === 'timeout') return { ok: false, error: { kind: 'ApprovalTimeout', after_s: timeout_ms / 1000 } };
      }
      const zbase = signMessage(text, this.secretKey);
      // Check our own output before handing it out (noble's habit): it must recover to our key.
      if (recoverSigner(text, zbase) !== this.nodeId) return { ok: false, error: { kind: 'SignerUnavailable', reason: 'self-check of signature failed' } };
      return { ok: true, value: { zbase, node_id: this.nodeId } };
    } finally {
      this.busy = false;
    }
  }
}
