/**
 * The sans-IO rule, checked mechanically: nothing under runtime/core/ may import Bun or Node
 * modules, touch the filesystem, read the wall clock or draw randomness. Time and randomness are
 * inputs (style-anchors.md "Folder roles").
 */
import { expect, test } from 'bun:test';
import { Glob } from 'bun';
import { join } from 'node:path';

const CORE = join(import.meta.dir, '../../runtime/core');
const FORBIDDEN: readonly [RegExp, string][] = [
  [/from\s+['"](bun|bun:[a-z]+|node:[a-z/_]+|fs|path|os|net|child_process|crypto)['"]/, 'I/O module import'],
  [/\bDate\.now\s*\(/, 'wall clock (Date.now)'],
  [/\bnew Date\s*\(\s*\)/, 'wall clock (new Date())'],
  [/\bMath\.random\s*\(/, 'randomness (Math.random)'],
  [/\bcrypto\.getRandomValues\b/, 'randomness (crypto.getRandomValues)'],
  [/\bBun\./, 'Bun runtime API'],
  [/\bprocess\./, 'process global'],
  [/\bsetTimeout\s*\(|\bsetInterval\s*\(/, 'timers'],
];

test('runtime/core has no I/O, clock or randomness', async () => {
  const offences: string[] = [];
  for (const rel of new Glob('**/*.ts').scanSync({ cwd: CORE })) {
    const text = await Bun.file(join(CORE, rel)).text();
    for (const [re, what] of FORBIDDEN) if (re.test(text)) offences.push(`${rel}: ${what}`);
  }
  expect(offences).toEqual([]);
});
