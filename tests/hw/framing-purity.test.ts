/**
 * hw/framing and hw/protocol are pure (issue 5 §2): no I/O modules, wall clock, randomness or
 * timers — time enters as `now_ms`, so framing can never hang and replays exactly.
 */
import { expect, test } from 'bun:test';
import { Glob } from 'bun';
import { join } from 'node:path';

const PURE = ['framing', 'protocol'].map((d) => join(import.meta.dir, '../../hw', d));
const FORBIDDEN = /from\s+['"](bun|bun:[a-z]+|node:[a-z/_]+|fs|path|os|net|child_process|crypto)['"]|\bDate\.now\s*\(|\bMath\.random\s*\(|\bgetRandomValues\b|\bBun\.|\bprocess\.|\bsetTimeout\s*\(|\bsetInterval\s*\(/;

test('hw/framing and hw/protocol have no I/O, clock, randomness or timers', async () => {
  const offences: string[] = [];
  for (const dir of PURE) {
    for (const rel of new Glob('**/*.ts').scanSync({ cwd: dir })) {
      const text = await Bun.file(join(dir, rel)).text();
      if (FORBIDDEN.test(text)) offences.push(`${dir}/${rel}`);
    }
  }
  expect(offences).toEqual([]);
});
