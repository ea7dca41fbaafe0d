/**
 * Paying an approved performance bonus (spec 002 §2 "Performance-Based Payment") out of the node's
 * Cashu earnings: the held proofs of one mint are swapped at the mint (NUT-03, cashu-ts
 * `Wallet.send`) into a token worth exactly the bonus for the advisor and change the node keeps;
 * the spent proofs are marked withdrawn and the change recorded as held, in one transaction.
 */
import { getEncodedToken, Wallet, type Proof } from '@cashu/cashu-ts';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { sha256Hex } from '../../runtime/core/mgmt/index.ts';
import type { MgmtStore } from '../mgmt-store/mgmt-store.ts';

/** A bonus paid as a Cashu token. */
export interface PaidBonus {
  readonly mint: string;
  readonly amount_sats: number;
  /** The advisor's token (NUT-00 V4). */
  readonly token: string;
}

/**
 * Pay `amount_sats` from the held proofs of the first mint that holds enough.
 * @returns the token, or why not (nothing held that covers it, the mint refused or is unreachable).
 */
export async function payFromEarnings(store: MgmtStore, amount_sats: number, now: number): Promise<Result<PaidBonus, string>> {
  const held = store.redeemedTokens().filter((r) => r.withdrawn_at === null);
  const byMint = new Map<string, typeof held>();
  for (const r of held) byMint.set(r.mint, [...(byMint.get(r.mint) ?? []), r]);
  const pick = [...byMint].find(([, rows]) => rows.reduce((s, r) => s + r.amount_sats, 0) >= amount_sats);
  if (!pick) return err(`the node holds ${held.reduce((s, r) => s + r.amount_sats, 0)} sat in Cashu, less than ${amount_sats} sat at any one mint`);
  const [mint, rows] = pick;
  try {
    const wallet = new Wallet(mint);
    await wallet.loadMint();
    const proofs = rows.flatMap((r) => JSON.parse(r.proofs_json) as Proof[]);
    const { keep, send } = await wallet.send(amount_sats, proofs);
    const token = getEncodedToken({ mint, proofs: send, unit: 'sat' });
    const change = keep.reduce((s, p) => s + p.amount.toNumber(), 0);
    store.replaceHeld(rows.map((r) => r.token_hash), now, change > 0 ? { token_hash: `change:${sha256Hex(token)}`, mint, amount_sats: change, proofs_json: JSON.stringify(keep) } : null);
    return ok({ mint, amount_sats, token });
  } catch (e) {
    return err(`mint ${mint}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
