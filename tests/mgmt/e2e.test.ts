/**
 * An advisor manages a node end to end in-process (managed node + CLN simulator + local mint),
 * once per payment model: per-action Cashu (cashuB and cashuA), L402 subscription (challenge,
 * pay, retry), and performance (baseline, settlement). Every response's node signature and
 * receipt are verified by the advisor client; the receipt log is checked and exported.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { verifyReceipt } from '../../runtime/core/mgmt/receipt.ts';
import { settleExpiredCredentials } from '../../runtime/node/mgmt/settlement.ts';
import { l402Proof } from '../../runtime/node/mgmt/advisor-client.ts';
import { SCIDS, World } from './support/world.ts';

let w: World;
beforeEach(async () => {
  w = await World.create();
});
afterEach(async () => {
  await w.close();
});

const setAnchor = (fee: number, scid: string = SCIDS.a) => ({ schema: 'hive:fee-policy/v1', action: 'set_anchor', params: { channel_id: scid, target_fee_ppm: fee, ttl_hours: 24, reason: 'test' } });

describe('per-action Cashu', () => {
  test('a cashuB token pays for a fee anchor: redeemed, executed, receipted', async () => {
    const cred = await w.credential();
    const wallet = await w.wallet(100);
    const token = await wallet.pay(10);
    const r = await w.client.command(w.sim.id, setAnchor(120), cred, token);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.status).toBe(0);
    expect(r.value.result).toMatchObject({ status: 'accepted', result: { scid: SCIDS.a, fee_ppm_before: 100, fee_ppm_after: 120 } });
    expect(w.fee(SCIDS.a)).toBe(120);
    expect(r.value.receipt).toMatchObject({ status: 'accepted', agent_did: w.advisorKey.did, schema_id: 'hive:fee-policy/v1', action: 'set_anchor' });
    expect(r.value.receipt.payment_ref).toStartWith('cashu:');
    expect(r.value.receipt.state_hash_before).not.toBe(r.value.receipt.state_hash_after);
    expect(w.store.redeemedSats()).toBe(10);
    const again = await (await w.wallet(20)).pay(10);
    expect(again).not.toBe(token);
  });

  test('a cashuA (TokenV3) token is accepted too', async () => {
    const cred = await w.credential({ tier: 'monitor', schemas: ['hive:monitor/*'] });
    const token = await (await w.wallet(50)).pay(10, 'A');
    expect(token).toStartWith('cashuA');
    const r = await w.client.command(w.sim.id, { schema: 'hive:monitor/v1', action: 'health_summary', params: { include_channels: true, include_forwards: true, hours: 72 } }, cred, token);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.status).toBe(0);
    expect(r.value.result).toMatchObject({ result: { channel_count: 3, forwards: { hours: 72, settled: 3, fee_msat: 3000 }, supported_schemas: ['hive:config/v1', 'hive:expansion/v1', 'hive:fee-policy/v1', 'hive:monitor/v1', 'hive:rebalance/v1'] } });
    expect(r.value.receipt.state_hash_before).toBe(r.value.receipt.state_hash_after);
    expect(w.store.redeemedSats()).toBe(10);
  });

  test('rebalance prefers the fleet route; config and expansion proposals go through their own paths', async () => {
    const cred = await w.credential({ tier: 'advanced' });
    const wallet = await w.wallet(100);
    const reb = await w.client.command(w.sim.id, { schema: 'hive:rebalance/v1', action: 'circular_rebalance', params: { from_channel: SCIDS.c, to_channel: SCIDS.b, amount_sats: 500_000, max_fee_ppm: 500, prefer_hive_route: true } }, cred, await wallet.pay(10));
    expect(reb.ok && reb.value.result).toMatchObject({ status: 'accepted', result: { route: 'hive', fee_msat: 0 } });
    expect(w.sim.channels.get(SCIDS.b)!.to_us_msat).toBe(1_500_000_000);
    const cfg = await w.client.command(w.sim.id, { schema: 'hive:config/v1', action: 'adjust', params: { parameter: 'min_fee_ppm', value: 20, trigger_reason: 'stagnation' } }, cred, await wallet.pay(10));
    expect(cfg.ok && cfg.value.result).toMatchObject({ status: 'accepted', result: { parameter: 'min_fee_ppm', before: null, after: 20 } });
    expect(w.store.getConfig()).toEqual({ min_fee_ppm: 20 });
    const open = await w.client.command(w.sim.id, { schema: 'hive:expansion/v1', action: 'propose_channel_open', params: { peer_id: '02' + 'ee'.repeat(32), capacity_sats: 5_000_000, reasoning: 'complementary' } }, cred, await wallet.pay(10));
    expect(open.ok && open.value.result).toMatchObject({ status: 'accepted', result: { pending: true } });
    expect(w.store.pendingActions().map((p) => p.kind)).toEqual(['channel_open']);
    expect(w.store.redeemedSats()).toBe(30);
  });
});

describe('L402 subscription', () => {
  test('unpaid command → 402-style challenge; pay the invoice; macaroon + preimage then works and is counted', async () => {
    const cred = await w.credential({ model: 'subscription' });
    const first = await w.client.command(w.sim.id, setAnchor(110), cred, null);
    if (!first.ok) throw new Error(JSON.stringify(first.error));
    expect(first.value.status).toBe(1);
    const result = first.value.result as { rule: string; l402: { macaroon: string; invoice: string; max_actions: number } };
    expect(result.rule).toBe('payment_required');
    expect(result.l402.max_actions).toBe(1000);
    expect(w.fee(SCIDS.a)).toBe(100);
    const preimage = w.sim.payInvoice(result.l402.invoice);
    const proof = l402Proof(result.l402.macaroon, preimage);
    const paid = await w.client.command(w.sim.id, setAnchor(110), cred, proof);
    expect(paid.ok && paid.value.status).toBe(0);
    expect(paid.ok && paid.value.receipt.payment_ref).toStartWith('l402:');
    expect(w.fee(SCIDS.a)).toBe(110);
    const second = await w.client.command(w.sim.id, setAnchor(115), cred, proof);
    expect(second.ok && second.value.status).toBe(0);
    const tokenId = (paid.ok ? paid.value.receipt.payment_ref! : '').slice('l402:'.length);
    expect(w.store.getL402Token(tokenId)!.used).toBe(2);
    const again = await w.client.command(w.sim.id, setAnchor(112), cred, null);
    expect(again.ok && (again.value.result as { l402: { macaroon: string } }).l402.macaroon).toBe(result.l402.macaroon);
  });
});

describe('performance model', () => {
  test('no per-command payment; baseline at start, bonus = max(0, current − baseline) × share at expiry', async () => {
    const cred = await w.credential({ model: 'performance', sharePct: 10, days: 7, issuedAt: w.now - 60 });
    const r = await w.client.command(w.sim.id, setAnchor(110), cred, null);
    expect(r.ok && r.value.status).toBe(0);
    const id = r.ok ? r.value.receipt.credential_id! : '';
    expect(w.store.getBaseline(id)?.baseline_msat).toBe(7000);
    for (let d = 0; d < 7; d++) w.sim.forwards.push({ in_channel: SCIDS.a, out_channel: SCIDS.b, in_msat: 9_000_000, fee_msat: 3000, status: 'settled', received_time: w.now + d * 86_400, resolved_time: w.now + d * 86_400 + 1 });
    w.now += 8 * 86_400;
    const settled = await settleExpiredCredentials(w.store, w.sim, w.now);
    expect(settled).toEqual([{ credential_id: id, agent_did: w.advisorKey.did, baseline_msat: 7000, current_msat: 21_000, delta_msat: 14_000, share_pct: 10, bonus_msat: 1400 }]);
    expect(w.store.pendingActions().map((p) => p.kind)).toEqual(['performance_payout']);
    expect(await settleExpiredCredentials(w.store, w.sim, w.now)).toEqual([]);
  });
});

describe('did:cid agents and the receipt log', () => {
  test('a did:cid advisor resolves through the gatekeeper once (cached)', async () => {
    const did = 'did:cid:bagaaierajrr7k6izcrdfwqxpgtrobflsv5oibymfnthjazkkokaugszyh4ka';
    w.gatekeeper.register(did, Uint8Array.from(Buffer.from(w.advisorKey.publicKeyHex, 'hex')));
    const key = Object.assign(Object.create(Object.getPrototypeOf(w.advisorKey)), w.advisorKey, { did });
    const client = w.advisor(key);
    const cred = await w.credential({ agentDid: did, model: 'performance' });
    for (const fee of [105, 110]) {
      const r = await client.command(w.sim.id, setAnchor(fee), cred, null);
      expect(r.ok && r.value.status).toBe(0);
    }
    expect(w.gatekeeper.hits.get(did)).toBe(1);
  });

  test('receipts verify, export as JSON lines, and cannot be updated or deleted', async () => {
    const cred = await w.credential({ model: 'performance' });
    await w.client.command(w.sim.id, setAnchor(110), cred, null);
    await w.client.command(w.sim.id, setAnchor(900), cred, null);
    const receipts = w.store.receipts(w.advisorKey.did);
    expect(receipts.map((r) => r.status)).toEqual(['accepted', 'rejected']);
    for (const r of receipts) expect(verifyReceipt(r, w.sim.id)).toBe(true);
    const lines = w.store.exportReceiptsJsonl(w.advisorKey.did).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).receipt_id)).toEqual(receipts.map((r) => r.receipt_id));
    expect(() => w.store.db.run("UPDATE receipts SET status = 'accepted'")).toThrow(/append-only/);
    expect(() => w.store.db.run('DELETE FROM receipts')).toThrow(/append-only/);
    expect(w.store.receipts().length).toBe(2);
  });

  test('receipts are pruned once past their retention, never earlier, and the cut-off never moves back', async () => {
    const cred = await w.credential({ model: 'performance' });
    await w.client.command(w.sim.id, setAnchor(110), cred, null);
    w.now += 10 * 86_400;
    await w.client.command(w.sim.id, setAnchor(111), cred, null);
    const [older, newer] = w.store.receipts(w.advisorKey.did);
    expect(newer!.executed_at - older!.executed_at).toBeGreaterThanOrEqual(10 * 86_400);
    expect(w.store.pruneReceipts(older!.executed_at)).toBe(0);
    expect(w.store.pruneReceipts(older!.executed_at + 1)).toBe(1);
    expect(w.store.receipts().map((r) => r.receipt_id)).toEqual([newer!.receipt_id]);
    expect(w.store.pruneReceipts(0)).toBe(0);
    expect(() => w.store.db.run('DELETE FROM receipts')).toThrow(/retention/);
    expect(w.store.receipts().length).toBe(1);
  });
});
