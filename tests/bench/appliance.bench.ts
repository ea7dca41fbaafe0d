/**
 * Appliance figures (issue 6 §1, §5; targets issue 19 §4), all from the compiled x64 binary: size of
 * each single binary and how much of it is ours beyond the Bun runtime it embeds, cold start of `hivebox --version` (process spawn to exit, median; ≤ 60 ms),
 * peak RSS of `--version` and of `hivebox selftest` (signmessage + SQLite + node-hid loaded: a
 * working process after start), the daemon: `hivebox run` against a simulated CLN v26.06 node with
 * the real plugin and `[mqtt]` on a real mosquitto (as every appliance has it), from spawn to the READY=1 datagram on a NOTIFY_SOCKET (lightningd reached, store
 * opened and migrated, plugin linked, first probe round; no signer plugged; ≤ 150 ms), its resident
 * memory (VmRSS) right after READY and 5 s later, steady (≤ 64 MiB), and `hivebox plugin` (the
 * binary, re-executed without the JIT as it starts itself: runtime/cli/plugin-jit.ts) answering
 * lightningd's `getmanifest`, VmRSS 1 s later (≤ 35 MiB), beside the same figure of a compiled Bun
 * binary that does nothing else (the floor every compiled Bun process pays), and after relaying
 * 10,000 custommsg hooks to the daemon socket with their median answer time, each beside the same
 * figure with `BUN_JSC_useJIT=true` (the previous default) from the same run; and the daemon's peak
 * RSS (VmHWM) through a whole planner cycle on the 2026-02-03 graph read from a gossip_store beside
 * lightningd's rpc socket, as the daemon reads it on the appliance (≤ 80 MiB, issue 19 §2). Builds
 * dist/ first unless it holds binaries built from this checkout (`freshBinaries`), then drops the x64
 * binary from the page cache, as a boot leaves it (`dropFromPageCache`).
 * `HIVEBOX_BENCH_APPLIANCE=daemon` runs only the daemon's cold start and RSS (the x64 binary alone),
 * for iterating on start-up.
 * `HIVEBOX_BENCH_CYCLE_ONLY=1 bun run bench appliance` prints only the planner-cycle figures (peak
 * RSS, cycle ms), for iterating on the cycle's memory.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Arch, binaryPath, COMPILE_FLAGS, freshBinaries, TARGETS } from '../../runtime/build/build.ts';
import { startSignerSimulator } from '../../runtime/sim/signer/start.ts';
import { SimNetwork } from '../../runtime/sim/simnet/index.ts';
import { addDaemonSite, spawnRun } from '../systemd/fixtures/run-daemon.ts';
import { listenNotify } from '../systemd/notify-listener.ts';
import { callDaemon } from '../systemd/fixtures/run-daemon.ts';
import { createLightningBackend } from '../../services/lightning-rpc/index.ts';
import type { PlannerStatus } from '../../runtime/node/planner/planner-status.ts';
import { writeGossipStore } from '../graph/fixtures/gossip-store-writer.ts';
import { FILES, realGraph } from '../graph/real-graphs.ts';
import { listenIpc, PLUGIN_LINKED_LOG } from '../../services/daemon-ipc/index.ts';
import { PluginProcess } from '../cln/fixtures/plugin-process.ts';
import { durationMs, type Figure, median, report, type Target } from './harness.ts';
import { brokerEnv, startBroker, type TestBroker } from '../mqtt/broker.ts';
import { subscribe } from '../mqtt/subscriber.ts';
import { statusTopics } from '../../services/mqtt/topics.ts';

/** The sender and payload of the hook-load figures: a Hive message (magic 48495645 + cl-hive JSON) from a peer. */
const HOOK_PEER = `02${'ab'.repeat(32)}`;
const HOOK_PAYLOAD = `48495645${Buffer.from('{"type":32769,"version":1,"payload":{"bench":true}}').toString('hex')}`;

/** A memory line (`VmRSS` now, `VmHWM` its peak) of a live process's /proc status, in MiB. */
async function procMemMib(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(await Bun.file(`/proc/${pid}/status`).text());
  return Number(kb?.[1]) / 1024;
}

/**
 * Drop the file at `path` from the page cache (GNU dd `iflag=nocache count=0`), so the runs after it
 * find the binary as on a booted appliance: resident are only the pages processes fault in, with the
 * disk's readahead. A binary `bun build` has just written sits whole in the cache, and each page fault
 * then maps its cached neighbours too (fault-around over the file's large folios): the same plugin
 * binary read 35.7 MiB of VmRSS that way and 31.1 MiB after a drop, the difference all file-backed.
 * @throws Error when dd fails.
 */
function dropFromPageCache(path: string): void {
  const r = Bun.spawnSync(['dd', `if=${path}`, 'iflag=nocache', 'count=0', 'status=none'], { stderr: 'pipe' });
  if (r.exitCode !== 0) throw new Error(`dd could not drop ${path} from the page cache: ${r.stderr}`);
}

/**
 * `hivebox plugin` as lightningd starts it, `env` added to the environment (an `undefined` value
 * removes the variable): `getmanifest` on stdin; ms from spawn to its answer (the plugin's
 * re-execution without the JIT included) and VmRSS (MiB) 1 s later.
 */
async function pluginAfterGetmanifest(bin: string, env: Record<string, string | undefined>): Promise<{ answer_ms: number; rss_mib: number }> {
  const t0 = performance.now();
  const proc = Bun.spawn([bin, 'plugin'], { stdin: 'pipe', stdout: 'pipe', stderr: 'ignore', env: { ...process.env, ...env } });
  try {
    proc.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getmanifest', params: {} })}\n\n`);
    await proc.stdin.flush();
    const first = await proc.stdout.getReader().read();
    if (first.done) throw new Error(`${bin} plugin answered nothing to getmanifest`);
    const answer_ms = performance.now() - t0;
    await Bun.sleep(1_000);
    return { answer_ms, rss_mib: await procMemMib(proc.pid, 'VmRSS') };
  } finally {
    proc.kill();
    await proc.exited;
  }
}

/** `custommsg` hooks per run of the hook-load figures. */
const HOOKS = 10_000;

/**
 * `hivebox plugin` (`bin`), `env` added to the environment, through getmanifest and init with the
 * real daemon side of the IPC socket (`listenIpc`, counting what arrives), then `HOOKS` custommsg
 * hooks carrying Hive traffic, as lightningd hands them over after init: one at a time, the next once
 * the answer is read, each relayed to the socket. @returns the answer time of each hook (ms, spawn
 * side: request written to answer parsed) and VmRSS (MiB) 1 s after the last event reached the socket.
 */
async function pluginUnderHooks(bin: string, env: Record<string, string | undefined>): Promise<{ answer_ms: number[]; rss_mib: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'hb-hooks-'));
  let relayed = 0;
  const daemon = await listenIpc(join(dir, 'plugin.sock'), {
    onEvent: (e) => {
      if (e.op === 'custommsg') relayed++;
    },
    onRpc: async () => ({ result: {} }),
  });
  const plugin = new PluginProcess({ cwd: dir, argv: [bin, 'plugin'], env });
  try {
    await plugin.call('m', 'getmanifest', {});
    await plugin.call('i', 'init', { options: { 'hivebox-socket': daemon.path }, configuration: {} });
    await plugin.waitFrame((f) => f.method === 'log' && String((f.params as { message: string }).message).startsWith(PLUGIN_LINKED_LOG), 'plugin linked to the daemon socket');
    const answer_ms: number[] = [];
    for (let i = 0; i < HOOKS; i++) {
      const t0 = Bun.nanoseconds();
      await plugin.call(i, 'custommsg', { peer_id: HOOK_PEER, payload: HOOK_PAYLOAD });
      answer_ms.push((Bun.nanoseconds() - t0) / 1e6);
    }
    const deadline = Date.now() + 30_000;
    while (relayed < HOOKS) {
      if (Date.now() > deadline) throw new Error(`only ${relayed} of ${HOOKS} hooks reached the daemon socket`);
      await Bun.sleep(10);
    }
    await Bun.sleep(1_000);
    return { answer_ms, rss_mib: await procMemMib(plugin.pid, 'VmRSS') };
  } finally {
    plugin.kill();
    await plugin.exited;
    await daemon.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A `bun build --compile` binary (same flags as ours) whose program only answers the first stdin line:
 * every compiled Bun process pays its RSS, so it is the floor under `hivebox plugin`'s figure.
 */
function bunFloorBinary(): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'hb-floor-'));
  const src = join(dir, 'floor.ts');
  writeFileSync(src, "process.stdin.once('data', () => process.stdout.write('{}\\n'));\nsetInterval(() => {}, 1 << 30);\n");
  const path = join(dir, 'floor');
  const r = Bun.spawnSync([process.execPath, 'build', ...COMPILE_FLAGS, src, '--outfile', path], { stdout: 'pipe', stderr: 'pipe' });
  if (r.exitCode !== 0) throw new Error(`floor binary: ${r.stderr}`);
  dropFromPageCache(path);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The plugin's environment is lightningd's, not hivebox.service's: the `BUN_JSC_*` settings `bun run
 * bench` gives every bench (the daemon's) are removed from it (`undefined` removes a variable).
 */
const WITHOUT_DAEMON_JSC = Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith('BUN_JSC_')).map((k) => [k, undefined]));

/** The plugin as shipped (no `BUN_JSC_useJIT`: it re-executes itself with `false`) and as the previous default ran it (the JIT). */
const JIT_MODES = { shipped: WITHOUT_DAEMON_JSC, jit: { ...WITHOUT_DAEMON_JSC, BUN_JSC_useJIT: 'true' } } as const;

/** Three runs of `measure` in each of `JIT_MODES`, interleaved, so a slower moment of the machine hits both alike. */
async function shippedAndJit<T>(measure: (env: Record<string, string | undefined>) => Promise<T>): Promise<{ shipped: T[]; jit: T[] }> {
  const out = { shipped: [] as T[], jit: [] as T[] };
  for (let i = 0; i < 3; i++) {
    out.shipped.push(await measure(JIT_MODES.shipped));
    out.jit.push(await measure(JIT_MODES.jit));
  }
  return out;
}

/**
 * Print the plugin's figure `name` with `BUN_JSC_useJIT=true` (the previous default, issue 19 §6),
 * then as shipped (`shippedNote` added to its name), judged against `target` and that previous
 * figure. @returns the shipped figure.
 */
function reportShippedAndJit(name: string, unit: string, runs: number, shipped: number, jit: number, opts: { target?: Target; shippedNote?: string } = {}): Figure {
  const previous = report(`${name}, BUN_JSC_useJIT=true (the previous default) (x64)`, jit, unit, runs);
  return report(`${name}${opts.shippedNote ? `, ${opts.shippedNote}` : ''} (x64)`, shipped, unit, runs, { target: opts.target, previous });
}

/**
 * One cold start of `hivebox run` to READY=1: ms from spawn, VmRSS (MiB) at READY and 5 s later. With
 * `broker`, `[mqtt]` points at it with its password, as every appliance runs the daemon (the image's
 * hivebox.toml has `[mqtt]`), and the start counts only once the broker holds the daemon's retained `online`.
 * @throws Error when the daemon never announced itself on `broker`.
 */
async function daemonColdStart(hivebox: readonly string[], broker?: TestBroker): Promise<{ ready_ms: number; rss_mib: number; steady_rss_mib: number }> {
  const net = await SimNetwork.create();
  const site = await addDaemonSite(net, 'a', join(net.root, 'no-signer.sock'));
  const notify = listenNotify(join(net.root, 'notify.sock'));
  const mqttEnv = broker ? brokerEnv(broker) : {};
  const t0 = performance.now();
  const proc = spawnRun(site, ['log.level="error"'], { NOTIFY_SOCKET: notify.path, ...mqttEnv }, hivebox);
  try {
    await notify.waitFor('READY=1', 30_000);
    const ready_ms = performance.now() - t0;
    const rss_mib = await procMemMib(proc.pid, 'VmRSS');
    await Bun.sleep(5_000);
    const steady_rss_mib = await procMemMib(proc.pid, 'VmRSS');
    if (broker) {
      const availability = await subscribe(broker, [statusTopics(site.node.nodeId).availability]);
      await availability.waitFor((m) => m.retain && m.payload === 'online', 10_000).finally(() => availability.close());
    }
    return { ready_ms, rss_mib, steady_rss_mib };
  } finally {
    proc.kill('SIGTERM');
    await proc.exited;
    notify.close();
    await net.stop();
  }
}

/** Seconds from the daemon's start to its first planner cycle: genesis is done and VmHWM read well before. */
const FIRST_CYCLE_DELAY_S = 5;

/**
 * Peak RSS (VmHWM, MiB) of `hivebox run` from start through its first planner cycle over a
 * 2026-02-03 gossip_store, the peak before that cycle (after `hive-genesis`, the cycle still
 * `FIRST_CYCLE_DELAY_S` away), and that cycle's gather + run ms; `[mqtt]` points at `broker`, as on
 * every appliance (the MQTT client is resident through the cycle).
 */
async function daemonCyclePeak(hivebox: readonly string[], store: Uint8Array, broker: TestBroker): Promise<{ peak_mib: number; before_mib: number; cycle_ms: number }> {
  const net = await SimNetwork.create();
  const signerSocket = join(net.root, 'signer.sock');
  const signer = await startSignerSimulator({ mode: 'in-process', stateDir: join(net.root, 'signer'), socketPath: signerSocket });
  const site = await addDaemonSite(net, 'a', signerSocket);
  await Bun.write(join(dirname(site.node.rpcPath), 'gossip_store'), store);
  const cli = createLightningBackend({ socketPath: site.node.rpcPath, idPrefix: 'bench' }).client;
  const proc = spawnRun(site, ['log.level="error"', `planner.first_cycle_delay_s=${FIRST_CYCLE_DELAY_S}`, 'planner.jitter_max_s=0'], brokerEnv(broker), hivebox);
  try {
    await callDaemon(cli, 'hive-genesis');
    const before_mib = await procMemMib(proc.pid, 'VmHWM');
    if ((await callDaemon<PlannerStatus>(cli, 'hive-planner-status')).last_cycle) throw new Error(`the first planner cycle ran within ${FIRST_CYCLE_DELAY_S} s of start, before VmHWM was read`);
    const deadline = Date.now() + 300_000;
    for (;;) {
      const s = await callDaemon<PlannerStatus>(cli, 'hive-planner-status');
      const c = s.last_cycle;
      if (c) {
        if (c.outcome !== 'completed') throw new Error(`planner cycle ${c.outcome}: ${c.error ?? ''}`);
        return { peak_mib: await procMemMib(proc.pid, 'VmHWM'), before_mib, cycle_ms: c.gather_ms + c.cycle_ms };
      }
      if (Date.now() > deadline) throw new Error('no planner cycle within 300 s');
      await Bun.sleep(200);
    }
  } finally {
    proc.kill('SIGTERM');
    await proc.exited;
    cli.close();
    await signer.stop();
    await net.stop();
  }
}

/** The Bun runtime a `--compile` binary of `arch` starts from: this bun for the host, else Bun's download cache; null when not found. */
function bunRuntime(arch: Arch): string | null {
  if (arch === process.arch) return process.execPath;
  const cached = join(homedir(), `.bun/install/cache/bun-linux-${arch === 'arm64' ? 'aarch64' : arch}-v${Bun.version}`);
  return existsSync(cached) ? cached : null;
}

/** Only the daemon's cold start and RSS (`HIVEBOX_BENCH_APPLIANCE=daemon`). */
const daemonOnly = process.env.HIVEBOX_BENCH_APPLIANCE === 'daemon';

/**
 * Starts of `hivebox run` to READY=1 and its RSS then and 5 s later, each publishing its status to a
 * real mosquitto (`daemonColdStart`): the first start after the page-cache drop on its own (its pages
 * come from disk: 249 ms where the next ones took 136–152), then the medians of five, as on a box that
 * has started the daemon before; then READY and steady RSS of five starts without `[mqtt]`, named so.
 */
async function daemonFigures(bin: string): Promise<void> {
  const broker = await startBroker();
  try {
    const first = await daemonColdStart([bin], broker);
    report('hivebox run to READY=1, first start since the binary left the page cache (pages read from disk) (x64)', first.ready_ms, 'ms', 1);
    const starts: { ready_ms: number; rss_mib: number; steady_rss_mib: number }[] = [];
    for (let i = 0; i < 5; i++) starts.push(await daemonColdStart([bin], broker));
    report('cold start hivebox run to READY=1 (x64)', median(starts.map((s) => s.ready_ms)), 'ms', starts.length, { target: { op: '<=', value: 150 } });
    report('RSS hivebox run after READY=1 (x64)', median(starts.map((s) => s.rss_mib)), 'MiB', starts.length);
    report('RSS hivebox run 5 s after READY=1, steady (x64)', median(starts.map((s) => s.steady_rss_mib)), 'MiB', starts.length, { target: { op: '<=', value: 64 } });
  } finally {
    await broker.dispose();
  }
  const bare: { ready_ms: number; steady_rss_mib: number }[] = [];
  for (let i = 0; i < 5; i++) bare.push(await daemonColdStart([bin]));
  report('cold start hivebox run to READY=1, without [mqtt] (x64)', median(bare.map((s) => s.ready_ms)), 'ms', bare.length);
  report('RSS hivebox run 5 s after READY=1, steady, without [mqtt] (x64)', median(bare.map((s) => s.steady_rss_mib)), 'MiB', bare.length);
}

const arches = daemonOnly ? (['x64'] as Arch[]) : (Object.keys(TARGETS) as Arch[]);
await freshBinaries(arches);
if (process.arch === 'x64') dropFromPageCache(binaryPath('x64'));
for (const arch of daemonOnly ? [] : arches) {
  const size = Bun.file(binaryPath(arch)).size;
  report(`binary size ${arch}`, size / 2 ** 20, 'MiB', 1);
  const runtime = bunRuntime(arch);
  if (runtime) report(`binary size ${arch} beyond the Bun ${Bun.version} runtime (Hivebox code, bytecode, assets)`, (size - Bun.file(runtime).size) / 2 ** 20, 'MiB', 1);
}

const cycleOnly = process.env.HIVEBOX_BENCH_CYCLE_ONLY === '1';

if (process.arch === 'x64' && daemonOnly) {
  await daemonFigures(binaryPath('x64'));
} else if (process.arch === 'x64' && !cycleOnly) {
  const bin = binaryPath('x64');
  const dir = mkdtempSync(join(tmpdir(), 'hb-bench-'));
  const run = (cmd: string) => Bun.spawnSync([bin, cmd], { cwd: dir, stdout: 'pipe', stderr: 'pipe' });
  run('--version'); // the pages --version needs are cached, as on a box that has run it before
  await durationMs('cold start hivebox --version (x64)', () => run('--version'), 15, { target: { op: '<=', value: 60 } });
  // A child's ru_maxrss starts from its parent's RSS at fork (Linux carries the high-water mark over
  // exec), so a child of this big bench process reports at least the bench's size: GNU time forks the
  // command from its own small process and prints the command's own peak (KiB).
  const peakRssMib = (cmd: string) => {
    const r = Bun.spawnSync(['/usr/bin/time', '-f', '%M', bin, cmd], { cwd: dir, stdout: 'ignore', stderr: 'pipe' });
    return Number(r.stderr.toString().trim().split('\n').at(-1)) / 1024;
  };
  if (existsSync('/usr/bin/time')) {
    const rss = (cmd: string) => median(Array.from({ length: 5 }, () => peakRssMib(cmd)));
    report('peak RSS hivebox --version (x64)', rss('--version'), 'MiB', 5);
    report('peak RSS hivebox selftest (x64)', rss('selftest'), 'MiB', 5);
  } else console.log('SKIPPED: peak RSS of --version and selftest need GNU time (/usr/bin/time; Debian package time, installed by tests/setup.sh)');
  await durationMs('hivebox selftest wall time (x64)', () => run('selftest'), 5);
  rmSync(dir, { recursive: true, force: true });
  await daemonFigures(bin);
  const idle = await shippedAndJit((env) => pluginAfterGetmanifest(bin, env));
  const pluginFigure = reportShippedAndJit('RSS hivebox plugin after getmanifest', 'MiB', 3, median(idle.shipped.map((r) => r.rss_mib)), median(idle.jit.map((r) => r.rss_mib)), { target: { op: '<=', value: 35 } });
  reportShippedAndJit('hivebox plugin spawn to getmanifest answer', 'ms', 3, median(idle.shipped.map((r) => r.answer_ms)), median(idle.jit.map((r) => r.answer_ms)), { shippedNote: 'its re-execution without the JIT included' });
  const hooks = await shippedAndJit((env) => pluginUnderHooks(bin, env));
  const loaded = `after relaying ${HOOKS.toLocaleString('en')} custommsg hooks to the daemon socket, one at a time`;
  reportShippedAndJit(`RSS hivebox plugin 1 s ${loaded}`, 'MiB', 3, median(hooks.shipped.map((r) => r.rss_mib)), median(hooks.jit.map((r) => r.rss_mib)), { target: { op: '<=', value: 35 } });
  const answers = (runs: { answer_ms: number[] }[]) => median(runs.flatMap((r) => r.answer_ms));
  reportShippedAndJit(`hivebox plugin custommsg hook answer (request written to answer read), median of 3 runs × ${HOOKS.toLocaleString('en')} hooks relayed to the daemon socket`, 'ms', 3 * HOOKS, answers(hooks.shipped), answers(hooks.jit));
  const floor = bunFloorBinary();
  const floors: number[] = [];
  for (let i = 0; i < 3; i++) floors.push((await pluginAfterGetmanifest(floor.path, { ...WITHOUT_DAEMON_JSC, BUN_JSC_useJIT: 'false' })).rss_mib);
  report(`RSS of a compiled Bun ${Bun.version} binary that only answers one stdin line, measured as the plugin, without the JIT as the plugin runs (the floor)`, median(floors), 'MiB', floors.length);
  report('RSS hivebox plugin beyond that floor (x64)', pluginFigure.value - median(floors), 'MiB', floors.length);
  floor.remove();
}

if (process.arch === 'x64' && !daemonOnly) {
  const bin = binaryPath('x64');
  const store = writeGossipStore(await realGraph(FILES.compressed2026));
  const cycles: { peak_mib: number; before_mib: number; cycle_ms: number }[] = [];
  const broker = await startBroker();
  try {
    for (let i = 0; i < 3; i++) cycles.push(await daemonCyclePeak([bin], store, broker));
  } finally {
    await broker.dispose();
  }
  report('peak RSS hivebox run through its first planner cycle, 2026-02-03 gossip_store (x64)', median(cycles.map((c) => c.peak_mib)), 'MiB', cycles.length, { target: { op: '<=', value: 80 } });
  report('peak RSS hivebox run before its first planner cycle (after hive-genesis) (x64)', median(cycles.map((c) => c.before_mib)), 'MiB', cycles.length);
  report('peak RSS added by the first planner cycle, 2026-02-03 gossip_store (x64)', median(cycles.map((c) => c.peak_mib - c.before_mib)), 'MiB', cycles.length);
  report('hivebox run first planner cycle, gather (whole gossip_store read) + runCycle (x64)', median(cycles.map((c) => c.cycle_ms)), 'ms', cycles.length);
}
