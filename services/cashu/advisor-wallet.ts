/**
 * Advisor-side Cashu wallet (spec 002 §2 "Budgetable — operator mints a batch of tokens as the
 * agent's spending allowance"): holds proofs from one mint and pays per command with a `cashuB`
 * (TokenV4) or `cashuA` (TokenV3, NUT-00 legacy) token. Funding uses the mint's NUT-04 bolt11
 * quote; against the local test mint quotes come paid (its documented test path).
 */
import { getEncodedToken, Wallet, type Proof } from '@cashu/cashu-ts';
import { base64urlnopad } from '@scure/base';

/** A single-mint wallet held in memory by the advisor process. */
export class AdvisorWallet {
  private proofs: Proof[] = [];

  private constructor(
    readonly mintUrl: string,
    private readonly wallet: Wallet,
  ) {}

  /** Connect to `mintUrl` (loads keysets, NUT-01/02). */
  static async open(mintUrl: string): Promise<AdvisorWallet> {
    const wallet = new Wallet(mintUrl);
    await wallet.loadMint();
    return new AdvisorWallet(mintUrl, wallet);
  }

  /** Sats held. */
  balance(): number {
    return this.proofs.reduce((s, p) => s + p.amount.toNumber(), 0);
  }

  /**
   * Mint `amountSats` through a NUT-04 bolt11 quote that the mint reports PAID.
   * @throws Error when the quote is not paid (a real mint needs the invoice paid first).
   */
  async fund(amountSats: number): Promise<void> {
    const quote = await this.wallet.createMintQuoteBolt11(amountSats);
    const checked = await this.wallet.checkMintQuoteBolt11(quote.quote);
    if (checked.state !== 'PAID') throw new Error(`mint quote ${quote.quote} is ${checked.state}; pay ${quote.request} first`);
    this.proofs.push(...(await this.wallet.mintProofsBolt11(amountSats, quote.quote)));
  }

  /**
   * A token worth exactly `amountSats` (swapping for change at the mint, NUT-03, when needed).
   * @param version `B` (TokenV4 CBOR, default) or `A` (TokenV3 JSON).
   * @throws Error when the balance is too small.
   */
  async pay(amountSats: number, version: 'A' | 'B' = 'B'): Promise<string> {
    if (this.balance() < amountSats) throw new Error(`balance ${this.balance()} < ${amountSats} sats`);
    const { keep, send } = await this.wallet.send(amountSats, this.proofs);
    this.proofs = [...keep];
    if (version === 'B') return getEncodedToken({ mint: this.mintUrl, proofs: send });
    const v3 = {
      token: [{ mint: this.mintUrl, proofs: send.map((p) => ({ amount: p.amount.toNumber(), id: p.id, secret: p.secret, C: p.C })) }],
      unit: 'sat',
    };
    return `cashuA${base64urlnopad.encode(new TextEncoder().encode(JSON.stringify(v3)))}`;
  }
}
