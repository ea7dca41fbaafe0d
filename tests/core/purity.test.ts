/**
 * The sans-IO rule, checked mechanically: nothing under runtime/core/ may use Bun's or Node's
 * globals, read the wall clock, draw randomness or start timers. Time and randomness are inputs
 * (style-anchors.md "Folder roles"). What the core may import (an allow-list of packages, nothing
 * outside runtime/core) is checked on the import graph by boundaries.test.ts.
 */
import { expect, test } from 'bun:test';
import { Glob } from 'bun';
import { join } from 'node:path';

const CORE = join(import.meta.dir, '../../runtime/core');
const FORBIDDEN: readonly [RegExp, string][] = [
  [/\bDate\.now\s*\(/, 'wall clock (Date.now)'],
  [/\bnew Date\s*\(\s*\)/, 'wall clock (new Date())'],
  [/\bMath\.random\s*\(/, 'randomness (Math.random)'],
  [/\bcrypto\.getRandomValues\b/, 'randomness (crypto.getRandomValues)'],
  [/\bBun\./, 'Bun runtime API'],
  [/\bprocess\./, 'process global'],
  [/\bsetTimeout\s*\(|\bsetInterval\s*\(/, 'timers'],
];

test('runtime/core reads no clock, draws no randomness, uses no runtime globals', async () => {
  const offences: string[] = [];
  for (const rel of new Glob('**/*.ts').scanSync({ cwd: CORE })) {
    const text = await Bun.file(join(CORE, rel)).text();
    for (const [re, what] of FORBIDDEN) if (re.test(text)) offences.push(`${rel}: ${what}`);
  }
  expect(offences).toEqual([]);
});
