/**
 * `bun run test:real [FILE…]`: the real-node suite (tests/real/*.real.ts) against a real
 * lightningd, bitcoind and optionally cl-hive found as tests/real/rig/binaries.ts describes. The
 * files are named `*.real.ts` so `bun run test` (`bun test ./tests`, which picks `*.test.ts`) never
 * starts them. Without lightningd it prints one `SKIPPED: …` line and exits 0.
 * `--require-env`: run only when HIVEBOX_REAL_LIGHTNINGD is set in the environment (CI: a machine
 * that merely has the binaries somewhere does not run them unasked).
 */
import { basename, join } from 'node:path';
import { findRealBinaries, isMissing } from './rig/binaries.ts';

const args = process.argv.slice(2);
const requireEnv = args.includes('--require-env');
const files = args.filter((a) => !a.startsWith('--'));

const bins = findRealBinaries(requireEnv ? { ...process.env, PATH: '' } : process.env);
if (isMissing(bins)) {
  console.log(`SKIPPED: no ${bins.missing} found (${bins.hint}; see README "Real-node tests")`);
  process.exit(0);
}

const dir = import.meta.dir;
const all = [...new Bun.Glob('*.real.ts').scanSync({ cwd: dir })].sort().map((f) => join(dir, f));
const chosen = files.length ? all.filter((f) => files.some((x) => basename(f).startsWith(basename(x)))) : all;
console.log(`real-node suite: lightningd ${bins.lightningd}, bitcoind ${bins.bitcoind}, cl-hive ${bins.clhive?.plugin ?? 'not set (HIVEBOX_REAL_CLHIVE)'}`);
// One file at a time: each starts its own bitcoind and lightningd nodes on a 2-core machine.
const proc = Bun.spawn([process.execPath, 'test', '--timeout', '900000', ...chosen], { stdout: 'inherit', stderr: 'inherit', env: process.env });
process.exit(await proc.exited);
