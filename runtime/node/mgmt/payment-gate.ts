/**
 * The payment layer of the trust model (spec 002 §2, "Trust Model" layer 2) for one command:
 * `verify` checks the proof the credential's compensation model requires without taking the money
 * (Cashu: decode, allow-listed mint, amount, NUT-07 UNSPENT; L402: macaroon, caveats, preimage,
 * actions left); `settle` takes it once the local policy has agreed (Cashu NUT-03 swap; L402 action
 * counted). An unpaid subscription command is answered with an L402 challenge.
 */
import { type Authorized, paymentRequirement, requiredProof, reject, type MgmtReject } from '../../core/mgmt/index.ts';
import type { NodeBackend } from '../../core/ports.ts';
import { err, ok, type Result } from '../../core/result.ts';
import type { CashuRedeemer, InspectedToken } from '../../../services/cashu/redeemer.ts';
import { challengeFor, issueSubscription, type L402Challenge, type SubscriptionTerms } from '../../../services/l402/subscription.ts';
import { settleL402, verifyL402, type VerifiedL402 } from '../../../services/l402/verifier.ts';
import type { MgmtStore } from '../../../services/mgmt-store/mgmt-store.ts';

/** A verified, not yet settled payment. */
export type VerifiedPayment =
  | { readonly kind: 'none' }
  | { readonly kind: 'cashu'; readonly token: InspectedToken }
  | { readonly kind: 'l402'; readonly l402: VerifiedL402 };

/** A payment-layer refusal, with the L402 challenge when a subscription must be bought. */
export interface PaymentRefusal {
  readonly reject: MgmtReject;
  readonly l402?: L402Challenge;
}

/** Receipt reference of a payment: `cashu:<token sha256>`, `l402:<token id>` or null. */
export function paymentRef(p: VerifiedPayment): string | null {
  return p.kind === 'cashu' ? `cashu:${p.token.token_hash}` : p.kind === 'l402' ? `l402:${p.l402.token_id}` : null;
}

/** Verifies and settles payments for the managed node. */
export class PaymentGate {
  constructor(
    private readonly store: MgmtStore,
    private readonly cashu: CashuRedeemer,
    private readonly backend: NodeBackend,
    private readonly terms: SubscriptionTerms,
    private readonly random: (n: number) => Uint8Array,
  ) {}

  /** Verify the proof `a`'s credential requires (no money moves). */
  async verify(a: Authorized, proofText: string | null, now: number): Promise<Result<VerifiedPayment, PaymentRefusal>> {
    const c = a.credential;
    const proof = requiredProof(paymentRequirement(c.compensation), proofText);
    if (!proof.ok) {
      if (proof.error.rule !== 'payment_required' || c.compensation.model !== 'subscription') return err({ reject: proof.error });
      const challenge = await this.challenge(a, now);
      return err(challenge.ok ? { reject: proof.error, l402: challenge.value } : { reject: challenge.error });
    }
    if (proof.value === null) return ok({ kind: 'none' });
    if (proof.value.kind === 'l402') {
      const v = verifyL402(this.store, proof.value.macaroon, proof.value.preimage_hex, { agent_did: c.agent_did, tier: c.tier, now_s: now });
      return v.ok ? ok({ kind: 'l402', l402: v.value }) : err({ reject: v.error });
    }
    const token = this.cashu.inspect(proof.value.token, c.compensation.rate_sats);
    if (!token.ok) return err({ reject: token.error });
    const unspent = await this.cashu.checkUnspent(token.value);
    return unspent.ok ? ok({ kind: 'cashu', token: token.value }) : err({ reject: unspent.error });
  }

  /** Take the payment: swap Cashu proofs into the node's (recorded) or count the L402 action. */
  async settle(p: VerifiedPayment, now: number): Promise<Result<void, MgmtReject>> {
    if (p.kind === 'none') return ok(undefined);
    if (p.kind === 'l402') return settleL402(this.store, p.l402);
    const redeemed = await this.cashu.redeem(p.token);
    if (!redeemed.ok) return redeemed;
    this.store.recordRedeemed(p.token.token_hash, redeemed.value.mint, redeemed.value.amount_sats, now, JSON.stringify(redeemed.value.proofs));
    return ok(undefined);
  }

  private async challenge(a: Authorized, now: number): Promise<Result<L402Challenge, MgmtReject>> {
    const c = a.credential;
    const active = this.store.activeL402Token(c.agent_did, now);
    if (active) return ok(challengeFor(active));
    const issued = await issueSubscription(this.backend, this.store, this.terms, {
      agent_did: c.agent_did,
      tier: c.tier,
      now,
      credential_expires_at: c.expires_at,
      token_id: this.random(32),
      root_key: this.random(32),
    });
    return issued.ok ? issued : err(reject('execution', 'backend_error', `invoice: ${issued.error.message}`));
  }
}
