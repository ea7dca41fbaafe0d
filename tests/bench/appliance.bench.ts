/**
 * Appliance figures (issue 6 §1, §5): size of each single binary, cold start of
 * `hivebox --version` (process spawn to exit, median), peak RSS of `--version` and of
 * `hivebox selftest` (signmessage + SQLite + node-hid loaded: a working process after start), and
 * the daemon: `hivebox run` (the x64 binary) against a simulated CLN v26.06 node with the real
 * plugin, from spawn to the READY=1 datagram on a NOTIFY_SOCKET (lightningd reached, store
 * opened and migrated, plugin linked, first probe round; no signer plugged), and its resident
 * memory (VmRSS) right after READY. Builds dist/ first when it is missing (`bun run build`).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Arch, binaryPath, buildTarget, TARGETS } from '../../runtime/build/build.ts';
import { SimNetwork } from '../../services/simnet/index.ts';
import { addDaemonSite, spawnRun } from '../systemd/fixtures/run-daemon.ts';
import { listenNotify } from '../systemd/notify-listener.ts';
import { durationMs, median, report } from './harness.ts';

/** One cold start of `hivebox run` to READY=1: ms from spawn, and VmRSS (MiB) at READY. */
async function daemonColdStart(hivebox: readonly string[]): Promise<{ ready_ms: number; rss_mib: number }> {
  const net = await SimNetwork.create();
  const site = await addDaemonSite(net, 'a', join(net.root, 'no-signer.sock'));
  const notify = listenNotify(join(net.root, 'notify.sock'));
  const t0 = performance.now();
  const proc = spawnRun(site, ['log.level="error"'], { NOTIFY_SOCKET: notify.path }, hivebox);
  try {
    await notify.waitFor('READY=1', 30_000);
    const ready_ms = performance.now() - t0;
    const vmrss = /VmRSS:\s+(\d+) kB/.exec(await Bun.file(`/proc/${proc.pid}/status`).text());
    return { ready_ms, rss_mib: Number(vmrss?.[1]) / 1024 };
  } finally {
    proc.kill('SIGTERM');
    await proc.exited;
    notify.close();
    await net.stop();
  }
}

for (const arch of Object.keys(TARGETS) as Arch[]) {
  if (!existsSync(binaryPath(arch))) buildTarget(arch);
  report(`binary size ${arch}`, Bun.file(binaryPath(arch)).size / 2 ** 20, 'MiB', 1);
}

if (process.arch === 'x64') {
  const bin = binaryPath('x64');
  const dir = mkdtempSync(join(tmpdir(), 'hb-bench-'));
  const run = (cmd: string) => Bun.spawnSync([bin, cmd], { cwd: dir, stdout: 'pipe', stderr: 'pipe' });
  run('--version'); // page cache warm, as on a box that has booted before
  await durationMs('cold start hivebox --version (x64)', () => run('--version'), 15);
  const rss = (cmd: string) => median(Array.from({ length: 5 }, () => run(cmd).resourceUsage.maxRSS / 2 ** 20));
  report('peak RSS hivebox --version (x64)', rss('--version'), 'MiB', 5);
  report('peak RSS hivebox selftest (x64)', rss('selftest'), 'MiB', 5);
  await durationMs('hivebox selftest wall time (x64)', () => run('selftest'), 5);
  rmSync(dir, { recursive: true, force: true });
  const starts: { ready_ms: number; rss_mib: number }[] = [];
  for (let i = 0; i < 5; i++) starts.push(await daemonColdStart([bin]));
  report('cold start hivebox run to READY=1 (x64)', median(starts.map((s) => s.ready_ms)), 'ms', starts.length);
  report('RSS hivebox run after READY=1 (x64)', median(starts.map((s) => s.rss_mib)), 'MiB', starts.length);
}
