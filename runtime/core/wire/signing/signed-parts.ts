/**
 * For any decoded Hive message: which signatures it carries, over which canonical strings, by
 * whom (clhive-protocol.md §3.1–3.2, Appendix A; issue 2 §3). Every type's spec states its rule
 * (`signed`, in payloads/<type>.ts). The text a signature covers is
 * `T = lightningSignedText(canonical)` — verify with `recoverSigner(text, zbase) === claimed_signer`.
 *
 * Framing matters for two types: GOSSIP (spec framing binds the fleet hash) and ATTEST's nonce
 * signature (spec framing signs the domain-separated challenge string).
 * cl-hive types Hivebox does not interpret (generic payloads) report their `signature` with
 * `canonical: null`: present, not checkable yet.
 */
import { lightningSignedText } from '../../canonical/signed-text.ts';
import { defaultScheme } from '../../crypto/default-scheme.ts';
import { recoverSigner } from '../../crypto/lnsign.ts';
import type { SignatureScheme } from '../../crypto/scheme.ts';
import type { HiveMessage } from '../decode.ts';
import { specOf } from '../message-types.ts';
import type { SignedPart } from '../spec.ts';

/** A signed part with the exact text T its signature covers (null when `canonical` is null). */
export interface SignedText extends SignedPart {
  readonly text: string | null;
}

/**
 * Every signature in `message` with the exact text it covers.
 * @returns one entry per signature (none for unsigned types); `text` is `lightningSignedText(canonical)`.
 */
export function signedTexts(message: HiveMessage): SignedText[] {
  const parts = specOf(message.type).signed(message);
  return parts.map((p) => ({ ...p, text: p.canonical === null ? null : lightningSignedText(p.canonical) }));
}

/** Outcome of checking a message's signatures by public-key recovery. */
export interface SignatureCheck {
  /** The message carries at least one signature. */
  readonly present: boolean;
  /** All checkable signatures recover to their claimed signers; null when none is checkable. */
  readonly valid: boolean | null;
  /** The key the first signature recovers to (66-hex), or null. */
  readonly signer: string | null;
}

/**
 * Recover every signature of `message` and compare with its claimed signer (no RPC; accepts
 * unannounced nodes — clhive-protocol.md §3.1).
 */
export function checkSignatures(message: HiveMessage, scheme: SignatureScheme = defaultScheme): SignatureCheck {
  const texts = signedTexts(message);
  if (texts.length === 0) return { present: false, valid: null, signer: null };
  let valid: boolean | null = null;
  let signer: string | null = null;
  for (const [i, t] of texts.entries()) {
    if (t.text === null) continue;
    const recovered = recoverSigner(t.text, t.zbase, scheme);
    if (i === 0) signer = recovered;
    valid = (valid ?? true) && recovered !== null && recovered === t.claimed_signer;
  }
  return { present: true, valid, signer };
}
