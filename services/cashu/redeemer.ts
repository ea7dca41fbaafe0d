/**
 * Node-side Cashu payment verification (spec 002 §2 "Per-Action Flow (Cashu)", issue 9 §4):
 * decode a `cashuA`/`cashuB` token (NUT-00), refuse mints outside the operator's allow-list and
 * short amounts, check every proof is UNSPENT at the mint (NUT-07), and redeem by swapping into
 * fresh proofs (NUT-03) before the command executes. All through @cashu/cashu-ts.
 */
import { getTokenMetadata, normalizeMintUrl, Wallet, type Proof } from '@cashu/cashu-ts';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { reject, type MgmtReject, sha256Hex } from '../../runtime/core/mgmt/index.ts';

/** A token that passed the offline checks. */
export interface InspectedToken {
  readonly token: string;
  readonly mint: string;
  readonly amount_sats: number;
  /** sha256 hex of the token text: the receipt's payment reference `cashu:<hash>`. */
  readonly token_hash: string;
}

/** Proofs the node now owns after a swap. */
export interface Redeemed {
  readonly mint: string;
  readonly amount_sats: number;
  readonly proofs: readonly Proof[];
}

/** Cashu error code "Token already spent" (NUT-00 error codes). */
const TOKEN_SPENT = 11001;

function errorCode(e: unknown): number | null {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : null;
}

function safeNormalize(url: string): string | null {
  try {
    return normalizeMintUrl(url);
  } catch {
    return null;
  }
}

/** Verifies and redeems advisors' tokens against allow-listed mints. */
export class CashuRedeemer {
  private readonly allowed: ReadonlySet<string>;
  private readonly wallets = new Map<string, Promise<Wallet>>();

  /** @param allowedMints mint URLs the operator trusts (spec 002 open question 3: operator's choice). */
  constructor(allowedMints: readonly string[]) {
    this.allowed = new Set(allowedMints.map((m) => safeNormalize(m)).filter((m): m is string => m !== null));
  }

  /**
   * Offline checks: token decodes, unit is sat, mint is allow-listed, amount ≥ `minSats`.
   * @returns `payment/malformed_payment|mint_not_allowed|insufficient_amount` on failure.
   */
  inspect(token: string, minSats: number): Result<InspectedToken, MgmtReject> {
    let meta: ReturnType<typeof getTokenMetadata>;
    try {
      meta = getTokenMetadata(token);
    } catch {
      return err(reject('payment', 'malformed_payment', 'Cashu token does not decode'));
    }
    if (meta.unit !== 'sat') return err(reject('payment', 'malformed_payment', `unit ${meta.unit} is not sat`));
    const mint = safeNormalize(meta.mint);
    if (mint === null || !this.allowed.has(mint)) return err(reject('payment', 'mint_not_allowed', `mint ${meta.mint} is not on the allow-list`));
    const amount_sats = meta.amount.toNumber();
    if (amount_sats < minSats) return err(reject('payment', 'insufficient_amount', `${amount_sats} sats < ${minSats} sats`));
    return ok({ token, mint, amount_sats, token_hash: sha256Hex(token) });
  }

  private wallet(mint: string): Promise<Wallet> {
    let w = this.wallets.get(mint);
    if (!w) {
      w = (async () => {
        const wallet = new Wallet(mint);
        await wallet.loadMint();
        return wallet;
      })();
      w.catch(() => this.wallets.delete(mint));
      this.wallets.set(mint, w);
    }
    return w;
  }

  /**
   * NUT-07: every proof must be UNSPENT (checked before anything else touches the mint).
   * @returns `payment/token_spent` or `payment/mint_unreachable`.
   */
  async checkUnspent(t: InspectedToken): Promise<Result<void, MgmtReject>> {
    try {
      const wallet = await this.wallet(t.mint);
      const states = await wallet.checkProofsStates(wallet.decodeToken(t.token).proofs);
      const bad = states.find((s) => s.state !== 'UNSPENT');
      return bad ? err(reject('payment', 'token_spent', `proof ${bad.Y.slice(0, 16)}… is ${bad.state}`)) : ok(undefined);
    } catch (e) {
      return err(reject('payment', 'mint_unreachable', `mint check failed: ${e instanceof Error ? e.message : String(e)}`));
    }
  }

  /**
   * NUT-03: swap the token's proofs for fresh ones owned by the node (redeeming it).
   * @returns the new proofs, or `payment/token_spent` (raced double spend) / `payment/mint_unreachable`.
   */
  async redeem(t: InspectedToken): Promise<Result<Redeemed, MgmtReject>> {
    try {
      const wallet = await this.wallet(t.mint);
      const proofs = await wallet.receive(t.token);
      return ok({ mint: t.mint, amount_sats: proofs.reduce((s, p) => s + p.amount.toNumber(), 0), proofs });
    } catch (e) {
      if (errorCode(e) === TOKEN_SPENT) return err(reject('payment', 'token_spent', 'mint reports the token already spent'));
      return err(reject('payment', 'mint_unreachable', `swap failed: ${e instanceof Error ? e.message : String(e)}`));
    }
  }
}
