/**
 * Over simnet, with the real plugin and daemons: the advisor fleet member manages `mgr` end to end
 * with each payment model — per-action Cashu against the local mint on 127.0.0.1, an L402
 * subscription whose invoice (mgr's `invoice`) the advisor pays with its own node's `pay`, and
 * performance (no per-command payment). Fees change through mgr's real `setchannel` and are read
 * back with `listpeerchannels`; every answer's node signature and receipt are verified by the
 * advisor; management traffic never reaches the Hive engine, other traffic still does.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { fromHex, toHex } from '../../runtime/core/types.ts';
import { sha256 } from '@noble/hashes/sha2.js';
import { composeEngines } from '../../runtime/node/compose/compose-engines.ts';
import { l402Proof } from '../../runtime/node/mgmt/advisor-client.ts';
import { waitUntil } from '../cln/fixtures/recording-engine.ts';
import { SimWorld } from './support/sim-world.ts';

let w: SimWorld;
beforeAll(async () => {
  w = await SimWorld.create();
});
afterAll(async () => {
  await w.stop();
});

const setAnchor = (scid: string, fee: number) => ({ schema: 'hive:fee-policy/v1', action: 'set_anchor', params: { channel_id: scid, target_fee_ppm: fee, ttl_hours: 24, reason: 'simnet' } });

describe('per-action Cashu', () => {
  test('a token from the local mint pays for a fee anchor: redeemed at the mint, setchannel on mgr, signed receipt', async () => {
    const cred = await w.credential();
    const token = await (await w.wallet(50)).pay(10);
    const r = await w.client.command(w.mgr.node.nodeId, setAnchor(w.scid, 120), cred, token);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.status).toBe(0);
    expect(r.value.result).toMatchObject({ status: 'accepted', result: { scid: w.scid, fee_ppm_before: 100, fee_ppm_after: 120 } });
    expect(r.value.receipt).toMatchObject({ status: 'accepted', node_id: w.mgr.node.nodeId, agent_did: w.advisorKey.did, schema_id: 'hive:fee-policy/v1', action: 'set_anchor' });
    expect(r.value.receipt.payment_ref).toStartWith('cashu:');
    expect(await w.fee()).toBe(120);
    const seenByAdv = await w.adv.backend.listchannels({ short_channel_id: w.scid });
    expect(seenByAdv.ok && seenByAdv.value.find((c) => c.source === w.mgr.node.nodeId)?.fee_per_millionth).toBe(120);
    expect(w.stores.mgr.redeemedSats()).toBe(10);
    expect(w.stores.mgr.receipts().at(-1)!.receipt_id).toBe(r.value.receipt.receipt_id);
  });
});

describe('L402 subscription', () => {
  test('402 challenge → the advisor pays mgr’s invoice with its node’s pay → macaroon + preimage works and is counted', async () => {
    const cred = await w.credential({ model: 'subscription' });
    const before = await w.snapshot();
    const first = await w.client.command(w.mgr.node.nodeId, setAnchor(w.scid, 110), cred, null);
    if (!first.ok) throw new Error(JSON.stringify(first.error));
    expect(first.value.status).toBe(1);
    const l402 = (first.value.result as { rule: string; l402: { macaroon: string; invoice: string; token_id: string } }).l402;
    expect(first.value.result).toMatchObject({ layer: 'payment', rule: 'payment_required' });
    expect(await w.fee()).toBe(before.fees[w.scid]!);
    const paid = await w.adv.cli.call('pay', { bolt11: l402.invoice });
    if (!paid.ok) throw new Error(paid.error.message);
    const { payment_preimage, payment_hash, amount_msat } = paid.value as { payment_preimage: string; payment_hash: string; amount_msat: number };
    expect(toHex(sha256(fromHex(payment_preimage)!))).toBe(payment_hash);
    expect([...w.mgr.node.invoices.values()].find((i) => i.payment_hash === payment_hash)?.status).toBe('paid');
    expect((await w.channels()).to_us_msat[w.scid]).toBe(before.to_us_msat[w.scid]! + amount_msat);
    const proof = l402Proof(l402.macaroon, payment_preimage);
    const ok1 = await w.client.command(w.mgr.node.nodeId, setAnchor(w.scid, 110), cred, proof);
    expect(ok1.ok && ok1.value.status).toBe(0);
    expect(ok1.ok && ok1.value.receipt.payment_ref).toBe(`l402:${l402.token_id}`);
    expect(await w.fee()).toBe(110);
    const ok2 = await w.client.command(w.mgr.node.nodeId, setAnchor(w.scid, 115), cred, proof);
    expect(ok2.ok && ok2.value.status).toBe(0);
    expect(await w.fee()).toBe(115);
    expect(w.stores.mgr.getL402Token(l402.token_id)!.used).toBe(2);
  });
});

describe('performance model', () => {
  test('no per-command payment: accepted, baseline recorded from mgr’s listforwards, settled by the tick at expiry; also via hive-mgmt-command', async () => {
    const cred = await w.credential({ model: 'performance' });
    const r = await w.client.command(w.mgr.node.nodeId, setAnchor(w.scid, 105), cred, null);
    expect(r.ok && r.value.status).toBe(0);
    expect(r.ok && r.value.receipt.payment_ref).toBeNull();
    expect(w.stores.mgr.getBaseline(JSON.parse(cred).id)).toMatchObject({ baseline_msat: 0 });
    expect(await w.fee()).toBe(105);
    await w.engines.mgr.onTick((w.clock() + 31 * 86_400) * 1000);
    expect(JSON.parse(w.stores.mgr.getSettlement(JSON.parse(cred).id)!)).toMatchObject({ baseline_msat: 0, current_msat: 0, bonus_msat: 0 });
    expect(w.logs.mgr.some((l) => l.event === 'mgmt_performance_settled' && l.fields.credential_id === JSON.parse(cred).id)).toBe(true);
    const viaRpc = await w.adv.daemon.engine.rpc('hive-mgmt-command', { node_id: w.mgr.node.nodeId, schema: 'hive:monitor/v1', action: 'health_summary', params: { include_channels: true }, credential: cred });
    expect(viaRpc).toMatchObject({ status: 0, result: { status: 'accepted', result: { channel_count: 3 } } });
  });
});

describe('composition with the Hive engine', () => {
  test('management messages went to the management engine only; Hive traffic and other hive-* commands reach the Hive engine', async () => {
    const mgmtTypes = (hex: string) => hex.startsWith('c000') || hex.startsWith('c001');
    expect(w.hive.mgr.customMsgs().filter((m) => mgmtTypes(m.payload))).toEqual([]);
    expect(w.hive.adv.customMsgs().filter((m) => mgmtTypes(m.payload))).toEqual([]);
    const hello = `48495645${Buffer.from(JSON.stringify({ type: 32769, version: 1, payload: { n: 1 } })).toString('hex')}`;
    expect((await w.adv.backend.sendcustommsg(w.mgr.node.nodeId, hello)).ok).toBe(true);
    await waitUntil(() => w.hive.mgr.customMsgs().some((m) => m.payload === hello), 'Hive message at the Hive engine');
    expect(await w.mgr.cli.call('hive-status')).toMatchObject({ ok: true, value: { method: 'hive-status', params: {} } });
    expect(() => composeEngines(w.hive.mgr, [w.engines.mgr, w.engines.adv])).toThrow('composeEngines: hive-mgmt-command is registered twice');
  });
});
