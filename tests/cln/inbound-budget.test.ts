/**
 * Per-peer inbound budgets and the bounded queue (issue 15 item 6; services/daemon-ipc/inbound-budget.ts):
 * the gate alone on an injected clock, then a real daemon flooded over its IPC socket by a non-member
 * while a member keeps sending — every member message reaches the engine, the flood is dropped before
 * the queue and counted per reason and peer in `hive-status` (`inbound`) and `hivebox status`; and the
 * plugin's IPC client, facing a daemon that stopped reading, says the daemon is behind (not unreachable).
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderStatus } from '../../runtime/cli/commands/status.ts';
import { CONFIG_SCHEMA } from '../../runtime/config/schema.ts';
import { startDaemon, type Daemon } from '../../runtime/daemon/daemon.ts';
import { InboundGate, type InboundBudgetConfig, type InboundStatus } from '../../services/daemon-ipc/inbound-budget.ts';
import type { StatusResult } from '../../runtime/node/hive/rpc/status.ts';
import { IpcClient } from '../../services/daemon-ipc/index.ts';
import { IPC_PROTOCOL_VERSION } from '../../services/daemon-ipc/limits.ts';
import { HiveboxPlugin } from '../../services/cln-plugin/plugin.ts';
import { RecordingEngine, waitUntil } from './fixtures/recording-engine.ts';
import { ScriptedLightningd } from './fixtures/scripted-lightningd.ts';

const MEMBER = `03${'aa'.repeat(32)}`;
const STRANGER = `02${'bb'.repeat(32)}`;
const OTHER = `02${'cc'.repeat(32)}`;
const HIVE = `48495645${'7b7d'}`;

const CFG: InboundBudgetConfig = {
  inbound_member_msgs_per_s: 100,
  inbound_member_bytes_per_s: 100_000,
  inbound_nonmember_msgs_per_s: 5,
  inbound_nonmember_bytes_per_s: 10_000,
  inbound_nonmember_total_msgs_per_s: 8,
  inbound_queue_max: 100,
};

describe('InboundGate', () => {
  let now = 1_000_000;
  const gate = () => new InboundGate(CFG, (p) => p === MEMBER, () => now);

  test('a non-member gets a 2 s burst of its rate, then one message per 1/rate s; a member is not affected', () => {
    const g = gate();
    const verdicts = Array.from({ length: 12 }, () => g.admit(STRANGER, 10, 0));
    expect(verdicts.filter((v) => v === null)).toHaveLength(10);
    expect(verdicts.slice(10)).toEqual(['peer_msgs_budget', 'peer_msgs_budget']);
    for (let i = 0; i < 150; i++) expect(g.admit(MEMBER, 10, 0)).toBeNull();
    now += 200;
    expect(g.admit(STRANGER, 10, 0)).toBeNull();
    expect(g.admit(STRANGER, 10, 0)).toBe('peer_msgs_budget');
  });

  test('bytes budget: one largest message always fits, the next does not', () => {
    const g = gate();
    expect(g.admit(OTHER, 65_535, 0)).toBeNull();
    expect(g.admit(OTHER, 65_535, 0)).toBe('peer_bytes_budget');
  });

  test('non-members share a total budget; members never count against it', () => {
    const g = gate();
    const peers = Array.from({ length: 20 }, (_, i) => `02${i.toString(16).padStart(2, '0').repeat(32)}`);
    const admitted = peers.filter((p) => g.admit(p, 10, 0) === null);
    expect(admitted).toHaveLength(16);
    expect(g.status(0).dropped).toEqual({ nonmember_total_budget: 4 });
    expect(g.admit(MEMBER, 10, 0)).toBeNull();
  });

  test('bounded queue: non-members may fill half of it, members all of it', () => {
    const g = gate();
    expect(g.admit(STRANGER, 10, 50)).toBe('queue_full');
    expect(g.admit(MEMBER, 10, 50)).toBeNull();
    expect(g.admit(MEMBER, 10, 100)).toBe('queue_full');
  });

  test('every drop is counted per reason and per peer, most drops first', () => {
    const g = gate();
    for (let i = 0; i < 30; i++) g.admit(STRANGER, 10, 0);
    g.admit(MEMBER, 10, 100);
    const s: InboundStatus = g.status(3);
    expect(s).toMatchObject({ queued: 3, queue_max: 100, admitted: 10, dropped_total: 21, dropped: { peer_msgs_budget: 20, queue_full: 1 } });
    expect(s.top_droppers).toEqual([
      { peer_id: STRANGER, member: false, dropped: 20, reasons: { peer_msgs_budget: 20 } },
      { peer_id: MEMBER, member: true, dropped: 1, reasons: { queue_full: 1 } },
    ]);
  });
});

describe('daemon under a non-member flood', () => {
  let dir: string;
  let ld: ScriptedLightningd;
  let engine: RecordingEngine;
  let daemon: Daemon;
  const clients: IpcClient[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hbx-inb-'));
    ld = new ScriptedLightningd(join(dir, 'lightning-rpc'));
    await ld.start();
    engine = new RecordingEngine();
    engine.members.add(MEMBER);
    engine.rpcHandler = async () => ({ node_id: MEMBER, hive_id: null, planner: { unsafe_floors: [], top_targets: [] } });
    const config = CONFIG_SCHEMA.parse({ lightning: { rpc_file: ld.path }, daemon: { ipc_socket: join(dir, 'd.sock'), tick_ms: 1000, ...CFG } });
    daemon = await startDaemon({ config, engineFactory: engine.factory(), log: () => {} });
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.stop();
    await daemon.stop();
    await ld.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function plugin(): Promise<IpcClient> {
    const c = new IpcClient({ path: daemon.ipcPath, hello: { plugin_version: 'test', lightning: { lightning_dir: dir, rpc_file: 'lightning-rpc', network: 'bitcoin' } }, log: () => {} });
    c.start();
    clients.push(c);
    await waitUntil(() => c.connected, 'ipc client connected');
    return c;
  }

  test('2,000 messages from a stranger interleaved with 100 from a member: every member message is handled, the flood is counted', async () => {
    const c = await plugin();
    for (let i = 0; i < 2_000; i++) {
      c.sendEvent({ op: 'custommsg', peer_id: STRANGER, payload: `${HIVE}${(i % 256).toString(16).padStart(2, '0')}` });
      if (i % 20 === 0) c.sendEvent({ op: 'custommsg', peer_id: MEMBER, payload: `${HIVE}${(i / 20).toString(16).padStart(4, '0')}` });
    }
    await waitUntil(() => daemon.stats().inbound.admitted + daemon.stats().inbound.dropped_total === 2_100, 'all 2,100 messages judged');
    await daemon.idle();
    expect(engine.customMsgs().filter((m) => m.peer_id === MEMBER)).toHaveLength(100);
    const fromStranger = engine.customMsgs().filter((m) => m.peer_id === STRANGER).length;
    const answer = await c.request('hive-status', {}, 10_000);
    if (!('result' in answer)) throw new Error('hive-status over IPC failed');
    const status = answer.result as StatusResult;
    const { inbound } = status;
    expect(inbound!.dropped_total).toBe(2_000 - fromStranger);
    expect(inbound!.dropped_total).toBeGreaterThan(1_900);
    expect(inbound!.top_droppers[0]).toMatchObject({ peer_id: STRANGER, member: false, dropped: inbound!.dropped_total });
    expect(inbound!.top_droppers.some((p) => p.peer_id === MEMBER)).toBe(false);
    const text = renderStatus({ ...status, joins: [], ignored_peers: [], unhandled_types: {}, pending_approval: null, planner: { governance_mode: 'advisor', expansions_enabled: false, next_run_at: 0, last_cycle: null, pending_actions: 0, guarded_targets: 0, mass_saturation_events: 0, unsafe_floors: [], top_targets: [] } } as unknown as StatusResult);
    expect(text).toContain(`${inbound!.dropped_total} dropped (peer_msgs_budget`);
    expect(text).toContain(`  dropped ${STRANGER} non-member ${inbound!.dropped_total}`);
  });
});

describe('budgets in the plugin (IPC members push, inbound_drops report)', () => {
  test('the plugin drops a stranger over budget before the socket, forwards every member message, and the daemon counts the drops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hbx-pl-'));
    const ld = new ScriptedLightningd(join(dir, 'lightning-rpc'));
    await ld.start();
    const engine = new RecordingEngine();
    engine.members.add(MEMBER);
    const withIds = Object.assign(engine, { memberIds: () => [...engine.members] });
    const config = CONFIG_SCHEMA.parse({ lightning: { rpc_file: ld.path }, daemon: { ipc_socket: join(dir, 'd.sock'), tick_ms: 1000, ...CFG } });
    const daemon = await startDaemon({ config, engineFactory: withIds.factory(), log: () => {} });
    let out = '';
    const plugin = new HiveboxPlugin({ write: (t) => void (out += t), stderr: () => {}, exit: () => {} }, 'test');
    const frame = (id: number, method: string, params: unknown) => plugin.onFrame(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    try {
      frame(0, 'init', { options: { 'hivebox-socket': daemon.ipcPath }, configuration: { 'lightning-dir': dir, 'rpc-file': 'lightning-rpc', network: 'regtest' } });
      await waitUntil(() => daemon.stats().plugin_connections === 1 && out.includes('fleet ignore list'), 'plugin connected and pushed to');
      for (let i = 0; i < 500; i++) {
        frame(i + 1, 'custommsg', { peer_id: STRANGER, payload: HIVE });
        if (i % 10 === 0) frame(10_000 + i, 'custommsg', { peer_id: MEMBER, payload: HIVE });
      }
      expect(out.match(/"result":"continue"/g)!.length).toBe(550);
      plugin.reportDrops();
      await waitUntil(() => daemon.stats().inbound.dropped_total + daemon.stats().inbound.admitted === 550, 'every message judged');
      await daemon.idle();
      expect(engine.customMsgs().filter((m) => m.peer_id === MEMBER)).toHaveLength(50);
      const forwarded = engine.customMsgs().filter((m) => m.peer_id === STRANGER).length;
      expect(forwarded).toBeLessThanOrEqual(CFG.inbound_nonmember_msgs_per_s * 2 + 5);
      expect(daemon.stats().inbound).toMatchObject({ dropped_total: 500 - forwarded, dropped: { peer_msgs_budget: 500 - forwarded } });
      expect(daemon.stats().inbound.top_droppers[0]).toMatchObject({ peer_id: STRANGER, member: false });
    } finally {
      plugin.onFrame(JSON.stringify({ jsonrpc: '2.0', method: 'shutdown', params: {} }));
      await daemon.stop();
      await ld.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the plugin side when the daemon falls behind', () => {
  test('a connected daemon that stops reading is reported as behind, not as unreachable, and the drops are counted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hbx-behind-'));
    const path = join(dir, 'd.sock');
    const sockets: Socket[] = [];
    const server = createServer((s) => {
      sockets.push(s);
      s.once('data', (hello: Buffer) => {
        const { id } = JSON.parse(hello.toString().split('\n')[0]!) as { id: number };
        s.write(`${JSON.stringify({ id, result: { protocol: IPC_PROTOCOL_VERSION } })}\n`);
        s.pause();
      });
    });
    await new Promise<void>((r) => server.listen(path, () => r()));
    const logs: string[] = [];
    const c = new IpcClient({ path, hello: { plugin_version: 'test', lightning: { lightning_dir: dir, rpc_file: 'lightning-rpc', network: 'bitcoin' } }, log: (_level, m) => logs.push(m) });
    try {
      c.start();
      await waitUntil(() => c.connected, 'connected');
      const payload = `${HIVE}${'00'.repeat(60_000)}`;
      let dropped = 0;
      for (let i = 0; i < 2_000 && dropped < 5; i++) if (!c.sendEvent({ op: 'custommsg', peer_id: STRANGER, payload })) dropped++;
      expect(dropped).toBe(5);
      expect(logs.some((l) => l.includes('connected but behind'))).toBe(true);
      expect(logs.some((l) => l.includes('not reachable'))).toBe(false);
    } finally {
      c.stop();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
