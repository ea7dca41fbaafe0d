/**
 * simnet end to end with two fleet nodes, each running the real hivebox plugin and a daemon with a
 * recording engine: A's `sendcustommsg` arrives at B's engine through B's plugin and IPC socket;
 * partition drops, heal restores; latency and loss; CLN's sendcustommsg errors; lightning-cli
 * passthrough of hive-* commands; node restart; plugin crash and `plugin start`.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { startSimFleet, type SimFleet, type SimFleetMember } from '../../runtime/sim/fleet.ts';
import { HIVEBOX_PLUGIN_EXECUTABLE } from '../../services/cln-plugin/index.ts';
import { PLUGIN_LINKED_LOG } from '../../services/daemon-ipc/index.ts';
import { RecordingEngine, RpcFailure, waitUntil } from '../cln/fixtures/recording-engine.ts';

const hiveMsg = (n: number) => `48495645${Buffer.from(JSON.stringify({ type: 32769, version: 1, payload: { n } })).toString('hex')}`;

let fleet: SimFleet;
let engines: Record<string, RecordingEngine>;
let a: SimFleetMember;
let b: SimFleetMember;

beforeEach(async () => {
  engines = { a: new RecordingEngine(), b: new RecordingEngine() };
  fleet = await startSimFleet({ nodes: ['a', 'b'], engineFactory: (n) => engines[n]!.factory(), log: () => () => {} });
  await fleet.waitPluginsConnected();
  a = fleet.member('a');
  b = fleet.member('b');
});

afterEach(async () => {
  await fleet.stop();
});

describe('custommsg delivery', () => {
  test("A's sendcustommsg reaches B's engine via B's plugin and the IPC socket, and both see the connection", async () => {
    expect(await a.backend.connect(b.node.nodeId)).toMatchObject({ ok: true, value: { id: b.node.nodeId, direction: 'out' } });
    expect(await a.backend.sendcustommsg(b.node.nodeId, hiveMsg(1))).toEqual({ ok: true, value: { status: 'Message sent to connectd for delivery' } });
    await waitUntil(() => engines.b!.customMsgs().length === 1, 'delivery to B');
    expect(engines.b!.customMsgs()).toEqual([{ peer_id: a.node.nodeId, payload: hiveMsg(1) }]);
    expect(engines.b!.calls[0]).toEqual({ kind: 'connected', peer_id: a.node.nodeId });
    await waitUntil(() => engines.a!.calls.length === 1, 'A sees the connection');
    expect(engines.a!.calls).toEqual([{ kind: 'connected', peer_id: b.node.nodeId }]);
  });

  test('partition drops messages (sendcustommsg still queues them, as lightningd does); heal restores delivery', async () => {
    await a.backend.connect(b.node.nodeId);
    fleet.network.partition(a.node, b.node);
    expect((await a.backend.sendcustommsg(b.node.nodeId, hiveMsg(1))).ok).toBe(true);
    await fleet.network.heal(a.node, b.node);
    expect((await a.backend.sendcustommsg(b.node.nodeId, hiveMsg(2))).ok).toBe(true);
    await waitUntil(() => engines.b!.customMsgs().length === 1, 'post-heal delivery');
    await b.daemon.idle();
    expect(engines.b!.customMsgs().map((m) => m.payload)).toEqual([hiveMsg(2)]);
  });

  test('partition with disconnect: both engines see the drop; heal reconnects channel peers', async () => {
    await fleet.network.openChannel(a.node, b.node.nodeId, { capacity_sat: 2_000_000 });
    fleet.network.partition(a.node, b.node, { disconnect: true });
    await waitUntil(() => engines.a!.calls.some((c) => c.kind === 'disconnected') && engines.b!.calls.some((c) => c.kind === 'disconnected'), 'disconnect seen');
    const r = await a.backend.sendcustommsg(b.node.nodeId, hiveMsg(1));
    expect(r).toEqual({ ok: false, error: { code: -32600, message: `Peer is not connected: ${b.node.nodeId}`, method: 'sendcustommsg' } });
    await fleet.network.heal(a.node, b.node);
    await waitUntil(() => engines.b!.calls.filter((c) => c.kind === 'connected').length === 2, 'reconnect seen by B');
    expect((await a.backend.sendcustommsg(b.node.nodeId, hiveMsg(3))).ok).toBe(true);
    await waitUntil(() => engines.b!.customMsgs().length === 1, 'delivery after reconnect');
  });

  test('latency delays delivery; loss 1.0 loses everything; loss 0 delivers again', async () => {
    await a.backend.connect(b.node.nodeId);
    fleet.network.setLink(a.node, b.node, { latency_ms: 400 });
    await a.backend.sendcustommsg(b.node.nodeId, hiveMsg(1));
    await Bun.sleep(50);
    expect(engines.b!.customMsgs()).toEqual([]);
    await waitUntil(() => engines.b!.customMsgs().length === 1, 'delayed delivery');
    fleet.network.setLink(a.node, b.node, { latency_ms: 0, loss: 1 });
    for (let i = 0; i < 5; i++) await a.backend.sendcustommsg(b.node.nodeId, hiveMsg(10 + i));
    fleet.network.setLink(a.node, b.node, { loss: 0 });
    await a.backend.sendcustommsg(b.node.nodeId, hiveMsg(99));
    await waitUntil(() => engines.b!.customMsgs().length === 2, 'delivery after loss cleared');
    expect(engines.b!.customMsgs().map((m) => m.payload)).toEqual([hiveMsg(1), hiveMsg(99)]);
  });

  test("sendcustommsg refuses like lightningd: unknown peer, internal type, bad hex", async () => {
    expect(await a.backend.sendcustommsg(b.node.nodeId, hiveMsg(1))).toEqual({
      ok: false,
      error: { code: -32600, message: `No such peer: ${b.node.nodeId}`, method: 'sendcustommsg' },
    });
    await a.backend.connect(b.node.nodeId);
    const internal = await a.backend.sendcustommsg(b.node.nodeId, '0010000000');
    expect(internal.ok).toBe(false);
    if (!internal.ok) expect(internal.error.message).toStartWith('Cannot send messages of type 16 (WIRE_INIT)');
    const bad = await a.backend.sendcustommsg(b.node.nodeId, 'zz');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe(-32602);
  });

  test('an unknown even type makes B drop A; a declared even type (49152) is delivered', async () => {
    await a.backend.connect(b.node.nodeId);
    expect((await a.backend.sendcustommsg(b.node.nodeId, `c000${'01'.repeat(8)}`)).ok).toBe(true);
    await waitUntil(() => engines.b!.customMsgs().length === 1, 'management message delivered');
    expect((await a.backend.sendcustommsg(b.node.nodeId, `8002${'01'.repeat(8)}`)).ok).toBe(true);
    await waitUntil(() => engines.a!.calls.some((c) => c.kind === 'disconnected'), 'A sees the drop');
    const peers = await b.backend.listpeers(a.node.nodeId);
    expect(peers).toEqual({ ok: true, value: [] });
    expect(b.node.logs.some((l) => l.message.includes('Unknown even message type 32770'))).toBe(true);
  });
});

describe('lightning-cli passthrough', () => {
  test('hive-* on the node socket goes lightningd → plugin → daemon → engine, errors included', async () => {
    const r = await b.cli.call('hive-join', ['TICKET-1']);
    expect(r).toEqual({ ok: true, value: { method: 'hive-join', params: { ticket: 'TICKET-1' } } });
    engines.b!.rpcHandler = async () => {
      throw new RpcFailure(1501, 'ticket expired');
    };
    expect(await b.cli.call('hive-join', { ticket: 'old' })).toEqual({ ok: false, error: { code: 1501, message: 'ticket expired', method: 'hive-join' } });
    expect(await b.cli.call('hive-nothing')).toEqual({ ok: false, error: { code: -32601, message: "Unknown command 'hive-nothing'", method: 'hive-nothing' } });
  });

  test('daemon down: hive-* answers a clear error at once; restarted daemon serves again', async () => {
    await b.daemon.stop();
    const r = await b.cli.call('hive-status');
    expect(r.ok).toBe(false);
    if (!r.ok) expect([-32001, -32003]).toContain(r.error.code);
    const again = await b.cli.call('hive-status');
    expect(again.ok === false && again.error.code).toBe(-32001);
    expect(again.ok === false && again.error.message).toContain('hivebox daemon is not running');
    await fleet.restartDaemon('b');
    expect(await b.cli.call('hive-status')).toMatchObject({ ok: true });
  });
});

describe('node restart and plugin crash', () => {
  test('restart: peers see disconnect and reconnect, the plugin is relaunched and reaches the daemon again', async () => {
    await fleet.network.openChannel(a.node, b.node.nodeId, { capacity_sat: 1_000_000 });
    const pidBefore = b.node.plugins[0]!.pid;
    await fleet.network.restartNode(b.node);
    expect(b.node.plugins[0]!.pid).not.toBe(pidBefore);
    await waitUntil(() => engines.a!.calls.filter((c) => c.kind === 'connected').length === 2, 'A sees B come back');
    expect(engines.a!.calls.map((c) => c.kind)).toEqual(['connected', 'disconnected', 'connected']);
    await waitUntil(() => b.daemon.stats().plugin_connections === 1, 'new plugin linked');
    await waitUntil(() => b.node.logs.filter((l) => l.message.startsWith(PLUGIN_LINKED_LOG)).length === 2, 'plugin linked again');
    await a.backend.sendcustommsg(b.node.nodeId, hiveMsg(5));
    await waitUntil(() => engines.b!.customMsgs().length === 1, 'delivery after restart');
  });

  test('plugin crash: lightningd lives on without it, no restart until `plugin start`', async () => {
    await a.backend.connect(b.node.nodeId);
    await fleet.network.crashPlugin(b.node, 'hivebox-plugin');
    expect(b.node.status).toBe('running');
    expect((await b.backend.getinfo()).ok).toBe(true);
    await a.backend.sendcustommsg(b.node.nodeId, hiveMsg(1));
    expect(await b.cli.call('hive-status')).toEqual({ ok: false, error: { code: -32601, message: "Unknown command 'hive-status'", method: 'hive-status' } });
    await Bun.sleep(200);
    expect(engines.b!.customMsgs()).toEqual([]);
    expect(await b.cli.call('plugin', ['list'])).toEqual({ ok: true, value: { command: 'list', plugins: [] } });
    const linkedBefore = b.node.logs.filter((l) => l.message.startsWith(PLUGIN_LINKED_LOG)).length;
    const started = await b.cli.call('plugin', ['start', HIVEBOX_PLUGIN_EXECUTABLE]);
    expect(started).toEqual({ ok: true, value: { command: 'start', plugins: [{ name: HIVEBOX_PLUGIN_EXECUTABLE, active: true, dynamic: true }] } });
    await waitUntil(() => b.node.logs.filter((l) => l.message.startsWith(PLUGIN_LINKED_LOG)).length === linkedBefore + 1, 'restarted plugin linked');
    await a.backend.sendcustommsg(b.node.nodeId, hiveMsg(2));
    await waitUntil(() => engines.b!.customMsgs().length === 1, 'delivery after plugin start');
    expect(engines.b!.customMsgs()[0]!.payload).toBe(hiveMsg(2));
    expect((await b.cli.call('hive-status')).ok).toBe(true);
  });
});
