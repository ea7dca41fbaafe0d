/**
 * `hive:rebalance/v1 circular_rebalance` carried out on the managed node's lightningd (simnet):
 * an invoice of mgr's own paid mgr → adv (outScid) → mgr (scid) with sendpay/waitsendpay; the
 * advisor's Cashu token is checked before (NUT-07) and swapped only after the payment settled. A
 * rebalance that cannot run (fee cap below the route's fee) moves nothing, leaves the token unspent
 * at the mint and its receipt says the payment was not taken. `hivebox earnings` lists what was
 * redeemed and `earnings withdraw` exports it as a Cashu token; an approved performance payout is
 * paid out of those proofs as a token for the advisor.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { join } from 'node:path';
import { CashuRedeemer } from '../../services/cashu/redeemer.ts';
import { mgmtActionSource } from '../../runtime/node/mgmt/pending-queue.ts';
import { SimWorld } from './support/sim-world.ts';

let w: SimWorld;
beforeAll(async () => {
  w = await SimWorld.create();
});
afterAll(async () => {
  await w.stop();
});

const rebalance = (amount_sats: number, max_fee_ppm: number) => ({
  schema: 'hive:rebalance/v1',
  action: 'circular_rebalance',
  params: { from_channel: w.outScid, to_channel: w.scid, amount_sats, max_fee_ppm, prefer_hive_route: true },
});

async function unspent(token: string): Promise<boolean> {
  const redeemer = new CashuRedeemer([w.mint.url]);
  const t = redeemer.inspect(token, 10);
  if (!t.ok) throw new Error(t.error.detail);
  return (await redeemer.checkUnspent(t.value)).ok;
}

test('a paid circular rebalance moves the funds through lightningd, then takes the token', async () => {
  const cred = await w.credential({ schemas: ['hive:rebalance/*'] });
  const token = await (await w.wallet(50)).pay(10);
  const before = await w.snapshot();
  const r = await w.client.command(w.mgr.node.nodeId, rebalance(100_000, 500), cred, token);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  expect(r.value.status).toBe(0);
  // adv charges its default 1000 msat + 10 ppm to forward into scid; no fleet members here, so the public route.
  expect(r.value.result).toMatchObject({ status: 'accepted', payment: 'taken', result: { from_channel: w.outScid, to_channel: w.scid, amount_sats: 100_000, route: 'public', fee_msat: 2_000, hops: 2 } });
  const after = await w.snapshot();
  expect(after.to_us_msat[w.scid]).toBe(before.to_us_msat[w.scid]! + 100_000_000);
  expect(after.to_us_msat[w.outScid]).toBe(before.to_us_msat[w.outScid]! - 100_002_000);
  expect(after.redeemed_sats).toBe(before.redeemed_sats + 10);
  expect(await unspent(token)).toBe(false);
  expect(w.lastReceipt()).toMatchObject({ status: 'accepted', action: 'circular_rebalance' });
});

test('a rebalance that fails keeps the advisor’s token unspent; the receipt says so; nothing moves', async () => {
  const cred = await w.credential({ schemas: ['hive:rebalance/*'] });
  const token = await (await w.wallet(50)).pay(10);
  const before = await w.snapshot();
  const r = await w.client.command(w.mgr.node.nodeId, rebalance(100_000, 1), cred, token);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  expect(r.value.status).toBe(2);
  expect(r.value.result).toMatchObject({ status: 'error', layer: 'execution', rule: 'backend_error', payment: 'not_taken: the command did not execute, the payment stays with the advisor' });
  expect((r.value.result as { detail: string }).detail).toContain('cheapest route costs 2000 msat, above the cap of 100 msat');
  const after = await w.snapshot();
  expect(after).toEqual({ ...before, receipts: before.receipts + 1 });
  expect(await unspent(token)).toBe(true);
  expect(w.lastReceipt()).toMatchObject({ status: 'error', layer: 'execution', payment_ref: expect.stringMatching(/^cashu:/) });
});

test('approving a performance payout pays the bonus out of the held Cashu proofs as a token for the advisor', async () => {
  const store = w.stores.mgr;
  const held = store.redeemedSats();
  expect(held).toBeGreaterThanOrEqual(10);
  store.addPendingAction({ kind: 'performance_payout', agent_did: w.advisorKey.did, credential_id: 'cred-x', json: JSON.stringify({ bonus_msat: 7_000 }), created_at: w.clock() });
  const queue = mgmtActionSource(store, w.clock);
  const [payout] = queue.list(false).filter((a) => a.kind === 'performance_payout');
  expect(payout).toMatchObject({ source: 'mgmt', amount_sats: 7, status: 'pending' });
  const noFleet = { proposeOpen: async () => 'no fleet in this test' };
  const r = await queue.decide({ action_id: payout!.action_id, decision: 'approve' }, noFleet);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  const token = r.value.outcome.split(': ').at(-1)!;
  expect(r.value.outcome).toStartWith(`approved: 7 sat for ${w.advisorKey.did} as a Cashu token`);
  const redeemer = new CashuRedeemer([w.mint.url]);
  const t = redeemer.inspect(token, 7);
  if (!t.ok) throw new Error(t.error.detail);
  expect(t.value.amount_sats).toBe(7);
  expect((await redeemer.checkUnspent(t.value)).ok).toBe(true);
  const left = store.redeemedTokens().filter((x) => x.withdrawn_at === null).reduce((s, x) => s + x.amount_sats, 0);
  expect(left).toBe(held - 7);
  expect(queue.list(true).find((a) => a.action_id === payout!.action_id)?.status).toBe('approved');
  const again = await queue.decide({ action_id: payout!.action_id, decision: 'approve' }, noFleet);
  expect(!again.ok && again.error.kind).toBe('action_not_pending');
});

test('hivebox earnings lists the redeemed token; earnings withdraw exports its proofs as a Cashu token the mint accepts, once', async () => {
  const db = join(w.root, 'mgr.sqlite');
  const listed = cli('earnings', '--db', db, '--json');
  expect(listed.code).toBe(0);
  const earnings = JSON.parse(listed.out) as { cashu: { amount_sats: number; mint: string; withdrawn_at: number | null }[]; cashu_held_sats: number };
  expect(earnings.cashu.length).toBeGreaterThan(0);
  expect(earnings.cashu_held_sats).toBe(w.stores.mgr.redeemedTokens().filter((x) => x.withdrawn_at === null).reduce((s, x) => s + x.amount_sats, 0));
  expect(cli('earnings', '--db', db).out).toContain(`${earnings.cashu_held_sats} sat held`);

  const out = cli('earnings', 'withdraw', '--db', db, '--json');
  expect(out.code).toBe(0);
  const { tokens } = JSON.parse(out.out) as { tokens: { mint: string; amount_sats: number; token: string }[] };
  expect(tokens).toHaveLength(1);
  expect(tokens[0]!.amount_sats).toBe(earnings.cashu_held_sats);
  const redeemer = new CashuRedeemer([w.mint.url]);
  const t = redeemer.inspect(tokens[0]!.token, earnings.cashu_held_sats);
  if (!t.ok) throw new Error(t.error.detail);
  expect((await redeemer.checkUnspent(t.value)).ok).toBe(true);
  expect((await redeemer.redeem(t.value)).ok).toBe(true);
  expect(JSON.parse(cli('earnings', '--db', db, '--json').out).cashu_held_sats).toBe(0);
  const again = cli('earnings', 'withdraw', '--db', db);
  expect(again.code).not.toBe(0);
  expect(again.err).toContain('no Cashu proofs to withdraw');
});

const MAIN = join(import.meta.dir, '../../runtime/cli/main.ts');
function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = Bun.spawnSync(['bun', MAIN, ...args], { env: { ...process.env, HIVEBOX_MGMT_DB: '' } });
  return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
}
