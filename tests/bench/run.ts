/**
 * `bun run bench`: runs every `tests/bench/*.bench.ts` (or those named on the command line) in order.
 * Each bench module prints its figures through harness.ts when imported.
 */
import { Glob } from 'bun';

const only = process.argv.slice(2);
const files = [...new Glob('*.bench.ts').scanSync({ cwd: import.meta.dir })].sort();
for (const f of files) {
  if (only.length && !only.some((o) => f.includes(o))) continue;
  await import(`./${f}`);
}
