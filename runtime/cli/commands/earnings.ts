/**
 * `hivebox earnings [--json]`: what remote management earned this node (spec 002 §2 payment
 * models) — the Cashu tokens advisors paid with, redeemed (NUT-03 swapped) into proofs the node
 * holds, and the L402 subscriptions it sold. `hivebox earnings withdraw [--mint URL]` exports the
 * proofs not yet withdrawn as one Cashu token per mint (cashu-ts `getEncodedToken`, NUT-00 V4) for
 * the operator's wallet, and marks them withdrawn so they are exported once.
 */
import { getEncodedToken, type Proof } from '@cashu/cashu-ts';
import type { Command } from 'commander';
import { nowSeconds, openCliStore } from '../../node/mgmt/cli-support.ts';
import type { RedeemedToken } from '../../../services/mgmt-store/mgmt-store.ts';
import { EXIT } from '../exit-codes.ts';

/** One Cashu token per mint from the withdrawn rows. */
export function withdrawalTokens(rows: readonly RedeemedToken[]): { mint: string; amount_sats: number; token: string }[] {
  const byMint = new Map<string, { proofs: Proof[]; amount: number }>();
  for (const r of rows) {
    const m = byMint.get(r.mint) ?? { proofs: [], amount: 0 };
    m.proofs.push(...(JSON.parse(r.proofs_json) as Proof[]));
    m.amount += r.amount_sats;
    byMint.set(r.mint, m);
  }
  return [...byMint].map(([mint, m]) => ({ mint, amount_sats: m.amount, token: getEncodedToken({ mint, proofs: m.proofs, unit: 'sat' }) }));
}

/** Register `hivebox earnings` and `hivebox earnings withdraw`. */
export function registerEarnings(program: Command): void {
  const cmd = program
    .command('earnings')
    .description('list redeemed Cashu payments and L402 subscriptions; `withdraw` exports the proofs as a Cashu token')
    .option('--db <path>', 'mgmt database')
    .option('--json', 'print JSON')
    .action((o) => {
      const store = openCliStore(o.db);
      const cashu = store.redeemedTokens().map(({ proofs_json: _p, ...r }) => r);
      const l402 = store.l402Tokens().map(({ bolt11: _b, ...t }) => t);
      store.close();
      const held = cashu.filter((c) => c.withdrawn_at === null).reduce((s, c) => s + c.amount_sats, 0);
      if (o.json) {
        console.log(JSON.stringify({ cashu, l402, cashu_held_sats: held }));
        return;
      }
      console.log(`Cashu: ${cashu.length} payment(s), ${held} sat held (not withdrawn)`);
      for (const c of cashu) console.log(`  ${new Date(c.redeemed_at * 1000).toISOString()}  ${String(c.amount_sats).padStart(8)} sat  ${c.mint}  ${c.withdrawn_at === null ? 'held' : `withdrawn ${new Date(c.withdrawn_at * 1000).toISOString()}`}  cashu:${c.token_hash.slice(0, 16)}…`);
      console.log(`L402 subscriptions: ${l402.length}`);
      for (const t of l402) console.log(`  ${t.token_id.slice(0, 16)}…  ${t.agent_did}  ${t.tier}  ${t.used}/${t.max_actions} actions  until ${new Date(t.expires_at * 1000).toISOString()}`);
    });
  cmd
    .command('withdraw')
    .description('export the Cashu proofs not yet withdrawn as a token per mint (then marked withdrawn)')
    .option('--mint <url>', 'only proofs of this mint')
    .action((w) => {
      const o = { ...cmd.opts(), ...w };
      const store = openCliStore(o.db);
      const rows = store.withdrawRedeemed(nowSeconds(), o.mint);
      store.close();
      const tokens = withdrawalTokens(rows);
      if (o.json) console.log(JSON.stringify({ tokens }));
      else if (tokens.length === 0) {
        console.error('hivebox: no Cashu proofs to withdraw');
        process.exit(EXIT.failure);
      } else for (const t of tokens) console.log(`# ${t.amount_sats} sat from ${t.mint}\n${t.token}`);
    });
}
