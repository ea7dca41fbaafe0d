/**
 * `bun run bench`: runs every `tests/bench/*.bench.ts` (or those whose names contain an argument) in
 * order, each in a process of its own, so no bench inherits another's heap, JIT state or page faults
 * (the codec figures moved by a fifth when they ran after the appliance and cln benches in one process).
 * Each bench module prints its figures through harness.ts. Exits non-zero when a bench fails.
 */
import { Glob } from 'bun';
import { join } from 'node:path';

const only = process.argv.slice(2);
const files = [...new Glob('*.bench.ts').scanSync({ cwd: import.meta.dir })].sort();
let failed = 0;
for (const f of files) {
  if (only.length && !only.some((o) => f.includes(o))) continue;
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, f)], { stdio: ['ignore', 'inherit', 'inherit'] });
  if ((await proc.exited) !== 0) {
    failed++;
    console.error(`bench ${f} failed (exit ${proc.exitCode})`);
  }
}
if (failed) process.exit(1);
