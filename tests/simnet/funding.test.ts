/**
 * simnet's wallet and `fundchannel` against CLN v26.06 behaviour: `listfunds` shows deposited
 * UTXOs; `fundchannel` to a real graph node (connected first, as lightningd does with a gossip
 * address) or to a simnet node spends the wallet, waits in CHANNELD_AWAITING_LOCKIN (no scid, not
 * in `listchannels`) until three blocks are mined, then is CHANNELD_NORMAL and public, with the
 * change confirmed; channels of 2^24 sat or more only between peers that both advertise
 * option_support_large_channel; errors keep CLN's codes (300 too large, 301 cannot afford, 302
 * dust, 400 unknown peer, -32602 bad parameters) and change nothing.
 */
import { afterEach, beforeEach, expect, test } from 'bun:test';
import type { NodeChannel, NodeFundsOutput, NodePeerChannel } from '../../runtime/core/ports.ts';
import { createLightningBackend, type LightningRpcClient } from '../../services/lightning-rpc/index.ts';
import { SimNetwork, type SimNode } from '../../runtime/sim/simnet/index.ts';
import { graphSlice, realChannels } from './fixtures/graph-slice.ts';

let net: SimNetwork;
const clients: LightningRpcClient[] = [];
beforeEach(async () => {
  net = await SimNetwork.create({ graph: graphSlice(300) });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await net.stop();
});

function backend(node: SimNode) {
  const c = createLightningBackend({ socketPath: node.rpcPath, idPrefix: 'cli' });
  clients.push(c.client);
  return c.backend;
}

const value = <T>(r: { ok: true; value: T } | { ok: false }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.value;
};

test('fundchannel to a real graph node: wallet spent, lock-in after 3 blocks, then normal and public', async () => {
  const a = await net.addNode({ name: 'a' });
  const b = backend(a);
  const target = (await realChannels(1))[0]!.source;
  a.wallet.deposit(10_000_000, net.blockheight - 6);
  expect(value(await b.listfunds()).outputs).toMatchObject([{ amount_msat: 10_000_000_000, status: 'confirmed', reserved: false }]);

  const funded = value(await b.fundchannel({ id: target, amount_sat: 2_000_000 }));
  expect(funded.txid).toMatch(/^[0-9a-f]{64}$/);
  const fee = Math.ceil((4000 * 175.5) / 1000);
  const waiting = value(await b.listpeerchannels(target))[0] as NodePeerChannel & { funding_txid?: string };
  expect(waiting).toMatchObject({ peer_id: target, state: 'CHANNELD_AWAITING_LOCKIN', total_msat: 2_000_000_000, to_us_msat: 2_000_000_000, funding_txid: funded.txid });
  expect(waiting.short_channel_id).toBeUndefined();
  expect(value(await b.listchannels({ source: a.nodeId }))).toEqual([]);
  const funds = value(await b.listfunds()).outputs as readonly NodeFundsOutput[];
  expect(funds).toMatchObject([{ txid: funded.txid, amount_msat: (10_000_000 - 2_000_000 - fee) * 1000, status: 'unconfirmed' }]);

  net.mineBlocks(2);
  expect(value(await b.listpeerchannels(target))[0]!.state).toBe('CHANNELD_AWAITING_LOCKIN');
  net.mineBlocks(1);
  const normal = value(await b.listpeerchannels(target))[0]!;
  expect(normal.state).toBe('CHANNELD_NORMAL');
  expect(normal.short_channel_id).toMatch(new RegExp(`^${net.blockheight}x\\d+x0$`));
  expect(value(await b.getinfo()).blockheight).toBe(net.blockheight);
  const pub = value(await b.listchannels({ short_channel_id: normal.short_channel_id! })) as readonly NodeChannel[];
  expect(pub.map((c) => [c.source, c.amount_msat]).sort()).toEqual([[a.nodeId, 2_000_000_000], [target, 2_000_000_000]].sort());
  expect(value(await b.listfunds()).outputs[0]!.status).toBe('confirmed');
});

test('fundchannel between two simnet nodes shows on both ends', async () => {
  const a = await net.addNode({ name: 'a' });
  const c = await net.addNode({ name: 'c' });
  a.wallet.deposit(5_000_000, net.blockheight);
  value(await backend(a).fundchannel({ id: c.nodeId, amount_sat: 1_000_000, announce: false }));
  net.mineBlocks(3);
  expect(value(await backend(c).listpeerchannels(a.nodeId))[0]).toMatchObject({ state: 'CHANNELD_NORMAL', private: true, to_us_msat: 0, total_msat: 1_000_000_000 });
});

test('errors keep CLN codes and change nothing', async () => {
  const a = await net.addNode({ name: 'a' });
  const b = backend(a);
  const target = (await realChannels(1))[0]!.source;
  a.wallet.deposit(1_000_000, net.blockheight);
  const before = value(await b.listfunds());
  const poor = await b.fundchannel({ id: target, amount_sat: 1_000_000 });
  expect(poor.ok === false && poor.error.code).toBe(301);
  expect(poor.ok === false && poor.error.message).toContain('Could not afford 1000000sat using all 1 available UTXOs');
  const dust = await b.fundchannel({ id: target, amount_sat: 100 });
  expect(dust.ok === false && dust.error.code).toBe(302);
  const unknown = await b.fundchannel({ id: `02${'11'.repeat(32)}`, amount_sat: 100_000 });
  expect(unknown.ok === false && unknown.error.code).toBe(400);
  const badRate = await b.call('fundchannel', { id: target, amount: 100_000, feerate: 'fast' });
  expect(badRate.ok === false && badRate.error.code).toBe(-32602);
  expect(value(await b.listfunds())).toEqual(before);
  expect(value(await b.listpeerchannels())).toEqual([]);
});

test('2^24 sat and above only when both peers advertise option_support_large_channel (BOLT 2); otherwise 300 and nothing changes', async () => {
  const a = await net.addNode({ name: 'a' });
  const wumbo = await net.addNode({ name: 'wumbo' });
  const small = await net.addNode({ name: 'small', features: '800898882a8259a1' });
  a.wallet.deposit(50_000_000, net.blockheight);
  const b = backend(a);
  const before = value(await b.listfunds());
  const refused = await b.fundchannel({ id: small.nodeId, amount_sat: 16_777_216 });
  expect(refused.ok === false && refused.error).toMatchObject({ code: 300, message: 'Amount exceeded 16777215sat' });
  expect(value(await b.listfunds())).toEqual(before);
  value(await b.fundchannel({ id: wumbo.nodeId, amount_sat: 40_000_000 }));
  net.mineBlocks(3);
  expect(value(await backend(wumbo).listpeerchannels(a.nodeId))[0]).toMatchObject({ state: 'CHANNELD_NORMAL', total_msat: 40_000_000_000 });
});
