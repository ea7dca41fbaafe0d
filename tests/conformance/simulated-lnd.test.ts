/**
 * The simulated LND behaves as LND documents for every RPC Hivebox uses, seen through the LND
 * backend or LND's own gRPC client (the `lightning` package): TLS and macaroon checks with LND's
 * errors, the custom-message range and `protocol.custom-message` overrides, the peer-event and
 * custom-message streams, the channel acceptor, "already connected", "edge not found", and a
 * circular rebalance over `SendToRouteV2`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { NodeEventSink } from '../../runtime/core/ports.ts';
import { toHex } from '../../runtime/core/types.ts';
import { CircularPayer } from '../../services/liquidity/circular-rebalancer.ts';
import { createLightningBackend } from '../../services/lightning-rpc/index.ts';
import { connectLnd, unary } from '../../services/lnd/client.ts';
import { CHANNEL_REFUSAL } from '../../services/lnd/events.ts';
import { SimNetwork } from '../../runtime/sim/simnet/network.ts';
import { addLndNode, type SimLndNode } from '../../runtime/sim/simlnd/node.ts';
import { addRecordingNode, lndBackendFor, type RecordingSimNode } from './stand-ins.ts';

let network: SimNetwork;
let l: SimLndNode;
let l2: SimLndNode;
let r: RecordingSimNode;
let lnd: ReturnType<typeof lndBackendFor>;
const closers: (() => void)[] = [];

async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen`);
    await Bun.sleep(10);
  }
}

beforeAll(async () => {
  network = await SimNetwork.create();
  l = await addLndNode(network, { name: 'l' });
  l2 = await addLndNode(network, { name: 'l2', customMessages: [18505] });
  r = await addRecordingNode(network, 'r');
  await network.openChannel(l, r.nodeId, { capacity_sat: 2_000_000 });
  await network.openChannel(l2, l.nodeId, { capacity_sat: 2_000_000 });
  lnd = lndBackendFor(l.endpoint);
});

afterAll(async () => {
  lnd.close();
  for (const c of closers) c();
  await network.stop();
});

/** An LND client on `l` with this macaroon / certificate. */
function client(opts: { macaroon?: string; cert?: string }) {
  const c = connectLnd({ host: 'localhost', port: l.endpoint.port, tls_cert_path: opts.cert ?? l.endpoint.tlsCertPath, macaroon_path: opts.macaroon ?? l.endpoint.macaroonPath });
  if (!c.ok) throw new Error(JSON.stringify(c.error));
  closers.push(c.value.close);
  return c.value;
}

describe('TLS and macaroons', () => {
  test('a macaroon without the permission gets "permission denied"; one with it is answered', async () => {
    const readOnly = client({ macaroon: l.bakeMacaroon('info.macaroon', ['info:read']) });
    expect((await unary(readOnly.lightning, 'GetInfo', {}, 10_000)).ok).toBe(true);
    const send = await unary(readOnly.lightning, 'SendCustomMessage', { peer: Buffer.from(r.nodeId, 'hex'), type: 32769, data: Buffer.from('HIVE') }, 10_000);
    expect(send.ok ? null : send.error.message).toBe('permission denied');
    expect(r.received).toEqual([]);
  });

  test("another node's macaroon fails verification; another node's certificate cannot connect", async () => {
    const foreign = client({ macaroon: l2.endpoint.macaroonPath });
    const r1 = await unary(foreign.lightning, 'GetInfo', {}, 10_000);
    expect(r1.ok ? null : r1.error.message).toBe('verification failed: signature mismatch after caveat verification');
    const wrongCert = client({ cert: l2.endpoint.tlsCertPath });
    const r2 = await unary(wrongCert.lightning, 'GetInfo', {}, 5_000);
    expect(r2.ok).toBe(false);
  });
});

describe('custom messages', () => {
  test('a type below 32768 is refused unless overridden; the override lets it through both ways', async () => {
    const refused = await lnd.backend.sendcustommsg(r.nodeId, `4849${toHex(new TextEncoder().encode('VE{}'))}`);
    expect(refused.ok ? null : refused.error.message).toBe('msg type: 18505 not in custom range: 32768 and not overridden');
    expect(r.received).toEqual([]);
    const l2Backend = lndBackendFor(l2.endpoint);
    closers.push(l2Backend.close);
    const got: string[] = [];
    const sub = l2Backend.backend.eventStreams.subscribe({ custommsg: (p, hex) => got.push(`${p}:${hex}`), connected: () => {}, disconnected: () => {}, acceptChannel: () => true }, () => {});
    try {
      // l2 (override 18505) may send it; l (no override) drops it without disconnecting; a custom-range type reaches l2.
      await Bun.sleep(100);
      const fromL2 = await l2Backend.backend.sendcustommsg(l.nodeId, '484956457b7d');
      expect(fromL2.ok).toBe(true);
      const inRange = await lnd.backend.sendcustommsg(l2.nodeId, '80017b7d');
      expect(inRange.ok).toBe(true);
      await until(() => got.length > 0, 'delivery to l2');
      expect(got).toEqual([`${l.nodeId}:80017b7d`]);
      expect(l.peers.get(l2.nodeId)?.connected).toBe(true);
    } finally {
      sub.stop();
    }
  });

  test('SubscribePeerEvents reports a connection drop and its return', async () => {
    const events: string[] = [];
    const sink: NodeEventSink = { custommsg: () => {}, connected: (p) => events.push(`on:${p}`), disconnected: (p) => events.push(`off:${p}`), acceptChannel: () => true };
    const sub = lnd.backend.eventStreams.subscribe(sink, () => {});
    try {
      await until(() => events.includes(`on:${r.nodeId}`), 'the ListPeers snapshot');
      network.disconnectPair(l, r.nodeId);
      await until(() => events.includes(`off:${r.nodeId}`), 'PEER_OFFLINE');
      expect((await lnd.backend.connect(r.nodeId)).ok).toBe(true);
      await until(() => events.filter((e) => e === `on:${r.nodeId}`).length >= 2, 'PEER_ONLINE');
      // ConnectPeer to a connected peer is LND's "already connected" error, a success for the backend (as CLN's connect).
      expect((await lnd.backend.connect(r.nodeId)).ok).toBe(true);
    } finally {
      sub.stop();
    }
  });
});

describe('channel acceptor, graph, rebalance', () => {
  test('the ChannelAcceptor refuses an open from a refused peer with the refusal text; others open', async () => {
    const x = await network.addNode({ name: 'x' });
    const y = await network.addNode({ name: 'y' });
    const sub = lnd.backend.eventStreams.subscribe({ custommsg: () => {}, connected: () => {}, disconnected: () => {}, acceptChannel: (p) => p !== x.nodeId }, () => {});
    const clients = [x, y].map((n) => createLightningBackend({ socketPath: n.rpcPath }));
    try {
      await Bun.sleep(100);
      for (const n of [x, y]) n.wallet.deposit(3_000_000, network.blockheight);
      const [fx, fy] = await Promise.all(clients.map((c) => c.client.call('fundchannel', { id: l.nodeId, amount: 1_000_000 })));
      expect(fx!.ok ? null : fx!.error.message).toEndWith(`: ${CHANNEL_REFUSAL}`);
      expect(fy!.ok).toBe(true);
    } finally {
      sub.stop();
      for (const c of clients) c.client.close();
    }
  });

  test('GetChanInfo of an unknown channel ("edge not found") is an empty listchannels; DescribeGraph lists both directions', async () => {
    const none = await lnd.backend.listchannels({ short_channel_id: '1x1x1' });
    expect(none).toEqual({ ok: true, value: [] });
    const all = await lnd.backend.listchannels({ source: l.nodeId });
    expect(all.ok && all.value.length).toBeGreaterThanOrEqual(2);
  });

  test('a circular rebalance over SendToRouteV2 moves our balance from one channel to another', async () => {
    // l → r → l2 → l: l funded l–r, l2 funded l2–l; r funds r–l2, so every hop has balance to forward.
    await network.openChannel(r, l2.nodeId, { capacity_sat: 2_000_000 });
    const chans = await lnd.backend.listpeerchannels();
    if (!chans.ok) throw new Error(chans.error.message);
    const out = chans.value.find((c) => c.peer_id === r.nodeId)!;
    const into = chans.value.find((c) => c.peer_id === l2.nodeId)!;
    const paid = await new CircularPayer(lnd.backend).pay({ out_scid: out.short_channel_id!, in_scid: into.short_channel_id!, amount_sat: 50_000, max_fee_msat: 100_000, timeout_s: 30, only_via: null });
    if (!paid.ok) throw new Error(paid.error);
    expect(paid.value).toMatchObject({ amount_sat: 50_000, hops: 3, attempts: 1 });
    const after = await lnd.backend.listpeerchannels();
    if (!after.ok) throw new Error(after.error.message);
    expect(after.value.find((c) => c.peer_id === r.nodeId)!.to_us_msat).toBe(out.to_us_msat! - 50_000_000 - paid.value.fee_msat);
    expect(after.value.find((c) => c.peer_id === l2.nodeId)!.to_us_msat).toBe(into.to_us_msat! + 50_000_000);
    // l2 (LND) forwarded it: ForwardingHistory shows the settled forward from r's channel into l's.
    const l2Backend = lndBackendFor(l2.endpoint);
    closers.push(l2Backend.close);
    const fwd = await l2Backend.backend.listforwards({ status: 'settled' });
    if (!fwd.ok) throw new Error(fwd.error.message);
    expect(fwd.value.map((f) => [f.out_channel, f.out_msat, f.status])).toEqual([[into.short_channel_id, 50_000_000, 'settled']]);
  });

  test('on-chain: ListUnspent shows a deposit, EstimateFee gives feerates, OpenChannelSync opens from the wallet', async () => {
    l.wallet.deposit(2_000_000, network.blockheight);
    const funds = await lnd.backend.listfunds();
    if (!funds.ok) throw new Error(funds.error.message);
    expect(funds.value.outputs.some((o) => o.amount_msat === 2_000_000_000)).toBe(true);
    const fees = await lnd.backend.feerates('perkb');
    expect(fees.ok && (fees.value.perkb?.opening ?? 0) > 0).toBe(true);
    const z = await network.addNode({ name: 'z' });
    const opened = await lnd.backend.fundchannel({ id: z.nodeId, amount_sat: 500_000 });
    if (!opened.ok) throw new Error(opened.error.message);
    expect(opened.value.txid).toMatch(/^[0-9a-f]{64}$/);
    expect(network.channels.some((c) => c.a === l.nodeId && c.b === z.nodeId && c.capacity_msat === 500_000_000)).toBe(true);
  });
});
