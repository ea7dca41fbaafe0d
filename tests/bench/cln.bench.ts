/**
 * CLN I/O figures: custommsg round trips through the whole path (A sendcustommsg → simnet →
 * B's plugin → IPC → B's daemon → engine → B sendcustommsg → … → A's engine), custommsg hook answer
 * latency and startup time of the checkout's plugin executable (services/cln-plugin/hivebox-plugin →
 * `bun runtime/cli/main.ts plugin`, which re-executes itself without the JIT; no daemon socket: the
 * compiled binary's figures, relaying to a socket, are in appliance.bench.ts), lightning-rpc calls/s
 * on a simulated node's socket, and a full-graph `listchannels` (2026-02-03, 101 616 entries) over that socket.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineFactory, HiveEngine } from '../../runtime/node/engine.ts';
import { startSimFleet } from '../../runtime/sim/fleet.ts';
import { createLightningBackend } from '../../services/lightning-rpc/index.ts';
import { SimNetwork } from '../../runtime/sim/simnet/index.ts';
import { PluginProcess } from '../cln/fixtures/plugin-process.ts';
import { graphSlice } from '../simnet/fixtures/graph-slice.ts';
import { durationMs, median, opsPerSecond, report, NONMEMBER_BUDGET_LIFTED } from './harness.ts';

const PEER = `02${'ab'.repeat(32)}`;
const HIVE = `48495645${Buffer.from('{"type":32769,"version":1,"payload":{"bench":true}}').toString('hex')}`;

/** Bench engine: B echoes every message back to its sender; A resolves the waiting round trip. */
function echoEngine(role: 'a' | 'b', onEcho: () => void): EngineFactory {
  return async (ctx) =>
    ({
      async onCustomMsg(peerId, payload) {
        if (role === 'b') await ctx.backend.sendcustommsg(peerId, payload);
        else onEcho();
      },
      async onPeerConnected() {},
      async onPeerDisconnected() {},
      async onTick() {},
      async rpc() {
        return {};
      },
    }) satisfies HiveEngine;
}

let echoed: (() => void) | null = null;
const fleet = await startSimFleet({
  nodes: ['a', 'b'],
  engineFactory: (n) => echoEngine(n as 'a' | 'b', () => echoed?.()),
  log: () => () => {},
  tick_ms: 60_000,
  // The echo peers are no members: the default non-member budget (10 msgs/s) would drop the loop's
  // messages, and this line times the path, not the budget (tests/daemon covers the budgets).
  daemon: NONMEMBER_BUDGET_LIFTED,
});
await fleet.waitPluginsConnected();
const a = fleet.member('a');
const b = fleet.member('b');
await a.backend.connect(b.node.nodeId);
await opsPerSecond('cln.custommsg_round_trips', 200, () => {
  const done = new Promise<void>((resolve) => (echoed = resolve));
  void a.backend.sendcustommsg(b.node.nodeId, HIVE);
  return done;
}, 3);
await opsPerSecond('cln.lightning_rpc_getinfo_calls', 500, () => a.backend.getinfo(), 3);
await fleet.stop();

const net = await SimNetwork.create({ graph: graphSlice(Number.MAX_SAFE_INTEGER) });
const solo = await net.addNode({ name: 'solo' });
const { backend: soloBackend, client: soloClient } = createLightningBackend({ socketPath: solo.rpcPath });
await durationMs('cln.listchannels_full_graph_over_socket', async () => {
  const r = await soloBackend.listchannels();
  if (!r.ok || r.value.length < 100_000) throw new Error('full graph listchannels failed');
}, 3);
soloClient.close();
await net.stop();

const dir = mkdtempSync(join(tmpdir(), 'hbx-bench-'));
await durationMs('cln.plugin_startup_to_init (checkout wrapper under bun, spawn to init answered, re-execution without the JIT included)', async () => {
  const p = new PluginProcess({ cwd: dir });
  await p.call('m', 'getmanifest', {});
  await p.call('i', 'init', { options: { 'hivebox-socket': join(dir, 'none.sock') }, configuration: {} });
  p.kill();
  await p.exited;
}, 5);

const p = new PluginProcess({ cwd: dir });
await p.call('m', 'getmanifest', {});
await p.call('i', 'init', { options: { 'hivebox-socket': join(dir, 'none.sock') }, configuration: {} });
const latencies: number[] = [];
for (let i = 0; i < 300; i++) {
  const t0 = Bun.nanoseconds();
  await p.call(`h${i}`, 'custommsg', { peer_id: PEER, payload: HIVE });
  latencies.push((Bun.nanoseconds() - t0) / 1e6);
}
report('cln.plugin_custommsg_hook_answer_ms_median (checkout wrapper under bun, no JIT, no daemon socket)', median(latencies), 'ms', latencies.length);
report('cln.plugin_custommsg_hook_answer_ms_p99 (checkout wrapper under bun, no JIT, no daemon socket)', [...latencies].sort((x, y) => x - y)[Math.floor(latencies.length * 0.99)]!, 'ms', latencies.length);
p.kill();
await p.exited;
rmSync(dir, { recursive: true, force: true });
