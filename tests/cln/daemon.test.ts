/**
 * The daemon shell (runtime/daemon/daemon.ts) with a recording engine: plugin events reach the
 * engine in order, connection events are deduplicated, hive-* commands map RpcFailure to JSON-RPC
 * errors, the tick loop runs, malformed IPC input is refused without touching the engine, and
 * SIGTERM-style stop drains and closes. The backend is a real lightning-rpc client on a scripted
 * socket.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_SCHEMA } from '../../runtime/config/schema.ts';
import { startDaemon, type Daemon } from '../../runtime/daemon/daemon.ts';
import { IpcClient, IPC_LIMITS } from '../../services/daemon-ipc/index.ts';
import { RecordingEngine, RpcFailure, waitUntil } from './fixtures/recording-engine.ts';
import { ScriptedLightningd } from './fixtures/scripted-lightningd.ts';

const PEER = `03${'cd'.repeat(32)}`;
const HIVE = `48495645${'7b7d'}`;

let dir: string;
let ld: ScriptedLightningd;
let engine: RecordingEngine;
let daemon: Daemon;
let client: IpcClient;
let logs: { level: string; event: string; fields: Record<string, unknown> }[];

function config(extra: Record<string, unknown> = {}) {
  return CONFIG_SCHEMA.parse({ lightning: { rpc_file: ld.path }, daemon: { ipc_socket: join(dir, 'd.sock'), tick_ms: 50, shutdown_grace_ms: 500, ...extra } });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hbx-d-'));
  ld = new ScriptedLightningd(join(dir, 'lightning-rpc'));
  await ld.start();
  ld.onRequest = (r) => ld.answer(r, { result: { id: PEER, alias: 'scripted' } });
  engine = new RecordingEngine();
  logs = [];
  daemon = await startDaemon({ config: config(), engineFactory: engine.factory(), log: (level, event, fields = {}) => logs.push({ level, event, fields }) });
  client = new IpcClient({ path: daemon.ipcPath, hello: { plugin_version: 'test', lightning: { lightning_dir: dir, rpc_file: 'lightning-rpc', network: 'bitcoin' } }, log: () => {} });
  client.start();
  await waitUntil(() => client.connected, 'ipc client connected');
});

afterEach(async () => {
  client.stop();
  await daemon.stop();
  await ld.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('events', () => {
  test('custommsgs reach the engine in arrival order', async () => {
    engine.members.add(PEER);
    for (let i = 0; i < 50; i++) client.sendEvent({ op: 'custommsg', peer_id: PEER, payload: `${HIVE}${i.toString(16).padStart(2, '0')}` });
    await waitUntil(() => engine.customMsgs().length === 50, '50 messages');
    expect(engine.customMsgs().map((m) => m.payload)).toEqual(Array.from({ length: 50 }, (_, i) => `${HIVE}${i.toString(16).padStart(2, '0')}`));
  });

  test('peer_connected hook + connect notification → one onPeerConnected per connection', async () => {
    client.sendEvent({ op: 'peer_connected', peer_id: PEER, direction: 'in', features: '' });
    client.sendEvent({ op: 'connect', peer_id: PEER, direction: 'in' });
    client.sendEvent({ op: 'disconnect', peer_id: PEER });
    client.sendEvent({ op: 'connect', peer_id: PEER, direction: 'out' });
    await waitUntil(() => daemon.stats().events_handled === 4, 'four events handled');
    expect(engine.calls).toEqual([
      { kind: 'connected', peer_id: PEER },
      { kind: 'disconnected', peer_id: PEER },
      { kind: 'connected', peer_id: PEER },
    ]);
  });

  test('the engine gets the backend, and it reaches lightningd', async () => {
    const info = await engine.ctx!.backend.getinfo();
    expect(info).toEqual({ ok: true, value: { id: PEER, alias: 'scripted' } } as never);
    expect(ld.requests.map((r) => r.method)).toEqual(['getinfo']);
  });

  test('the tick loop calls onTick', async () => {
    await waitUntil(() => engine.ticks >= 2, 'two ticks');
  });
});

describe('hive-* commands', () => {
  test('results, RpcFailure and unexpected engine faults', async () => {
    expect(await client.request('hive-status', {}, 1000)).toMatchObject({ result: { method: 'hive-status', params: {}, inbound: { queued: 0, admitted: 0, dropped_total: 0 } } });
    engine.rpcHandler = async () => {
      throw new RpcFailure(1503, 'not a member', { hive_id: 'h' });
    };
    expect(await client.request('hive-members', {}, 1000)).toEqual({ error: { code: 1503, message: 'not a member', data: { hive_id: 'h' } } });
    engine.rpcHandler = async () => {
      throw new TypeError('boom');
    };
    expect(await client.request('hive-members', {}, 1000)).toEqual({ error: { code: -32603, message: 'internal error in hive-members' } });
    expect(logs.some((l) => l.event === 'engine_rpc_failed')).toBe(true);
  });
});

describe('attacks on the IPC socket', () => {
  async function rawLines(text: string): Promise<string> {
    return new Promise((resolve) => {
      const s = createConnection(daemon.ipcPath);
      let out = '';
      s.setEncoding('utf8');
      s.on('data', (d: string) => (out += d));
      s.on('connect', () => s.write(text));
      s.on('close', () => resolve(out));
      setTimeout(() => s.end(), 200);
    });
  }

  test('malformed events are rejected and the engine is not called', async () => {
    const bad = [
      'not json',
      JSON.stringify({ op: 'custommsg', peer_id: 'not-a-node-id', payload: HIVE }),
      JSON.stringify({ op: 'custommsg', peer_id: PEER, payload: 'xyz' }),
      JSON.stringify({ op: 'custommsg', peer_id: PEER, payload: '4' }),
      JSON.stringify({ op: 'custommsg', peer_id: PEER, payload: 'ab'.repeat(IPC_LIMITS.max_payload_hex) }),
      JSON.stringify({ op: 'custommsg', peer_id: PEER, payload: HIVE, extra: 1 }),
      JSON.stringify({ op: 'exec', cmd: 'rm -rf /' }),
    ];
    await rawLines(`${bad.join('\n')}\n`);
    await waitUntil(() => daemon.stats().rejected_lines === bad.length, 'all rejected');
    expect(engine.calls).toEqual([]);
  });

  test('a bad request is answered with -32600; a wrong protocol version is refused', async () => {
    const out = await rawLines(`${JSON.stringify({ id: 7, op: 'rpc', method: 'getinfo', params: {} })}\n${JSON.stringify({ id: 8, op: 'hello', protocol: 99, plugin_version: 'x', lightning: { lightning_dir: '', rpc_file: '', network: '' } })}\n`);
    const answers = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(answers[0]).toEqual({ id: 7, error: { code: -32600, message: expect.stringContaining('invalid request') } });
    expect(answers[1].error.code).toBe(-32010);
    expect(engine.calls).toEqual([]);
  });

  test('an oversize line closes that connection and nothing reaches the engine', async () => {
    await rawLines('x'.repeat(IPC_LIMITS.max_line_chars + 10));
    expect(engine.calls).toEqual([]);
    expect(logs.some((l) => l.event === 'ipc_line_rejected' && String(l.fields.reason).includes('longer than'))).toBe(true);
  });
});

describe('lifecycle', () => {
  test('a second daemon on a live socket is refused; a stale socket file is replaced', async () => {
    await expect(startDaemon({ config: config(), engineFactory: new RecordingEngine().factory(), log: () => {} })).rejects.toThrow('in use');
    const stalePath = join(dir, 'stale.sock');
    writeFileSync(stalePath, '');
    const other = await startDaemon({ config: config({ ipc_socket: stalePath }), engineFactory: new RecordingEngine().factory(), log: () => {} });
    await other.stop();
    expect(existsSync(stalePath)).toBe(false);
  });

  test('the IPC socket gets the configured mode (0660 by default, the trust boundary with lightningd\'s user)', () => {
    expect(statSync(daemon.ipcPath).mode & 0o777).toBe(0o660);
  });

  test('stop drains queued events, closes the engine and removes the socket', async () => {
    engine.onCustomMsg = async function (this: RecordingEngine, p: string, h: string) {
      await Bun.sleep(5);
      this.calls.push({ kind: 'custommsg', peer_id: p, payload: h });
    }.bind(engine);
    for (let i = 0; i < 20; i++) client.sendEvent({ op: 'custommsg', peer_id: PEER, payload: HIVE });
    await waitUntil(() => daemon.stats().events_handled > 0, 'first event');
    await daemon.stop();
    expect(engine.customMsgs()).toHaveLength(20);
    expect(engine.closed).toBe(true);
    expect(existsSync(join(dir, 'd.sock'))).toBe(false);
    expect(logs.at(-1)?.event).toBe('daemon_stopped');
  });
});
