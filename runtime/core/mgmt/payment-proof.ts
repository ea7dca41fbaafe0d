/**
 * The `payment_proof` field (spec 002 §3 field [4], §2 "Payment Models"): which proof a command
 * carries and whether its credential's compensation model needs one.
 *
 * Forms: a Cashu token `cashuA…` (TokenV3) / `cashuB…` (TokenV4) (NUT-00), or an L402 credential
 * in its HTTP header form `L402 <base64 macaroon>:<hex preimage>` (also the older `LSAT` scheme;
 * ecosystem.md §E "L402").
 */
import { err, ok, type Result } from '../result.ts';
import type { Compensation } from './credential.ts';
import { reject, type MgmtReject } from './reject.ts';

/** A classified payment proof. */
export type PaymentProof =
  | { readonly kind: 'cashu'; readonly token: string }
  | { readonly kind: 'l402'; readonly macaroon: string; readonly preimage_hex: string };

/** What a credential's compensation model demands per command. */
export type PaymentRequirement =
  | { readonly kind: 'none' }
  | { readonly kind: 'per_action'; readonly rate_sats: number }
  | { readonly kind: 'subscription' };

const L402_RE = /^(?:L402|LSAT) ([A-Za-z0-9+/_=-]{16,8192}):([0-9a-f]{64})$/;
const CASHU_RE = /^cashu[AB][A-Za-z0-9+/_=-]{16,}$/;

/** Requirement of a compensation model: performance pays later; per-action at `rate_sats`. */
export function paymentRequirement(c: Compensation): PaymentRequirement {
  if (c.model === 'subscription') return { kind: 'subscription' };
  if (c.model === 'per_action' && c.rate_sats > 0) return { kind: 'per_action', rate_sats: c.rate_sats };
  return { kind: 'none' };
}

/** Classify `payment_proof` text. @returns null when it is neither form. */
export function classifyPaymentProof(text: string): PaymentProof | null {
  if (CASHU_RE.test(text)) return { kind: 'cashu', token: text };
  const m = L402_RE.exec(text);
  return m ? { kind: 'l402', macaroon: m[1]!, preimage_hex: m[2]! } : null;
}

/**
 * The proof a command must settle, given the requirement.
 * @returns null when nothing is owed; `payment/payment_required` when a needed proof is missing
 *   (or a subscription credential presents Cashu); `payment/malformed_payment` for unknown text.
 */
export function requiredProof(req: PaymentRequirement, proofText: string | null): Result<PaymentProof | null, MgmtReject> {
  if (req.kind === 'none') return ok(null);
  if (proofText === null) return err(reject('payment', 'payment_required', req.kind === 'subscription' ? 'an L402 macaroon and preimage are required' : `a payment of ${req.rate_sats} sats is required`));
  const proof = classifyPaymentProof(proofText);
  if (!proof) return err(reject('payment', 'malformed_payment', 'payment_proof is neither a Cashu token nor an L402 credential'));
  if (req.kind === 'subscription' && proof.kind !== 'l402') return err(reject('payment', 'payment_required', 'subscription credentials pay with an L402 macaroon'));
  return ok(proof);
}
