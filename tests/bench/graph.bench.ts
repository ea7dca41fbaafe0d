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

Bun.gc(true);
const before = process.memoryUsage();
const g = await load('gossip-store-2026-02-03.compressed');
Bun.gc(true);
const after = process.memoryUsage();
let arrays = 0;
for (const v of Object.values(g)) if (ArrayBuffer.isView(v)) arrays += v.byteLength;
report('graph.memory.typed_arrays_2026', arrays / 2 ** 20, 'MiB', 1);
report('graph.memory.heap_delta_2026', (after.heapUsed - before.heapUsed) / 2 ** 20, 'MiB', 1);
report('graph.memory.rss_delta_2026', (after.rss - before.rss) / 2 ** 20, 'MiB', 1);
report('graph.nodes_2026', g.nodeCount, 'nodes', 1);
