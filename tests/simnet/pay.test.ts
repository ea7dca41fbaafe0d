/**
 * simnet `pay` against CLN v26.06 behaviour: an invoice made with `invoice` on one node is paid
 * from another over simnet channels, revealing the preimage in `pay`'s result shape; the forwarding
 * node charges its `setchannel` fee and lists the forward; balances move; and the refusals —
 * invoice paid by someone else, expired, no route (partition), over the fee budget, bad bolt11 —
 * carry CLN's codes and change nothing.
 */
import { afterEach, beforeEach, expect, test } from 'bun:test';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromHex, toHex } from '../../runtime/core/types.ts';
import { createLightningBackend, type LightningRpcClient } from '../../services/lightning-rpc/index.ts';
import { decodeBolt11, SimNetwork, type SimNode } from '../../runtime/sim/simnet/index.ts';

let net: SimNetwork;
let a: SimNode;
let b: SimNode;
let c: SimNode;
const clients: LightningRpcClient[] = [];

function rpc(node: SimNode) {
  const x = createLightningBackend({ socketPath: node.rpcPath, idPrefix: 'cli' });
  clients.push(x.client);
  return x;
}

const balances = () => net.channels.map((ch) => [...ch.to_msat.values()]);

beforeEach(async () => {
  net = await SimNetwork.create();
  a = await net.addNode({ name: 'a' });
  b = await net.addNode({ name: 'b' });
  c = await net.addNode({ name: 'c' });
  await net.openChannel(a, b.nodeId, { capacity_sat: 2_000_000 });
  await net.openChannel(b, c.nodeId, { capacity_sat: 2_000_000 });
});

afterEach(async () => {
  for (const x of clients.splice(0)) x.close();
  await net.stop();
});

test('a pays c through b: preimage, CLN result shape, b earns its fee and lists the forward, balances move', async () => {
  const pa = rpc(a);
  const inv = await rpc(c).backend.invoice(1_000_000, 'l402-1', 'hive subscription', 600);
  if (!inv.ok) throw new Error(inv.error.message);
  const decoded = decodeBolt11(inv.value.bolt11);
  expect(decoded).toMatchObject({ currency: 'bc', amount_msat: 1_000_000, payment_hash: inv.value.payment_hash, payee: c.nodeId, expiry_s: 600, description: 'hive subscription' });
  expect((await rpc(b).backend.setchannel({ id: c.nodeId, feebase: 1000, feeppm: 200 })).ok).toBe(true);
  const paid = await pa.client.call('pay', { bolt11: inv.value.bolt11 });
  if (!paid.ok) throw new Error(paid.error.message);
  const fee = 1000 + Math.floor((1_000_000 * 200) / 1_000_000);
  expect(paid.value).toMatchObject({ destination: c.nodeId, payment_hash: inv.value.payment_hash, parts: 1, amount_msat: 1_000_000, amount_sent_msat: 1_000_000 + fee, status: 'complete' });
  const preimage = (paid.value as { payment_preimage: string }).payment_preimage;
  expect(toHex(sha256(fromHex(preimage)!))).toBe(inv.value.payment_hash);
  expect(c.invoices.get('l402-1')).toMatchObject({ status: 'paid', amount_received_msat: 1_000_000 });
  expect(balances()).toEqual([
    [2_000_000_000 - 1_000_000 - fee, 1_000_000 + fee],
    [2_000_000_000 - 1_000_000, 1_000_000],
  ]);
  const fw = await rpc(b).backend.listforwards({ status: 'settled' });
  expect(fw.ok && fw.value).toMatchObject([{ in_channel: net.channels[0]!.short_channel_id, out_channel: net.channels[1]!.short_channel_id, in_msat: 1_000_000 + fee, out_msat: 1_000_000, fee_msat: fee, status: 'settled' }]);
  expect(await pa.client.call('pay', [inv.value.bolt11])).toEqual(paid);
  expect(balances()[0]).toEqual([2_000_000_000 - 1_000_000 - fee, 1_000_000 + fee]);
});

test('refusals change nothing: paid by another, expired, partitioned, over budget, bad bolt11, amount rules', async () => {
  const pa = rpc(a);
  const pc = rpc(c);
  const inv = await pc.backend.invoice(50_000, 'x', 'x', 600);
  if (!inv.ok) throw new Error('invoice');
  const before = balances();
  expect(await pa.client.call('pay', { bolt11: inv.value.bolt11, maxfee: 0 })).toMatchObject({ ok: false, error: { code: 206 } });
  expect(await pa.client.call('pay', { bolt11: inv.value.bolt11, amount_msat: 50_000 })).toMatchObject({ ok: false, error: { code: -32602, message: 'amount_msat parameter unnecessary' } });
  expect(await pa.client.call('pay', { bolt11: 'lnbc1garbage' })).toMatchObject({ ok: false, error: { code: -32602 } });
  expect(await pc.client.call('pay', { bolt11: inv.value.bolt11 })).toMatchObject({ ok: false, error: { code: -32602, message: 'This payment is destined for ourselves. Self-payments are not supported' } });
  net.partition(b, c, { disconnect: true });
  expect(await pa.client.call('pay', { bolt11: inv.value.bolt11 })).toMatchObject({ ok: false, error: { code: 205 } });
  await net.heal(b, c);
  expect(balances()).toEqual(before);
  expect((await rpc(b).client.call('pay', { bolt11: inv.value.bolt11 })).ok).toBe(true);
  expect(await pa.client.call('pay', { bolt11: inv.value.bolt11 })).toMatchObject({ ok: false, error: { code: 203, message: 'failed: WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS (reply from remote)' } });
  const short = await pc.backend.invoice(50_000, 'short', 'x', 1);
  if (!short.ok) throw new Error('invoice');
  await Bun.sleep(1100);
  expect(await pa.client.call('pay', { bolt11: short.value.bolt11 })).toMatchObject({ ok: false, error: { code: 207, message: 'Invoice expired' } });
  expect(c.invoices.get('short')!.status).toBe('unpaid');
});
