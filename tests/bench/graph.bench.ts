/**
 * Graph loading figures: load time of the 2026-02-03 mainnet snapshot (gossmap-compressed + xz node
 * map, the default) and of listchannels JSON (2026 derived, 2019 verbatim), and the memory the loaded
 * 2026 graph holds (typed arrays exactly; heap and RSS growth measured around one load).
 */
import { join } from 'node:path';
import type { Graph } from '../../runtime/core/graph/graph.ts';
import { loadGraphFile } from '../../services/graph/index.ts';
import { durationMs, report } from './harness.ts';

const DATA = join(import.meta.dir, '../../../shared/data');

async function load(file: string): Promise<Graph> {
  const r = await loadGraphFile(join(DATA, file));
  if (!r.ok) throw new Error(`${file}: ${JSON.stringify(r.error)}`);
  return r.value.graph;
}

await durationMs('graph.load.gossmap_compressed_2026', () => load('gossip-store-2026-02-03.compressed'), 7);
await durationMs('graph.load.listchannels_json_2026', () => load('listchannels-2026-02-03.derived.json.gz'), 3);
await durationMs('graph.load.listchannels_json_2019', () => load('channels_5-14-19.json.gz'), 3);

// Memory in a fresh process, so earlier loads and other benches do not blur the figures. JSC's
// `extraMemorySize` counts ArrayBuffers and WebAssembly memory: it includes the typed arrays and the
// linear memory xz-decompress reserves for the node map (a static WASM instance kept for the process;
// mostly untouched pages: see the RSS figure). JSC's heapSize includes extraMemorySize.
const probe = `
  const { heapStats } = await import('bun:jsc');
  const { loadGraphFile } = await import(${JSON.stringify(join(import.meta.dir, '../../services/graph/index.ts'))});
  Bun.gc(true);
  const before = { ...heapStats(), rss: process.memoryUsage().rss };
  const r = await loadGraphFile(${JSON.stringify(join(DATA, 'gossip-store-2026-02-03.compressed'))});
  if (!r.ok) throw new Error(r.error.kind);
  Bun.gc(true);
  const after = { ...heapStats(), rss: process.memoryUsage().rss };
  let arrays = 0;
  for (const v of Object.values(r.value.graph)) if (ArrayBuffer.isView(v)) arrays += v.byteLength;
  console.log(JSON.stringify({ arrays, js: after.heapSize - before.heapSize, external: after.extraMemorySize - before.extraMemorySize, rss: after.rss - before.rss, rssTotal: after.rss }));
`;
const child = Bun.spawnSync(['bun', '--eval', probe], { stdout: 'pipe', stderr: 'inherit' });
const mem = JSON.parse(child.stdout.toString()) as { arrays: number; js: number; external: number; rss: number; rssTotal: number };
const MiB = 2 ** 20;
report('graph.memory.typed_arrays_2026', mem.arrays / MiB, 'MiB', 1);
report('graph.memory.js_objects_delta_2026', (mem.js - mem.external) / MiB, 'MiB', 1);
report('graph.memory.external_delta_2026', mem.external / MiB, 'MiB', 1);
report('graph.memory.rss_delta_2026', mem.rss / MiB, 'MiB', 1);
report('graph.memory.process_rss_after_load_2026', mem.rssTotal / MiB, 'MiB', 1);
