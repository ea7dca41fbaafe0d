/**
 * Appliance figures (issue 6 §1, §5): size of each single binary, cold start of
 * `hivebox --version` (process spawn to exit, median), and peak RSS of `--version` and of
 * `hivebox selftest` (signmessage + SQLite + node-hid loaded: a working process after start).
 * Builds dist/ first when it is missing (`bun run build`).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Arch, binaryPath, buildTarget, TARGETS } from '../../runtime/build/build.ts';
import { durationMs, median, report } from './harness.ts';

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
}
