/**
 * Conformance of the real `hivebox-plugin` executable with CLN v26.06's plugin protocol, driven
 * over raw stdin/stdout as lightningd drives it: getmanifest/init answers, no file or socket use
 * before init, hooks answered `continue` whatever the daemon does, foreign custom messages left
 * untouched, `hive-*` passthrough, behaviour with the daemon absent / stalled / restarted,
 * stdout hygiene, and exit on shutdown or closed stdin.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { custommsgFilters, HIVE_RPC_METHODS, OPENCHANNEL_REFUSAL, PLUGIN_RPC_ERROR } from '../../services/cln-plugin/index.ts';
import { listenIpc, type IpcEvent, type IpcServer } from '../../services/daemon-ipc/index.ts';
import { waitUntil } from './fixtures/recording-engine.ts';
import { PluginProcess } from './fixtures/plugin-process.ts';

const PEER = `02${'ab'.repeat(32)}`;
const HIVE_HELLO = `48495645${Buffer.from('{"type":32769,"version":1,"payload":{}}').toString('hex')}`;

let dir: string;
let sock: string;
let plugin: PluginProcess;
let daemon: IpcServer | null;
let events: IpcEvent[];
let rpcs: { method: string; params: Record<string, unknown> }[];

async function startDaemon(ignored: string[] = []): Promise<IpcServer> {
  return listenIpc(sock, {
    onHello: () => [{ op: 'ignore_list', node_ids: ignored }],
    onEvent: (e) => events.push(e),
    onRpc: async (method, params) => {
      rpcs.push({ method, params });
      if (method === 'hive-join' && params.ticket === 'expired') return { error: { code: 1501, message: 'ticket expired' } };
      return { result: { method, params } };
    },
  });
}

async function initPlugin(options: Record<string, unknown> = { 'hivebox-socket': sock }) {
  await plugin.call('cln:getmanifest#0', 'getmanifest', { 'allow-deprecated-apis': false });
  return plugin.call('cln:init#1', 'init', { options, configuration: { 'lightning-dir': dir, 'rpc-file': 'lightning-rpc', startup: true, network: 'bitcoin' } });
}

/** The plugin logs through lightningd once its daemon link is up (hello answered). */
function linked(nth = 1) {
  return waitUntil(() => plugin.frames.filter((f) => f.method === 'log' && /connected (again )?(to hivebox daemon|\()/.test(String((f.params as { message: string }).message))).length >= nth, 'plugin linked to the daemon');
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hbx-pl-'));
  sock = join(dir, 'hivebox.sock');
  events = [];
  rpcs = [];
  daemon = null;
  plugin = new PluginProcess({ cwd: dir });
});

afterEach(async () => {
  plugin.kill();
  await plugin.exited;
  expect(plugin.badFrames).toEqual([]);
  await daemon?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('handshake', () => {
  test('getmanifest: options with defaults, hive-* methods from the table, filtered custommsg hook, subscriptions, custommessages, nonnumericids, dynamic', async () => {
    const f = await plugin.call('cln:getmanifest#0', 'getmanifest', { 'allow-deprecated-apis': false });
    const m = f.result as Record<string, unknown>;
    expect(m.options).toEqual([
      { name: 'hivebox-socket', type: 'string', default: '/run/hivebox/plugin.sock', description: expect.any(String), dynamic: false },
      { name: 'hivebox-rpc-timeout', type: 'int', default: 300, description: expect.any(String), dynamic: false },
    ]);
    expect((m.rpcmethods as { name: string }[]).map((r) => r.name)).toEqual(HIVE_RPC_METHODS.map((r) => r.name));
    expect(m.rpcmethods).toContainEqual({ name: 'hive-join', usage: 'ticket [peer_id]', description: expect.any(String) });
    const hooks = m.hooks as { name: string; filters?: number[] }[];
    expect(hooks.map((h) => h.name)).toEqual(['custommsg', 'peer_connected', 'openchannel', 'openchannel2']);
    const filters = hooks[0]!.filters!;
    expect(filters).toEqual(custommsgFilters());
    expect(filters).toContain(18505);
    expect(filters.filter((t) => t >= 32769 && t <= 33000)).toHaveLength(116);
    expect(filters.filter((t) => t >= 32769 && t <= 33000).every((t) => t % 2 === 1)).toBe(true);
    expect(filters).not.toContain(7);
    expect(m.subscriptions).toEqual(['connect', 'disconnect', 'shutdown']);
    expect(m.custommessages).toEqual([49152, 49153]);
    expect(m.nonnumericids).toBe(true);
    expect(m.dynamic).toBe(true);
  });

  test('getmanifest touches no file and no socket; init connects to the daemon', async () => {
    let connections = 0;
    const probe: Server = createServer((s: Socket) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((r) => probe.listen(sock, () => r()));
    const before = readdirSync(dir).sort();
    await plugin.call('cln:getmanifest#0', 'getmanifest', {});
    await Bun.sleep(300);
    expect(connections).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(before);
    await plugin.call('cln:init#1', 'init', { options: { 'hivebox-socket': sock }, configuration: { 'lightning-dir': dir, 'rpc-file': 'lightning-rpc', network: 'bitcoin' } });
    await waitUntil(() => connections > 0, 'plugin connects after init');
    await new Promise<void>((r) => probe.close(() => r()));
  });

  test('init answers {} and takes lightningd-style options; an unusable socket path disables the plugin', async () => {
    const f = await initPlugin();
    expect(f.result).toEqual({});
    const p2 = new PluginProcess({ cwd: dir });
    await p2.call('m', 'getmanifest', {});
    const bad = await p2.call('i', 'init', { options: { 'hivebox-socket': `/tmp/${'x'.repeat(120)}` }, configuration: {} });
    expect((bad.result as { disable: string }).disable).toContain('hivebox-socket path is longer than 107 bytes');
    p2.kill();
  });
});

describe('hooks', () => {
  test('custommsg and peer_connected are answered continue with the daemon absent', async () => {
    await initPlugin();
    const a = await plugin.call('cln:custommsg#2', 'custommsg', { peer_id: PEER, payload: HIVE_HELLO });
    expect(a.result).toEqual({ result: 'continue' });
    const b = await plugin.call('cln:peer_connected#3', 'peer_connected', { peer: { id: PEER, direction: 'in', addr: '127.0.0.1:9735', features: '08a0' } });
    expect(b.result).toEqual({ result: 'continue' });
    await plugin.waitFrame((f) => f.method === 'log' && String((f.params as { message: string }).message).includes('dropping'), 'log notification about the absent daemon');
  });

  test('hooks keep being answered while the daemon is connected but stalled (never reads)', async () => {
    const stalled: Socket[] = [];
    const fake = createServer((s) => {
      stalled.push(s);
      s.once('data', (d) => {
        const hello = JSON.parse(String(d).split('\n')[0]!);
        s.write(`${JSON.stringify({ id: hello.id, result: { protocol: 1 } })}\n`);
        s.pause();
      });
    });
    await new Promise<void>((r) => fake.listen(sock, () => r()));
    await initPlugin();
    await waitUntil(() => stalled.length === 1, 'plugin connected to the stalled daemon');
    const big = `48495645${'7b'.repeat(60_000)}`;
    const n = 200;
    let text = '';
    for (let i = 0; i < n; i++) text += `${JSON.stringify({ jsonrpc: '2.0', id: `h#${i}`, method: 'custommsg', params: { peer_id: PEER, payload: big } })}\n\n`;
    await plugin.writeRaw(text);
    await plugin.waitFrame((f) => f.id === `h#${n - 1}`, 'last hook answer', 20_000);
    const answers = plugin.frames.filter((f) => typeof f.id === 'string' && f.id.startsWith('h#'));
    expect(answers).toHaveLength(n);
    expect(answers.every((f) => (f.result as { result: string }).result === 'continue')).toBe(true);
    for (const s of stalled) s.destroy();
    await new Promise<void>((r) => fake.close(() => r()));
  });

  test('foreign messages are answered continue and not forwarded; Hive traffic is forwarded byte for byte', async () => {
    daemon = await startDaemon();
    await initPlugin();
    await linked();
    const foreign = [
      `8001${'00'.repeat(8)}`,
      `1337ffffffff`,
      `0007${'aa'.repeat(40)}`,
      `8003${Buffer.from('HIV').toString('hex')}`,
      'zz49564500',
      '484',
      `48495645${'aa'.repeat(65_532)}`,
    ];
    const hive = [HIVE_HELLO, `8001${HIVE_HELLO}`, `c000${'01'.repeat(10)}`, HIVE_HELLO.toUpperCase()];
    let i = 0;
    for (const payload of [...foreign, ...hive]) {
      const f = await plugin.call(`c#${i++}`, 'custommsg', { peer_id: PEER, payload });
      expect(f.result).toEqual({ result: 'continue' });
    }
    await waitUntil(() => events.length === hive.length, 'hive events');
    expect(events).toEqual(hive.map((p) => ({ op: 'custommsg', peer_id: PEER, payload: p.toLowerCase() })));
  });

  test('connect/disconnect notifications (wrapped v26 shape and legacy flat shape) and peer_connected reach the daemon', async () => {
    daemon = await startDaemon();
    await initPlugin();
    await linked();
    await plugin.send({ method: 'connect', params: { connect: { id: PEER, direction: 'out', address: { type: 'ipv4', address: '1.2.3.4', port: 9735 } } } });
    await plugin.send({ method: 'disconnect', params: { id: PEER } });
    await plugin.call('pc', 'peer_connected', { peer: { id: PEER, direction: 'in', addr: '1.2.3.4:1', features: '08A0' } });
    await waitUntil(() => events.length === 3, 'three events');
    expect(events).toEqual([
      { op: 'connect', peer_id: PEER, direction: 'out' },
      { op: 'disconnect', peer_id: PEER },
      { op: 'peer_connected', peer_id: PEER, direction: 'in', features: '08a0' },
    ]);
  });
});

describe('openchannel / openchannel2 hooks (global ignore list)', () => {
  const OTHER = `03${'cd'.repeat(32)}`;
  const v1 = (id: string) => ({ openchannel: { id, funding_msat: 100_000_000, push_msat: 0, dust_limit_msat: 546_000, channel_reserve_msat: 1_000_000, htlc_minimum_msat: 0, feerate_per_kw: 7500, to_self_delay: 144, max_accepted_htlcs: 483, channel_flags: 1 } });
  const v2 = (id: string) => ({ openchannel2: { id, channel_id: 'ab'.repeat(32), their_funding_msat: 100_000_000, dust_limit_msat: 546_000, funding_feerate_per_kw: 7500, commitment_feerate_per_kw: 7500, to_self_delay: 144, max_accepted_htlcs: 483, channel_flags: 1, locktime: 934_000 } });

  test('daemon never reached: every open continues at once', async () => {
    await initPlugin();
    const t0 = performance.now();
    expect((await plugin.call('o1', 'openchannel', v1(PEER))).result).toEqual({ result: 'continue' });
    expect((await plugin.call('o2', 'openchannel2', v2(PEER))).result).toEqual({ result: 'continue' });
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  test('a peer on the pushed ignore list is rejected on both hooks, others continue; the list survives a daemon outage', async () => {
    daemon = await startDaemon([PEER]);
    await initPlugin();
    await plugin.waitFrame((f) => f.method === 'log' && String((f.params as { message: string }).message).includes('fleet ignore list: 1 peer'), 'ignore list pushed');
    expect((await plugin.call('o1', 'openchannel', v1(PEER))).result).toEqual({ result: 'reject', error_message: OPENCHANNEL_REFUSAL });
    expect((await plugin.call('o2', 'openchannel2', v2(PEER.toUpperCase()))).result).toEqual({ result: 'reject', error_message: OPENCHANNEL_REFUSAL });
    expect((await plugin.call('o3', 'openchannel', v1(OTHER))).result).toEqual({ result: 'continue' });
    expect((await plugin.call('o4', 'openchannel', { openchannel: { funding_msat: 1 } })).result).toEqual({ result: 'continue' });
    await daemon.close();
    daemon = null;
    expect((await plugin.call('o5', 'openchannel', v1(PEER))).result).toEqual({ result: 'reject', error_message: OPENCHANNEL_REFUSAL });
    expect(events).toEqual([]);
  });

  test('a changed list pushed to connected plugins replaces the old one; a malformed push is ignored', async () => {
    daemon = await startDaemon([PEER]);
    await initPlugin();
    await linked();
    daemon.broadcast({ op: 'ignore_list', node_ids: [OTHER] });
    await plugin.waitFrame((f) => f.method === 'log' && String((f.params as { message: string }).message).includes('fleet ignore list: 1 peer') && plugin.frames.filter((g) => g.method === 'log' && String((g.params as { message: string }).message).startsWith('fleet ignore list')).length === 2, 'second push');
    expect((await plugin.call('o1', 'openchannel', v1(PEER))).result).toEqual({ result: 'continue' });
    expect((await plugin.call('o2', 'openchannel', v1(OTHER))).result).toEqual({ result: 'reject', error_message: OPENCHANNEL_REFUSAL });
    daemon.broadcast({ op: 'ignore_list', node_ids: ['not-a-node-id'] } as never);
    await plugin.waitFrame((f) => f.method === 'log' && String((f.params as { message: string }).message).includes('ignoring bad line'), 'bad push logged');
    expect((await plugin.call('o3', 'openchannel', v1(OTHER))).result).toEqual({ result: 'reject', error_message: OPENCHANNEL_REFUSAL });
  });
});

describe('hive-* passthrough', () => {
  test('positional and named params reach the daemon by name; daemon errors pass through unchanged', async () => {
    daemon = await startDaemon();
    await initPlugin();
    const a = await plugin.call('cli:hive-join#1/cln:hive-join#9', 'hive-join', ['TICKET']);
    expect(a.result).toEqual({ method: 'hive-join', params: { ticket: 'TICKET' } });
    const b = await plugin.call('j2', 'hive-join', { ticket: 'expired' });
    expect(b.error).toEqual({ code: 1501, message: 'ticket expired' });
    const c = await plugin.call('s', 'hive-status', []);
    expect(c.result).toEqual({ method: 'hive-status', params: {} });
  });

  test('bad params and unknown methods are refused by the plugin itself', async () => {
    daemon = await startDaemon();
    await initPlugin();
    expect((await plugin.call('1', 'hive-join', [])).error?.code).toBe(PLUGIN_RPC_ERROR.invalidParams);
    expect((await plugin.call('2', 'hive-join', { ticket: 't', bogus: 1 })).error).toEqual({ code: -32602, message: 'unknown parameter: bogus' });
    expect((await plugin.call('3', 'hive-status', ['extra'])).error?.code).toBe(-32602);
    expect((await plugin.call('4', 'hive-nonexistent', {})).error?.code).toBe(PLUGIN_RPC_ERROR.methodNotFound);
    expect(rpcs).toEqual([]);
  });

  test('daemon absent → clear error; daemon back → the next command reconnects at once; same after a daemon restart', async () => {
    await initPlugin();
    const down = await plugin.call('1', 'hive-status', {});
    expect(down.error?.code).toBe(PLUGIN_RPC_ERROR.daemonUnavailable);
    expect(down.error?.message).toContain(sock);
    daemon = await startDaemon();
    expect((await plugin.call('2', 'hive-status', {})).result).toEqual({ method: 'hive-status', params: {} });
    await daemon.close();
    const gone = await plugin.call('3', 'hive-status', {});
    expect([PLUGIN_RPC_ERROR.daemonUnavailable, PLUGIN_RPC_ERROR.daemonLost]).toContain(gone.error!.code as never);
    daemon = await startDaemon();
    expect((await plugin.call('4', 'hive-members', [])).result).toEqual({ method: 'hive-members', params: {} });
    await plugin.call('5', 'custommsg', { peer_id: PEER, payload: HIVE_HELLO });
    await waitUntil(() => events.length === 1, 'events flow after reconnect');
  });
});

describe('framing and lifecycle', () => {
  test('requests split at arbitrary points and concatenated without separators are all answered', async () => {
    const text =
      JSON.stringify({ jsonrpc: '2.0', id: 'a', method: 'getmanifest', params: {} }) +
      JSON.stringify({ jsonrpc: '2.0', id: 'b', method: 'custommsg', params: { peer_id: PEER, payload: '1337' } }) +
      '\n\n' +
      JSON.stringify({ jsonrpc: '2.0', id: 'c', method: 'peer_connected', params: { peer: { id: PEER, direction: 'out', addr: 'x', features: '' } } });
    for (let i = 0; i < text.length; i += 7) {
      await plugin.writeRaw(text.slice(i, i + 7));
    }
    await plugin.waitFrame((f) => f.id === 'c', 'third answer');
    expect(plugin.frames.filter((f) => f.id !== undefined).map((f) => f.id)).toEqual(['a', 'b', 'c']);
  });

  test('shutdown notification ends the plugin with exit 0', async () => {
    await initPlugin();
    await plugin.send({ method: 'shutdown', params: {} });
    expect(await plugin.exited).toBe(0);
  });

  test('stdin closing (lightningd gone) ends the plugin', async () => {
    await initPlugin();
    plugin.closeStdin();
    expect(await plugin.exited).toBe(0);
  });
});
