/**
 * `hivebox run` with `[swarm] enabled`, end to end: simulated CLN v26.06 nodes with the real
 * plugin, each with an in-process appliance built exactly as `hivebox run` builds it
 * (tests/systemd/fixtures/sim-appliance.ts), whose swarm link spawns the real Node sidecar on a
 * local hyperswarm testnet bound to 127.0.0.1. The testnet runs in a Node child
 * (tests-node/swarm/fixtures/testnet.mjs): hyperswarm cannot be loaded inside Bun.
 *  - `[swarm]` off (the default): no transport, no sidecar process.
 *  - Two members whose Lightning connection is cut (simnet partition + disconnect) still exchange
 *    Hive messages over the swarm: A's GOSSIP after a topology (and fee) change reaches B's engine,
 *    which admits it with A's swarm binding, and both fleet hashes converge.
 *  - The sidecar SIGKILLed: health degraded with "swarm down", then healthy once it is restarted.
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'bun:test';
import type { Subprocess } from 'bun';
import type { InviteResult, StatusResult } from '../../runtime/node/hive/index.ts';
import type { SwarmTransport } from '../../services/swarm/transport.ts';
import { SimNetwork } from '../../runtime/sim/simnet/index.ts';
import { waitUntil } from '../cln/fixtures/recording-engine.ts';
import { startSimBox, type SimBox } from '../systemd/fixtures/sim-appliance.ts';

let testnet: Subprocess<'pipe', 'pipe', 'inherit'>;
let bootstrap: string[];
let net: SimNetwork;
let boxes: SimBox[] = [];

beforeAll(async () => {
  testnet = Bun.spawn(['node', 'tests-node/swarm/fixtures/testnet.mjs'], { stdin: 'pipe', stdout: 'pipe', stderr: 'inherit' });
  const reader = testnet.stdout.getReader();
  let text = '';
  while (!text.includes('\n')) {
    const { value, done } = await reader.read();
    if (done) throw new Error('testnet exited before printing its bootstrap nodes');
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  bootstrap = (JSON.parse(text.slice(0, text.indexOf('\n'))) as { bootstrap: { host: string; port: number }[] }).bootstrap.map((b) => `${b.host}:${b.port}`);
});

afterAll(async () => {
  testnet.stdin.end();
  await testnet.exited;
});

afterEach(async () => {
  for (const x of boxes) await x.stop();
  boxes = [];
  await net.stop();
});

const swarmOn = () => ({ swarm: { enabled: true, bootstrap, host: '127.0.0.1', refresh_s: 2 }, hive: { status_interval_s: 5 } });
const status = (box: SimBox) => box.call<StatusResult>('hive-status');
const boundPeers = (box: SimBox) => box.logs.filter((l) => l.event === 'swarm_peer_bound').length;
const sidecarsOf = (pid: number) => Bun.spawnSync(['pgrep', '-P', String(pid), '-f', 'sidecar/main.mjs']).stdout.toString().trim();

/** Two boxes with a channel, both healthy, A founded the hive and B joined it. */
async function hiveOfTwo(sections: Record<string, unknown>): Promise<[SimBox, SimBox]> {
  net = await SimNetwork.create();
  boxes = [await startSimBox(net, 'a', 0x41, sections), await startSimBox(net, 'b', 0x42, sections)];
  const [a, b] = boxes as [SimBox, SimBox];
  await net.openChannel(a.node, b.node.nodeId, { capacity_sat: 5_000_000 });
  await waitUntil(() => boxes.every((x) => x.appliance.supervisor.health().status === 'healthy'), 'both boxes healthy', 20_000);
  await a.call('hive-genesis');
  const t = await a.call<InviteResult>('hive-invite');
  await b.call('hive-join', { ticket: t.ticket, peer_id: a.node.nodeId });
  return [a, b];
}

test('[swarm] off by default: no transport, no sidecar spawned', async () => {
  const [a, b] = await hiveOfTwo({});
  await waitUntil(() => b.events.some((e) => e.kind === 'joined'), 'b joined', 20_000);
  await Bun.sleep(500);
  for (const box of [a, b]) {
    expect(box.appliance.swarm).toBeNull();
    expect(box.logs.some((l) => l.event.startsWith('swarm'))).toBe(false);
    expect(Object.keys(box.appliance.supervisor.health().components)).not.toContain('swarm');
  }
  expect(sidecarsOf(process.pid)).toBe('');
}, 60_000);

test('Lightning cut: Hive messages still flow over the swarm and the fleet converges; a killed sidecar is "swarm down", then recovers', async () => {
  const [a, b] = await hiveOfTwo(swarmOn());
  await waitUntil(() => boundPeers(a) > 0 && boundPeers(b) > 0, 'a and b bound over the swarm', 60_000);
  expect(sidecarsOf(process.pid).split('\n')).toHaveLength(2);

  net.partition(a.node, b.node, { disconnect: true });
  await waitUntil(() => a.node.peers.get(b.node.nodeId)?.connected !== true, 'Lightning link a–b down');
  const mark = b.events.length;
  const c = await net.addNode({ name: 'c' });
  await net.openChannel(a.node, c.nodeId, { capacity_sat: 2_000_000 });

  await waitUntil(() => b.events.slice(mark).some((e) => e.kind === 'received' && e.type === 'GOSSIP' && e.peer_id === a.node.nodeId), 'a\'s GOSSIP reaches b over the swarm', 60_000);
  // B admits A's GOSSIP only once its own view of the public graph shows the new A–C channel
  // (spec 003 claim check, refreshed every status_interval_s); until then each fee change on A–C
  // makes A gossip again.
  const admitted = () => b.events.slice(mark).some((e) => e.kind === 'swarm_binding' && e.sender_id === a.node.nodeId);
  for (let fee = 1; fee <= 10 && !admitted(); fee++) {
    await a.call('setchannel', { id: c.nodeId, feebase: fee, feeppm: fee });
    await waitUntil(admitted, 'a\'s GOSSIP admitted by b', 6_000).catch(() => undefined);
  }
  expect(admitted()).toBe(true);
  const binding = b.events.slice(mark).find((e) => e.kind === 'swarm_binding');
  expect(binding).toMatchObject({ statement: { node_id: a.node.nodeId, hive_id: (await status(a)).hive_id } });
  let hashes: (string | null)[] = [];
  for (let i = 0; i < 300; i++) {
    hashes = [(await status(a)).fleet_hash, (await status(b)).fleet_hash];
    if (hashes[0] === hashes[1]) break;
    await Bun.sleep(100);
  }
  expect(hashes[0]).toBe(hashes[1]);
  expect(a.node.peers.get(b.node.nodeId)?.connected).not.toBe(true);

  const pid = (a.appliance.swarm!.current as SwarmTransport).sidecarPid!;
  process.kill(pid, 'SIGKILL');
  await waitUntil(() => a.appliance.supervisor.health().reasons.some((r) => r.component === 'swarm' && r.reason === 'swarm down'), 'degraded: swarm down', 10_000);
  expect(a.appliance.supervisor.health().status).toBe('degraded');
  await waitUntil(() => a.appliance.supervisor.health().status === 'healthy', 'healthy once the sidecar is back', 30_000);
  expect((a.appliance.swarm!.current as SwarmTransport).sidecarPid).not.toBe(pid);
}, 180_000);
