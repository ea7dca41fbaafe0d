/**
 * The architecture's boundaries, checked on the real import graph of the source (ARCHITECTURE.md
 * "Rooms"): every import of every file under runtime/, services/ and hw/ is read with Bun's
 * transpiler (static, dynamic and `require`) plus the type-only imports it erases, and resolved.
 *
 * - runtime/core imports only the packages on its allow-list (no `bun:*`, `node:*` or I/O package)
 *   and no relative path leaving runtime/core;
 * - no import runs upward: a room imports only its own room and the rooms below it;
 * - no cycle between areas (folders such as services/store, runtime/node/hive) outside the core
 *   (the core's own areas are layered inside the core, ARCHITECTURE.md);
 * - from outside the core, a core area that has an `index.ts` is entered through it, not around it.
 *   Outer rooms keep fine-grained entry points on purpose: the plugin process and the CLI load only
 *   what a command needs (lazy imports, issue 19 §4), which one index per area would defeat.
 */
import { describe, expect, test } from 'bun:test';
import { Glob } from 'bun';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { areaOf, findCycles, packageOf, roomOf, ROOMS } from './import-graph.ts';

const ROOT = resolve(import.meta.dir, '../..');

/** The packages runtime/core may import: pure computation only (validation, hashes, curves, encodings, version strings). */
const CORE_PACKAGES: ReadonlySet<string> = new Set(['zod', '@noble/hashes', '@noble/curves', '@noble/secp256k1', '@scure/base', 'tiny-secp256k1', 'semver', 'canonicalize']);

/**
 * Core modules imported directly: the plugin process takes wire's framing and traffic (the area's
 * index.ts would load every payload schema and zod with it, ~8 MiB of the plugin's memory), and the
 * config schema takes the `[mgmt.policy]` schema (core/mgmt's index would load every credential and
 * receipt schema into each command that reads the configuration, `hivebox run` included). Issue 19 §4.
 */
const LIGHT_CORE_ENTRIES: ReadonlySet<string> = new Set(['runtime/core/wire/framing.ts', 'runtime/core/wire/traffic.ts', 'runtime/core/mgmt/policy.ts']);

const transpiler = new Bun.Transpiler({ loader: 'ts' });
const TYPE_ONLY = /^\s*(?:import|export)\s+type\b[^;]*?from\s*['"]([^'"]+)['"]/gms;

/** The specifiers `text` imports: static, dynamic, `require`, and the type-only ones the transpiler erases. */
function specifiersOf(text: string): string[] {
  const specs = new Set(transpiler.scanImports(text.replace(/^#!.*/, '')).map((i) => i.path));
  for (const m of text.matchAll(TYPE_ONLY)) specs.add(m[1]!);
  return [...specs];
}

/** Each source file and the specifiers it imports. */
async function importsOf(file: string): Promise<string[]> {
  return specifiersOf(await Bun.file(join(ROOT, file)).text());
}

interface Edge {
  readonly from: string;
  readonly to: string;
}

const FILES = [...new Glob('{runtime,services,hw}/**/*.{ts,tsx}').scanSync({ cwd: ROOT })].filter((f) => !f.includes('node_modules') && !f.endsWith('.d.ts')).sort();
const PACKAGES: Edge[] = [];
const LOCAL: Edge[] = [];
for (const f of FILES) {
  for (const spec of await importsOf(f)) {
    if (spec.startsWith('.')) LOCAL.push({ from: f, to: relative(ROOT, resolve(ROOT, dirname(f), spec)) });
    else PACKAGES.push({ from: f, to: spec });
  }
}
const inCore = (f: string) => f.startsWith('runtime/core/');

describe('import boundaries', () => {
  test('the source was read (the graph is not empty)', () => {
    expect(FILES.length).toBeGreaterThan(400);
    expect(LOCAL.length).toBeGreaterThan(1000);
  });

  test('the reader sees dynamic, require and type-only imports, and a cycle', () => {
    const text = "import type { X } from '../../services/store/x.ts';\nconst fs = await import('node:fs');\nconst net = require('net');\nexport { y } from './y.ts';";
    expect(specifiersOf(text).sort()).toEqual(['../../services/store/x.ts', './y.ts', 'net', 'node:fs']);
    expect(specifiersOf(text).map(packageOf).filter((p) => !p.startsWith('.') && !CORE_PACKAGES.has(p))).toEqual(['node:fs', 'net']);
    const g = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set(['a'])]]);
    expect(findCycles(g)).toEqual([['a', 'b', 'c']]);
  });

  test('runtime/core imports only allow-listed packages', () => {
    const offences = PACKAGES.filter((e) => inCore(e.from) && !CORE_PACKAGES.has(packageOf(e.to))).map((e) => `${e.from}: ${e.to}`);
    expect(offences).toEqual([]);
  });

  test('no relative import leaves runtime/core', () => {
    expect(LOCAL.filter((e) => inCore(e.from) && !inCore(e.to)).map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  test('every file is in a room, and no import runs upward', () => {
    expect(FILES.filter((f) => roomOf(f) < 0)).toEqual([]);
    const upward = LOCAL.filter((e) => roomOf(e.to) > roomOf(e.from)).map((e) => `${e.from} (${ROOMS[roomOf(e.from)]!.join(' ')}) -> ${e.to}`);
    expect(upward).toEqual([]);
  });

  test('no import cycle between areas outside the core', () => {
    const graph = new Map<string, Set<string>>();
    // An index.ts only re-exports its area to the rooms above; its edges are not dependencies of the area.
    for (const e of LOCAL.filter((x) => !x.from.endsWith('/index.ts') && !(inCore(x.from) && inCore(x.to)))) {
      const a = areaOf(e.from);
      const b = areaOf(e.to);
      if (a !== b) (graph.get(a) ?? graph.set(a, new Set()).get(a)!).add(b);
    }
    expect(findCycles(graph)).toEqual([]);
  });

  test('from outside the core, a core area with an index.ts is entered through it', () => {
    const deep = LOCAL.filter((e) => !inCore(e.from) && inCore(e.to) && existsSync(join(ROOT, areaOf(e.to), 'index.ts')) && !e.to.endsWith('/index.ts') && !LIGHT_CORE_ENTRIES.has(e.to));
    expect(deep.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });
});
