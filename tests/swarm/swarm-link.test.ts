/**
 * The daemon's swarm composition (runtime/node/swarm/swarm-link.ts) around the real daemon shell
 * (startDaemon, IPC, event queue) with a recording engine and an in-process fake of the
 * SwarmTransport surface (hyperswarm cannot load in Bun; the real sidecar runs in
 * appliance-swarm.test.ts):
 *  - swarm frames enter the daemon's queue; one message arriving over the plugin and the swarm
 *    reaches the engine once;
 *  - the engine's sendcustommsg goes Lightning when connected, swarm when bound, else lightningd's
 *    failure path; management traffic always goes to lightningd;
 *  - the transport starts when a hive appears, follows membership, Lightning peers (listpeers seed +
 *    connect/disconnect), ticks, and stops on stop; the probe says "swarm down" after the grace.
 */
import { afterEach, beforeEach, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_SCHEMA } from '../../runtime/config/schema.ts';
import type { NodeBackend, NodeResult } from '../../runtime/core/ports.ts';
import type { BindingStatement, SwarmKey } from '../../runtime/core/swarm/binding.ts';
import type { HiveRoute } from '../../runtime/core/swarm/route.ts';
import type { NodeId } from '../../runtime/core/types.ts';
import { startDaemon, type Daemon } from '../../runtime/daemon/daemon.ts';
import { SIDECAR_START_GRACE_MS, SwarmLink, type SwarmTransportPort, type SwarmView } from '../../runtime/node/swarm/swarm-link.ts';
import { IpcClient } from '../../services/daemon-ipc/index.ts';
import { NO_ROUTE_CODE } from '../../services/swarm/hive-sender.ts';
import type { SwarmTransportOptions } from '../../services/swarm/transport.ts';
import { RecordingEngine, waitUntil } from '../cln/fixtures/recording-engine.ts';

const SELF = `02${'11'.repeat(32)}` as NodeId;
const B = `03${'cd'.repeat(32)}` as NodeId;
const C = `02${'ef'.repeat(32)}` as NodeId;
const HIVE_HEX = `48495645${Buffer.from('{"type":32777,"version":1,"payload":{}}').toString('hex')}`;
const OTHER_HEX = `48495645${Buffer.from('{"type":32779,"version":1,"payload":{}}').toString('hex')}`;
const MGMT_HEX = `c000${'00'.repeat(8)}`;

/** The SwarmTransport surface, routing like the real gate: Lightning when connected, else swarm when bound, else none. */
class FakeTransport implements SwarmTransportPort {
  readonly calls: string[] = [];
  readonly memberships: string[][] = [];
  readonly lightning = new Set<NodeId>();
  readonly boundIds = new Set<NodeId>();
  readonly swarmSent: string[] = [];
  ticks = 0;
  binding: BindingStatement | null = null;
  constructor(readonly opts: SwarmTransportOptions) {}
  start(): void {
    this.calls.push('start');
  }
  async stop(): Promise<void> {
    this.calls.push('stop');
  }
  setMembership(members: readonly NodeId[], banned: readonly NodeId[]): void {
    this.memberships.push([...members, ...banned.map((b) => `banned:${b}`)]);
  }
  learnBinding(value: unknown): null {
    this.calls.push(`learn:${(value as BindingStatement).node_id}`);
    return null;
  }
  lightningPeer(nodeId: NodeId, connected: boolean): void {
    if (connected) this.lightning.add(nodeId);
    else this.lightning.delete(nodeId);
  }
  dial(key: SwarmKey): boolean {
    this.calls.push(`dial:${key}`);
    return true;
  }
  bound(nodeId: NodeId): boolean {
    return this.boundIds.has(nodeId);
  }
  route(nodeId: NodeId): HiveRoute {
    return this.lightning.has(nodeId) ? 'lightning' : this.boundIds.has(nodeId) ? 'swarm' : 'none';
  }
  send(nodeId: NodeId, payloadHex: string): boolean {
    if (!this.boundIds.has(nodeId)) return false;
    this.swarmSent.push(`${nodeId}:${payloadHex}`);
    return true;
  }
  tick(): void {
    this.ticks++;
  }
}

/** lightningd as the link and the engine use it: B is connected at start; sendcustommsg works for connected peers only. */
function fakeLightningd(connected: Set<string>, sent: string[]): NodeBackend {
  const notConnected = (id: string): NodeResult<never> => ({ ok: false, error: { code: -32600, message: `Peer is not connected: ${id}`, method: 'sendcustommsg' } });
  const partial: Partial<NodeBackend> = {
    getinfo: async () => ({ ok: true, value: { id: SELF, alias: 'self', version: 'v26.06', blockheight: 1, network: 'regtest', address: [] } }),
    listpeers: async () => ({ ok: true, value: [...connected].map((id) => ({ id, connected: true })) }),
    sendcustommsg: async (id, hex) => {
      if (!connected.has(id)) return notConnected(id);
      sent.push(`${id}:${hex}`);
      return { ok: true, value: { status: 'Message sent to connectd for delivery' } };
    },
    signmessage: async () => ({ ok: true, value: { signature: '', recid: '00', zbase: 'z' } }),
    connect: async (id) => ({ ok: true, value: { id } }),
  };
  return partial as NodeBackend;
}

let dir: string;
let engine: RecordingEngine;
let daemon: Daemon;
let client: IpcClient;
let link: SwarmLink;
let transports: FakeTransport[];
let view: SwarmView | null;
let now: number;
let connected: Set<string>;
let lightningSent: string[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hbx-swl-'));
  engine = new RecordingEngine();
  transports = [];
  view = null;
  now = 1_000_000;
  connected = new Set([B]);
  lightningSent = [];
  const config = CONFIG_SCHEMA.parse({ daemon: { ipc_socket: join(dir, 'd.sock'), tick_ms: 50 }, swarm: { enabled: true } });
  link = new SwarmLink({ settings: config.swarm, log: () => {}, now_ms: () => now, createTransport: (o) => (transports.push(new FakeTransport(o)), transports.at(-1)!) });
  daemon = await startDaemon({ config, engineFactory: link.engineFactory(engine.factory()), backend: fakeLightningd(connected, lightningSent), log: () => {} });
  await link.attach({ deliver: (p, h) => daemon.deliver(p, h), backend: daemon.backend, view: () => view });
  client = new IpcClient({ path: daemon.ipcPath, hello: { plugin_version: 'test', lightning: { lightning_dir: dir, rpc_file: 'lightning-rpc', network: 'regtest' } }, log: () => {} });
  client.start();
  await waitUntil(() => client.connected, 'ipc client connected');
});

afterEach(async () => {
  client.stop();
  await link.stop();
  await daemon.stop();
  rmSync(dir, { recursive: true, force: true });
});

const inHive = (members: NodeId[], banned: NodeId[] = []): SwarmView => ({ hive_id: 'hive_0123456789abcdef', node_id: SELF, members, banned });

test('no transport outside a hive; the hive appearing starts one with members, listpeers-connected peers and the config', async () => {
  await link.sync();
  expect(transports).toEqual([]);
  expect(link.current).toBeNull();
  view = inHive([SELF, B]);
  await link.sync();
  const t = transports[0]!;
  expect(t.calls).toEqual(['start']);
  expect(t.memberships).toEqual([[SELF, B]]);
  expect([...t.lightning]).toEqual([B]);
  expect(t.opts).toMatchObject({ hive_id: 'hive_0123456789abcdef', node_id: SELF, autoconnect_lightning: false, lightning_port: 9735, sidecar: { kind: 'spawn', node: 'node' } });
  expect(await t.opts.signText('text')).toBe('z');

  view = inHive([SELF, B, C], [`03${'99'.repeat(32)}` as NodeId]);
  await link.sync();
  await link.sync();
  expect(t.memberships).toEqual([[SELF, B], [SELF, B, C, `banned:03${'99'.repeat(32)}`]]);
  expect(transports).toHaveLength(1);

  client.sendEvent({ op: 'disconnect', peer_id: B });
  client.sendEvent({ op: 'connect', peer_id: C, direction: 'out' });
  await waitUntil(() => engine.calls.length >= 2, 'connection events handled');
  expect([...t.lightning]).toEqual([C]);
  await waitUntil(() => t.ticks > 0, 'daemon tick reaches the transport');

  view = null;
  await link.sync();
  expect(t.calls).toEqual(['start', 'stop']);
  expect(link.current).toBeNull();
});

test('a message arriving over the plugin and over the swarm reaches the engine once, through the daemon queue', async () => {
  view = inHive([SELF, B]);
  await link.sync();
  const t = transports[0]!;
  client.sendEvent({ op: 'custommsg', peer_id: B, payload: HIVE_HEX });
  await waitUntil(() => engine.customMsgs().length === 1, 'plugin copy handled');
  await t.opts.engine.onCustomMsg(B, HIVE_HEX);
  await t.opts.engine.onCustomMsg(B, OTHER_HEX);
  client.sendEvent({ op: 'custommsg', peer_id: B, payload: OTHER_HEX });
  await daemon.idle();
  await Bun.sleep(50);
  await daemon.idle();
  expect(engine.customMsgs()).toEqual([
    { peer_id: B, payload: HIVE_HEX },
    { peer_id: B, payload: OTHER_HEX },
  ]);
  expect(link.duplicates).toBe(2);
  expect(daemon.stats().events_handled).toBeGreaterThanOrEqual(4);

  // The same bytes again by the same path are the sender's retry (a lost MSG_ACK): the engine sees it.
  client.sendEvent({ op: 'custommsg', peer_id: B, payload: HIVE_HEX });
  await waitUntil(() => engine.customMsgs().length === 3, 'retry by the same path handled');
  expect(link.duplicates).toBe(2);
});

test('outbound: Lightning when connected, swarm when bound, else lightningd\'s failure; management traffic stays on Lightning', async () => {
  const backend = engine.ctx!.backend;
  view = inHive([SELF, B, C]);
  await link.sync();
  const t = transports[0]!;
  expect(await backend.sendcustommsg(B, HIVE_HEX)).toMatchObject({ ok: true, value: { status: 'Message sent to connectd for delivery' } });
  expect(lightningSent).toEqual([`${B}:${HIVE_HEX}`]);

  expect(await backend.sendcustommsg(C, HIVE_HEX)).toEqual({ ok: false, error: { code: NO_ROUTE_CODE, message: `Peer is not connected: ${C} (no bound swarm connection either)`, method: 'sendcustommsg' } });
  t.boundIds.add(C);
  expect(await backend.sendcustommsg(C, HIVE_HEX)).toEqual({ ok: true, value: { status: 'sent over the swarm' } });
  const spec = `8009${HIVE_HEX}`;
  expect(await backend.sendcustommsg(C, spec)).toMatchObject({ ok: true });
  expect(t.swarmSent).toEqual([`${C}:${HIVE_HEX}`, `${C}:${spec}`]);

  expect(await backend.sendcustommsg(C, MGMT_HEX)).toMatchObject({ ok: false, error: { message: `Peer is not connected: ${C}` } });
  expect(t.swarmSent).toHaveLength(2);
  expect((await backend.getinfo()).ok).toBe(true);
});

test('bindings from admitted GOSSIP reach the gate; an unbound member is dialled at its key', async () => {
  view = inHive([SELF, B, C]);
  await link.sync();
  const t = transports[0]!;
  const statement = { hive_id: view.hive_id, node_id: C, swarm_key: 'ab'.repeat(32), issued_at: 1, expires_at: 2, signature: 'y'.repeat(104) } as BindingStatement;
  link.learnBinding(statement);
  t.boundIds.add(C);
  link.learnBinding(statement);
  link.learnBinding({ ...statement, node_id: SELF });
  expect(t.calls).toEqual(['start', `learn:${C}`, `dial:${'ab'.repeat(32)}`, `learn:${C}`]);
});

test('health: up while starting, "swarm down" after the grace without the sidecar, up again when it is', async () => {
  expect(await link.probe()).toEqual({ up: true });
  view = inHive([SELF, B]);
  await link.sync();
  const t = transports[0]!;
  t.opts.onStatus!({ state: 'down', status: 'degraded: swarm down', public_key: null, bound_peers: 0 });
  expect(await link.probe()).toEqual({ up: true });
  now += SIDECAR_START_GRACE_MS;
  expect(await link.probe()).toEqual({ up: false, reason: 'swarm down' });
  t.opts.onStatus!({ state: 'up', status: 'swarm up', public_key: 'cd'.repeat(32) as SwarmKey, bound_peers: 1 });
  expect(await link.probe()).toEqual({ up: true });
  t.opts.onStatus!({ state: 'down', status: 'degraded: swarm down', public_key: null, bound_peers: 0 });
  expect(await link.probe()).toEqual({ up: false, reason: 'swarm down' });
});
