/**
 * simnet's simulated lightningd against CLN v26.06 behaviour, without daemons: hook chains with
 * `filters`, a hook answer other than continue crashing lightningd, plugin method clashes,
 * peer-storage messages reaching the hook, the raw-token signmessage/checkmessage rule, channels,
 * setchannel → listchannels, listpeers features, the real-graph slice, invoice, listconfigs,
 * feerates, and the RPC socket's framing.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { sha256 } from '@noble/hashes/sha2.js';
import { bech32 } from '@scure/base';
import { createConnection } from 'node:net';
import { lightningSignedText } from '../../runtime/core/canonical/signed-text.ts';
import { nobleScheme } from '../../runtime/core/crypto/noble-scheme.ts';
import { recoverSigner } from '../../runtime/core/crypto/lnsign.ts';
import { toHex, utf8 } from '../../runtime/core/types.ts';
import { createLightningBackend, type LightningRpcClient } from '../../services/lightning-rpc/index.ts';
import { SimNetwork, type SimNode } from '../../runtime/sim/simnet/index.ts';
import { waitUntil } from '../cln/fixtures/recording-engine.ts';
import { graphSlice, realChannels } from './fixtures/graph-slice.ts';
import { writeProbePlugin } from './fixtures/probe-wrapper.ts';

let net: SimNetwork;
const clients: LightningRpcClient[] = [];

function cli(node: SimNode) {
  const c = createLightningBackend({ socketPath: node.rpcPath, idPrefix: 'cli' });
  clients.push(c.client);
  return c;
}

function hooksSeen(node: SimNode, plugin: string): string[] {
  return node.logs.filter((l) => l.source === `plugin-${plugin}` && l.message.startsWith('HOOK ')).map((l) => l.message.slice(5));
}

beforeEach(async () => {
  net = await SimNetwork.create({ graph: graphSlice(300) });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await net.stop();
});

describe('plugins and hooks', () => {
  test('the custommsg hook chain honours each plugin\'s filters; peer_storage (7) reaches unfiltered hooks', async () => {
    const filtered = writeProbePlugin(net.root, 'filtered', { PROBE_FILTERS: '4919' });
    const all = writeProbePlugin(net.root, 'all', {});
    const a = await net.addNode({ name: 'a' });
    const b = await net.addNode({ name: 'b', plugins: [{ path: filtered }, { path: all }] });
    const { backend } = cli(a);
    await backend.connect(b.nodeId);
    await waitUntil(() => hooksSeen(b, 'all').length === 1, 'peer_connected hook');
    await backend.sendcustommsg(b.nodeId, '1337aa');
    await backend.sendcustommsg(b.nodeId, '1339bb');
    await backend.sendcustommsg(b.nodeId, `0007${'cc'.repeat(4)}`);
    await waitUntil(() => hooksSeen(b, 'all').length === 4, 'three custommsg hooks on the unfiltered plugin');
    expect(hooksSeen(b, 'all')).toEqual([`peer_connected ${a.nodeId}`, 'custommsg 1337aa', 'custommsg 1339bb', `custommsg 0007${'cc'.repeat(4)}`]);
    expect(hooksSeen(b, 'filtered')).toEqual([`peer_connected ${a.nodeId}`, 'custommsg 1337aa']);
  });

  test('a custommsg hook answer other than continue crashes lightningd', async () => {
    const bad = writeProbePlugin(net.root, 'bad', { PROBE_MODE: 'stop' });
    const a = await net.addNode({ name: 'a' });
    const b = await net.addNode({ name: 'b', plugins: [{ path: bad }] });
    const { backend } = cli(a);
    await backend.connect(b.nodeId);
    await backend.sendcustommsg(b.nodeId, '1337aa');
    await waitUntil(() => b.status === 'crashed', 'lightningd crash');
    expect(b.logs.some((l) => l.level === 'broken' && l.message.includes('lightningd crashed'))).toBe(true);
    const after = await cli(b).backend.getinfo();
    expect(after.ok).toBe(false);
    await waitUntil(() => a.peers.get(b.nodeId) === undefined, 'A sees B gone');
  });

  test('a plugin registering a builtin command is killed; lightningd keeps running', async () => {
    const clash = writeProbePlugin(net.root, 'clash', { PROBE_RPC: 'getinfo' });
    const ok = writeProbePlugin(net.root, 'ok', { PROBE_RPC: 'probe-echo' });
    const n = await net.addNode({ name: 'n', plugins: [{ path: clash }, { path: ok }] });
    expect(n.activePlugins().map((p) => p.name)).toEqual(['ok']);
    expect(n.logs.some((l) => l.message.includes("method 'getinfo' already registered"))).toBe(true);
    const { client } = cli(n);
    expect(await client.call('probe-echo', { x: 1 })).toEqual({ ok: true, value: { probe: 'probe-echo' } });
    expect((await client.call('getinfo')).ok).toBe(true);
  });

  test('plugin options appear in listconfigs with the plugin path', async () => {
    const n = await net.addNode({ name: 'n', plugins: [{ path: `${import.meta.dir}/../../services/cln-plugin/hivebox-plugin`, options: { 'hivebox-socket': `${net.root}/x.sock` } }] });
    const r = await cli(n).backend.listconfigs('hivebox-socket');
    expect(r).toEqual({ ok: true, value: { configs: { 'hivebox-socket': { value_str: `${net.root}/x.sock`, source: 'default', plugin: expect.stringContaining('hivebox-plugin'), dynamic: false } } } } as never);
    const unknown = await cli(n).backend.listconfigs('no-such-option');
    expect(unknown.ok).toBe(false);
  });
});

describe('signmessage / checkmessage hash the raw token', () => {
  test('T with escapes and non-ASCII is signed as written; the signature recovers to the node over T', async () => {
    const n = await net.addNode({ name: 'n' });
    const T = lightningSignedText('{"hive_id":"h","note":"line\nbreak \\ é 🐝"}');
    const r = await cli(n).backend.signmessage(T);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(recoverSigner(T, r.value.zbase)).toBe(n.nodeId);
    expect(recoverSigner(JSON.parse(`"${T}"`), r.value.zbase)).not.toBe(n.nodeId);
    expect(r.value.signature).toHaveLength(128);
    expect(['00', '01', '02', '03']).toContain(r.value.recid);
  });

  test('checkmessage: with pubkey → verified; without → 1301 until the signer is in the graph', async () => {
    const a = await net.addNode({ name: 'a' });
    const b = await net.addNode({ name: 'b' });
    const T = 'hive:challenge:\\"abc\\"';
    const sig = await cli(a).backend.signmessage(T);
    if (!sig.ok) throw new Error('sign failed');
    const { client } = cli(b);
    const body = (extra: string) => `{"message":"${T}","zbase":"${sig.value.zbase}"${extra}}`;
    expect(await client.callWithParamsText('checkmessage', body(`,"pubkey":"${a.nodeId}"`))).toEqual({ ok: true, value: { pubkey: a.nodeId, verified: true } });
    expect(await client.callWithParamsText('checkmessage', body(`,"pubkey":"${b.nodeId}"`))).toEqual({ ok: true, value: { pubkey: b.nodeId, verified: false } });
    expect(await client.callWithParamsText('checkmessage', body(''))).toEqual({ ok: false, error: { code: 1301, message: 'pubkey not found in the graph', method: 'checkmessage' } });
    await net.openChannel(a, b.nodeId, { capacity_sat: 1_000_000 });
    expect(await client.callWithParamsText('checkmessage', body(''))).toEqual({ ok: true, value: { pubkey: a.nodeId, verified: true } });
  });
});

describe('channels, gossip and peers', () => {
  test('listpeerchannels shows CHANNELD_NORMAL on both ends; setchannel changes fees seen in every listchannels', async () => {
    const a = await net.addNode({ name: 'a' });
    const b = await net.addNode({ name: 'b' });
    const c = await net.addNode({ name: 'c' });
    const ch = await net.openChannel(a, b.nodeId, { capacity_sat: 5_000_000 });
    const pa = await cli(a).backend.listpeerchannels();
    expect(pa).toMatchObject({ ok: true, value: [{ peer_id: b.nodeId, peer_connected: true, state: 'CHANNELD_NORMAL', short_channel_id: ch.short_channel_id, total_msat: 5_000_000_000, to_us_msat: 5_000_000_000, opener: 'local' }] });
    const pb = await cli(b).backend.listpeerchannels(a.nodeId);
    expect(pb).toMatchObject({ ok: true, value: [{ peer_id: a.nodeId, opener: 'remote', to_us_msat: 0 }] });
    const set = await cli(a).backend.setchannel({ id: b.nodeId, feebase: 0, feeppm: 0 });
    expect(set).toMatchObject({ ok: true, value: { channels: [{ peer_id: b.nodeId, short_channel_id: ch.short_channel_id, fee_base_msat: 0, fee_proportional_millionths: 0 }] } });
    const seen = await cli(c).backend.listchannels({ short_channel_id: ch.short_channel_id });
    expect(seen.ok && seen.value.map((e) => [e.source, e.base_fee_millisatoshi, e.fee_per_millionth])).toEqual([
      [a.nodeId, 0, 0],
      [b.nodeId, 1000, 10],
    ]);
    expect(await cli(c).backend.setchannel({ id: a.nodeId, feeppm: 5 })).toEqual({
      ok: false,
      error: { code: -1, message: 'Could not find any active channels of peer with that id', method: 'setchannel' },
    });
  });

  test('listchannels serves the real graph slice plus fleet channels; attachments link fleet nodes to real nodes', async () => {
    const slice = await realChannels(300);
    const a = await net.addNode({ name: 'a' });
    const target = slice[0]!.source;
    await net.openChannel(a, target, { capacity_sat: 10_000_000 });
    const all = await cli(a).backend.listchannels();
    expect(all.ok && all.value.length).toBe(302);
    const fromA = await cli(a).backend.listchannels({ source: a.nodeId });
    expect(fromA.ok && fromA.value.map((e) => e.destination)).toEqual([target]);
    const nodes = await cli(a).backend.listnodes(a.nodeId);
    expect(nodes).toMatchObject({ ok: true, value: [{ nodeid: a.nodeId, alias: 'a' }] });
    const peers = await cli(a).backend.listpeers(target);
    expect(peers).toMatchObject({ ok: true, value: [{ id: target, connected: true }] });
    expect((await cli(a).backend.sendcustommsg(target, '1337aa')).ok).toBe(true);
    await cli(a).backend.sendcustommsg(target, '8002aa');
    expect(a.peers.get(target)?.connected).toBe(false);
  });

  test('listpeers reports each peer\'s configured init features (capability probes)', async () => {
    const a = await net.addNode({ name: 'a' });
    const b = await net.addNode({ name: 'b', features: '08a0880a8a59a1' });
    await cli(a).backend.connect(b.nodeId);
    expect(await cli(a).backend.listpeers(b.nodeId)).toMatchObject({ ok: true, value: [{ id: b.nodeId, connected: true, features: '08a0880a8a59a1' }] });
    expect(await cli(b).backend.listpeers(a.nodeId)).toMatchObject({ ok: true, value: [{ id: a.nodeId, features: '800898882a8a59a1' }] });
  });

  test('connect errors use CLN codes: unknown address 400, unreachable 401', async () => {
    const a = await net.addNode({ name: 'a' });
    const b = await net.addNode({ name: 'b' });
    const unknown = await cli(a).backend.connect(`02${'11'.repeat(32)}`);
    expect(unknown).toEqual({ ok: false, error: { code: 400, message: 'Unable to connect, no address known for peer', method: 'connect' } });
    net.partition(a, b);
    const cut = await cli(a).backend.connect(b.nodeId);
    expect(cut.ok === false && cut.error.code).toBe(401);
  });
});

describe('fundchannel and the openchannel hooks', () => {
  const opens = (n: SimNode) => n.logs.filter((l) => l.message.startsWith('HOOK open')).map((l) => l.message.slice(5).split(' ').slice(0, 3).join(' '));

  test('dual-fund peers run openchannel2, others openchannel (v26.06 payload keys); an accepted open locks in, then is CHANNELD_NORMAL on both ends', async () => {
    const probe = writeProbePlugin(net.root, 'probe', { PROBE_OPEN: 'continue' });
    const b = await net.addNode({ name: 'b', plugins: [{ path: probe }] });
    const dual = await net.addNode({ name: 'dual' });
    const v1 = await net.addNode({ name: 'v1', features: '0a8a59a1' });
    for (const n of [dual, v1]) n.wallet.deposit(1_000_000, net.blockheight);
    const r2 = await cli(dual).client.call<{ txid: string; tx: string; channel_id: string; outnum: number }>('fundchannel', { id: b.nodeId, amount: 250_000 });
    const r1 = await cli(v1).client.call('fundchannel', [b.nodeId, '100000sat', null, false, null, 5_000_000]);
    expect(r1.ok && r2.ok).toBe(true);
    expect(opens(b)).toEqual([`openchannel2 ${dual.nodeId} 250000000`, `openchannel ${v1.nodeId} 100000000`]);
    const keys = b.logs.filter((l) => l.message.startsWith('HOOK open')).map((l) => JSON.parse(l.message.slice(l.message.indexOf('['))) as string[]);
    expect(keys[0]).toEqual(expect.arrayContaining(['id', 'channel_id', 'their_funding_msat', 'funding_feerate_per_kw', 'commitment_feerate_per_kw', 'locktime', 'channel_type']));
    expect(keys[1]).toEqual(expect.arrayContaining(['id', 'funding_msat', 'push_msat', 'dust_limit_msat', 'channel_reserve_msat', 'feerate_per_kw', 'to_self_delay', 'channel_flags', 'channel_type']));
    if (!r2.ok) throw new Error('unreachable');
    const tx = r2.value.tx;
    expect(r2.value.txid).toBe(Buffer.from(sha256(sha256(Buffer.from(tx, 'hex')))).reverse().toString('hex'));
    expect(r2.value.outnum).toBe(0);
    expect(await cli(b).backend.listpeerchannels(v1.nodeId)).toMatchObject({ ok: true, value: [{ state: 'CHANNELD_AWAITING_LOCKIN' }] });
    net.mineBlocks(3);
    const seenByB = await cli(b).backend.listpeerchannels(v1.nodeId);
    expect(seenByB).toMatchObject({ ok: true, value: [{ state: 'CHANNELD_NORMAL', total_msat: 100_000_000, to_us_msat: 5_000_000, private: true }] });
    expect(await cli(dual).backend.listpeerchannels(b.nodeId)).toMatchObject({ ok: true, value: [{ state: 'CHANNELD_NORMAL', channel_id: r2.value.channel_id, total_msat: 250_000_000 }] });
  });

  test('the first reject in the chain refuses the open: -1 "They sent ERROR channel …: <error_message>", no channel, peer disconnected, wallet untouched', async () => {
    const first = writeProbePlugin(net.root, 'first', { PROBE_OPEN: 'continue' });
    const no = writeProbePlugin(net.root, 'no', { PROBE_OPEN: 'reject' });
    const never = writeProbePlugin(net.root, 'never', { PROBE_OPEN: 'continue' });
    const b = await net.addNode({ name: 'b', plugins: [{ path: first }, { path: no }, { path: never }] });
    const a = await net.addNode({ name: 'a' });
    a.wallet.deposit(1_000_000, net.blockheight);
    const funds = await cli(a).backend.listfunds();
    const r = await cli(a).client.call('fundchannel', { id: b.nodeId, amount: 100_000 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(-1);
    expect(r.error.message).toMatch(/^They sent ERROR channel [0-9a-f]{64}: probe says no$/);
    expect(b.logs.filter((l) => l.source === 'plugin-first' && l.message.startsWith('HOOK open'))).toHaveLength(1);
    expect(b.logs.filter((l) => l.source === 'plugin-never' && l.message.startsWith('HOOK open'))).toHaveLength(0);
    expect(await cli(a).backend.listpeerchannels()).toEqual({ ok: true, value: [] });
    expect(a.peers.get(b.nodeId)?.connected ?? false).toBe(false);
    expect(await cli(a).backend.listfunds()).toEqual(funds);
  });

  test('an openchannel answer other than continue/reject is fatal to the fundee; bad amounts are refused before any hook', async () => {
    const bogus = writeProbePlugin(net.root, 'bogus', { PROBE_OPEN: 'bogus' });
    const noLargeChannels = '800898882a8259a1';
    const b = await net.addNode({ name: 'b', plugins: [{ path: bogus }], features: noLargeChannels });
    const a = await net.addNode({ name: 'a' });
    a.wallet.deposit(20_000_000, net.blockheight);
    for (const amount of ['all', 0, '12.5sat', 16_777_216]) expect((await cli(a).client.call('fundchannel', { id: b.nodeId, amount })).ok).toBe(false);
    expect(opens(b)).toEqual([]);
    const r = await cli(a).client.call('fundchannel', { id: b.nodeId, amount: 100_000 });
    expect(r.ok).toBe(false);
    expect(b.status).toBe('crashed');
  });

  test('plugin start takes the plugin\'s options as keyword params', async () => {
    const path = `${import.meta.dir}/../../services/cln-plugin/hivebox-plugin`;
    const n = await net.addNode({ name: 'n', plugins: [{ path, options: { 'hivebox-socket': `${net.root}/x.sock` } }] });
    await net.crashPlugin(n, 'hivebox-plugin');
    const r = await cli(n).client.call('plugin', { subcommand: 'start', plugin: path, 'hivebox-socket': `${net.root}/y.sock` });
    expect(r.ok).toBe(true);
    expect(await cli(n).backend.listconfigs('hivebox-socket')).toMatchObject({ ok: true, value: { configs: { 'hivebox-socket': { value_str: expect.any(String) } } } });
    expect((await cli(n).client.call('plugin', { subcommand: 'list', bogus: 1 })).ok).toBe(true);
    expect((await cli(n).client.call('getinfo', { bogus: 1 })).ok).toBe(false);
  });

  test('a restart starts the configured plugins only, not one added with plugin start', async () => {
    const path = `${import.meta.dir}/../../services/cln-plugin/hivebox-plugin`;
    const n = await net.addNode({ name: 'n' });
    expect((await cli(n).client.call('plugin', { subcommand: 'start', plugin: path, 'hivebox-socket': `${net.root}/z.sock` })).ok).toBe(true);
    expect(n.activePlugins().map((p) => p.path)).toEqual([path]);
    await net.restartNode(n);
    expect(n.activePlugins()).toEqual([]);
  });
});

describe('node-level commands', () => {
  test('getinfo, feerates, invoice (real BOLT 11 signed by the node key)', async () => {
    const n = await net.addNode({ name: 'n' });
    const { backend } = cli(n);
    expect(await backend.getinfo()).toMatchObject({ ok: true, value: { id: n.nodeId, version: 'v26.06', network: 'bitcoin' } });
    const fr = await backend.feerates('perkb');
    expect(fr).toMatchObject({ ok: true, value: { perkb: { opening: 4000, min_acceptable: 1012 } } });
    const inv = await backend.invoice(150_000, 'l402-1', 'hive subscription', 600);
    expect(inv.ok).toBe(true);
    if (!inv.ok) return;
    expect(inv.value.bolt11).toStartWith('lnbc1500n1');
    const { prefix, words } = bech32.decode(inv.value.bolt11 as `${string}1${string}`, false);
    const data = words.slice(0, -104);
    const sig = bech32.fromWords(words.slice(-104));
    let acc = 0n;
    for (const w of data) acc = (acc << 5n) | BigInt(w);
    const padBits = (8 - ((data.length * 5) % 8)) % 8;
    const dataBytes = (acc << BigInt(padBits)).toString(16).padStart(Math.ceil((data.length * 5) / 8) * 2, '0');
    const digest = sha256(new Uint8Array([...utf8(prefix), ...Buffer.from(dataBytes, 'hex')]));
    const pub = nobleScheme.recover(Uint8Array.of(sig[64]!, ...sig.slice(0, 64)), digest);
    expect(pub && toHex(pub)).toBe(n.nodeId);
    expect(await backend.invoice(1, 'l402-1', 'again')).toMatchObject({ ok: false, error: { code: 900 } });
  });

  test('the RPC socket answers concatenated requests with "\\n\\n"-terminated responses, matched by id', async () => {
    const n = await net.addNode({ name: 'n' });
    const out = await new Promise<string>((resolve) => {
      const s = createConnection(n.rpcPath);
      let buf = '';
      s.setEncoding('utf8');
      s.on('data', (d: string) => {
        buf += d;
        if (buf.split('\n\n').length === 4) {
          s.destroy();
          resolve(buf);
        }
      });
      s.on('connect', () =>
        s.write(
          '{"jsonrpc":"2.0","id":1,"method":"getinfo"}{"jsonrpc":"2.0","id":"x/2","method":"listpeers","params":[]}' +
            '{"jsonrpc":"2.0","id":3,"method":"nosuch","params":{}}',
        ),
      );
    });
    const answers = out.split('\n\n').filter((t) => t !== '').map((t) => JSON.parse(t));
    expect(answers.map((r) => r.id).sort()).toEqual([1, 3, 'x/2'].sort() as never);
    expect(answers.find((r) => r.id === 3).error).toEqual({ code: -32601, message: "Unknown command 'nosuch'" });
  });
});
