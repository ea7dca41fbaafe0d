/**
 * Engine figures:
 * - `engine.handshake_join_ms`: one complete join (HELLO → CHALLENGE → ATTEST → WELCOME, two
 *   node signatures, listpeers/listpeerchannels) as the operator sees it: lightning-cli hive-join
 *   through simulated lightningd → real plugin → daemon socket → engine, messages between nodes
 *   through sendcustommsg and the custommsg hook. Sequential joins, median.
 * - `engine.handshakes_per_s`: joins completed per second when 6 nodes join one member at once
 *   over that same path.
 * - `engine.handshakes_per_s_in_process`: the engine alone (codec, machines, SQLite commits) on the
 *   in-process loopback backend, for comparison with the socket path.
 * - `engine.daemon_rss_after_demo_mb`: resident memory of a real `hivebox run` daemon process
 *   (node A, HID signer simulator over its socket) after a three-node fleet formed through it.
 * - `engine.demo_wall_ms`: `hivebox demo --json` on the full 2026-02-03 graph, whole process.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimFleet } from '../../runtime/sim/fleet.ts';
import { DEFAULT_HIVE_SETTINGS } from '../../runtime/node/hive/config.ts';
import { hiveEngineFactory } from '../../runtime/node/compose/engine-factory.ts';
import type { InviteResult } from '../../runtime/node/hive/index.ts';
import { HIVEBOX_PLUGIN_EXECUTABLE } from '../../services/cln-plugin/executable.ts';
import { createLightningBackend, type LightningRpcClient } from '../../services/lightning-rpc/index.ts';
import type { FleetCli } from '../../runtime/sim/lnd-member.ts';
import { SimNetwork } from '../../runtime/sim/simnet/index.ts';
import { startSignerSimulator } from '../../runtime/sim/signer/start.ts';
import { SimulatedButton } from '../../hw/soft-signer/approve-button.ts';
import { SoftSigner } from '../../hw/soft-signer/soft-signer.ts';
import { LoopbackNet } from '../engine/fixtures/loopback.ts';
import { admit, genesis } from '../engine/fixtures/fleet.ts';
import { secretKey } from '../ticket/fixtures.ts';
import { durationMs, median, report } from './harness.ts';

const MAIN = join(import.meta.dir, '../../runtime/cli/main.ts');
const JOINERS = 6;

async function call<T>(cli: FleetCli, method: string, params: Record<string, unknown> = {}): Promise<T> {
  const r = await cli.call<T>(method, params);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value;
}

/** A member `m` and `JOINERS` candidates in simnet with in-process daemons running the engine. */
async function simFleet() {
  const root = mkdtempSync(join(tmpdir(), 'hbx-bench-'));
  const names = ['m', ...Array.from({ length: JOINERS }, (_, i) => `j${i}`)];
  const fleet = await startSimFleet({
    root,
    nodes: names,
    log: () => () => {},
    tick_ms: 60_000,
    engineFactory: (name) =>
      hiveEngineFactory({ store_path: join(root, name, 'hive.db'), signer: new SoftSigner(secretKey(0x70 + names.indexOf(name)), { button: new SimulatedButton('approve') }), settings: DEFAULT_HIVE_SETTINGS }),
  });
  await fleet.waitPluginsConnected();
  const m = fleet.member('m');
  for (const n of names.slice(1)) await fleet.network.openChannel(fleet.member(n).node, m.node.nodeId, { capacity_sat: 1_000_000 });
  await call(m.cli, 'hive-genesis');
  const tickets: string[] = [];
  for (let i = 0; i < JOINERS; i++) tickets.push((await call<InviteResult>(m.cli, 'hive-invite')).ticket);
  const joinOne = (i: number) => call(fleet.member(`j${i}`).cli, 'hive-join', { ticket: tickets[i]!, peer_id: m.node.nodeId });
  return { joinOne, stop: async () => (await fleet.stop(), rmSync(root, { recursive: true, force: true })) };
}

// Sequential joins: latency of one handshake through the plugin and socket path.
{
  const f = await simFleet();
  const times: number[] = [];
  for (let i = 0; i < JOINERS; i++) {
    const t0 = Bun.nanoseconds();
    await f.joinOne(i);
    times.push((Bun.nanoseconds() - t0) / 1e6);
  }
  report('engine.handshake_join_ms', median(times), 'ms', JOINERS);
  await f.stop();
}

// Concurrent joins: throughput through the same path.
{
  const rates: number[] = [];
  for (let r = 0; r < 3; r++) {
    const f = await simFleet();
    const t0 = Bun.nanoseconds();
    await Promise.all(Array.from({ length: JOINERS }, (_, i) => f.joinOne(i)));
    rates.push(JOINERS / ((Bun.nanoseconds() - t0) / 1e9));
    await f.stop();
  }
  report('engine.handshakes_per_s', median(rates), 'joins/s', 3);
}

// The engine alone on the in-process loopback backend (invite + join per node, sequential).
{
  const rates: number[] = [];
  for (let r = 0; r < 3; r++) {
    const net = new LoopbackNet();
    const member = net.add(1);
    await genesis(member);
    const joiners = Array.from({ length: JOINERS }, (_, i) => net.add(10 + i));
    for (const j of joiners) net.link(member, j, 'CHANNELD_NORMAL');
    const t0 = Bun.nanoseconds();
    for (const j of joiners) await admit(net, member, j);
    rates.push(JOINERS / ((Bun.nanoseconds() - t0) / 1e9));
    await net.close();
  }
  report('engine.handshakes_per_s_in_process', median(rates), 'joins/s', 3);
}

// A real `hivebox run` daemon process per node, plugins launched by simnet, HID signer simulator for A.
{
  const root = mkdtempSync(join(tmpdir(), 'hbx-rss-'));
  const net = await SimNetwork.create({ root });
  const sim = await startSignerSimulator({ mode: 'subprocess', stateDir: join(root, 'a-signer') });
  const daemons: ReturnType<typeof Bun.spawn>[] = [];
  const clis: LightningRpcClient[] = [];
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HIVEBOX_')));
  try {
    for (const name of ['a', 'b', 'c']) {
      const sock = join(root, `${name}.sock`);
      const node = await net.addNode({ name, plugins: [{ path: HIVEBOX_PLUGIN_EXECUTABLE, options: { 'hivebox-socket': sock } }] });
      const signer = name === 'a' ? sim.socketPath : join(root, 'none.sock');
      const sets = [
        `hive.store_path=${JSON.stringify(join(root, `${name}.db`))}`,
        'log.level="error"',
        'signer.transport="unix-socket"',
        `signer.path=${JSON.stringify(signer)}`,
        `supervisor.plugin_path=${JSON.stringify(HIVEBOX_PLUGIN_EXECUTABLE)}`,
      ];
      daemons.push(Bun.spawn([process.execPath, MAIN, 'run', '--rpc-file', node.rpcPath, '--socket', sock, ...sets.flatMap((x) => ['--set', x])], { stdout: 'ignore', stderr: 'inherit', env }));
      clis.push(createLightningBackend({ socketPath: node.rpcPath }).client);
    }
    const [a, b, c] = ['a', 'b', 'c'].map((n) => net.node(n));
    await net.openChannel(a!, b!.nodeId, { capacity_sat: 5_000_000 });
    await net.openChannel(a!, c!.nodeId, { capacity_sat: 5_000_000 });
    const until = async (fn: () => Promise<unknown>) => {
      for (let i = 0; i < 200; i++) {
        try {
          return await fn();
        } catch {
          await Bun.sleep(50);
        }
      }
      throw new Error('daemon did not come up');
    };
    await until(() => call(clis[0]!, 'hive-genesis'));
    for (const j of [1, 2]) {
      const t = await call<InviteResult>(clis[0]!, 'hive-invite', { req_splice: true });
      await until(() => call(clis[j]!, 'hive-join', { ticket: t.ticket, peer_id: a!.nodeId }));
    }
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${daemons[0]!.pid}/status`, 'utf8'))?.[1]);
    report('engine.daemon_rss_after_demo_mb', rssKb / 1024, 'MiB', 1);
  } finally {
    for (const d of daemons) d.kill('SIGTERM');
    await Promise.all(daemons.map((d) => d.exited));
    for (const cl of clis) cl.close();
    await net.stop();
    await sim.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

await durationMs(
  'engine.demo_wall_ms',
  async () => {
    const p = Bun.spawn([process.execPath, MAIN, 'demo', '--json'], { stdout: 'pipe', stderr: 'ignore' });
    const out = await new Response(p.stdout).text();
    if ((await p.exited) !== 0 || !(JSON.parse(out) as { formed: boolean }).formed) throw new Error('demo did not form the fleet');
  },
  2,
);
