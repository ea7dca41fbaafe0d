/**
 * `bun run bench`: runs every `tests/bench/*.bench.ts` (or those whose names contain an argument) in
 * order, each in a process of its own, so no bench inherits another's heap, JIT state or page faults
 * (the codec figures moved by a fifth when they ran after the appliance and cln benches in one process).
 * Each bench module prints its figures through harness.ts. Every bench runs with the JavaScriptCore
 * settings hivebox.service starts the daemon with (its `BUN_JSC_*` `Environment=` lines), so the
 * figures are those of the JIT the daemon runs on. Exits non-zero when a bench fails.
 */
import { Glob } from 'bun';
import { join } from 'node:path';
import { serviceKeys } from '../systemd/fixtures/unit-file.ts';

const only = process.argv.slice(2);
const files = [...new Glob('*.bench.ts').scanSync({ cwd: import.meta.dir })].sort();
const jsc = Object.fromEntries(Object.entries(serviceKeys('hivebox.service').environment).filter(([k]) => k.startsWith('BUN_JSC_')));
console.log(`JavaScriptCore as hivebox.service runs the daemon: ${Object.entries(jsc).map(([k, v]) => `${k}=${v}`).join(' ') || 'defaults'}`);
let failed = 0;
for (const f of files) {
  if (only.length && !only.some((o) => f.includes(o))) continue;
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, f)], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...jsc } });
  if ((await proc.exited) !== 0) {
    failed++;
    console.error(`bench ${f} failed (exit ${proc.exitCode})`);
  }
}
if (failed) process.exit(1);
