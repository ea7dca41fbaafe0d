/**
 * Test helper: the real graph files in ../shared/data (SOURCE.md), each loaded once per test process,
 * and their raw listchannels JSON for independent checks.
 */
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { Graph } from '../../runtime/core/graph/graph.ts';
import { loadGraphFile } from '../../services/graph/index.ts';

/** shared/data beside the repository. */
export const DATA_DIR = join(import.meta.dir, '../../../shared/data');

/** Files by short name. */
export const FILES = {
  compressed2026: join(DATA_DIR, 'gossip-store-2026-02-03.compressed'),
  json2026: join(DATA_DIR, 'listchannels-2026-02-03.derived.json.gz'),
  nodes2026: join(DATA_DIR, 'listnodes-2026-02-03.derived.json.gz'),
  json2019: join(DATA_DIR, 'channels_5-14-19.json.gz'),
  json2019xz: join(DATA_DIR, 'channels_5-14-19.json.xz'),
  nodes2019: join(DATA_DIR, 'nodes_5-14-19.json.gz'),
} as const;

const graphs = new Map<string, Promise<Graph>>();
const raws = new Map<string, unknown>();

/** The graph in `path`, loaded once. */
export function realGraph(path: string): Promise<Graph> {
  let p = graphs.get(path);
  if (!p) {
    p = loadGraphFile(path).then((r) => {
      if (!r.ok) throw new Error(`cannot load ${path}: ${JSON.stringify(r.error)}`);
      return r.value.graph;
    });
    graphs.set(path, p);
  }
  return p;
}

/** Raw `{"channels":[…]}` of a gzip JSON file, parsed once. */
export async function rawJson<T>(path: string): Promise<T> {
  if (!raws.has(path)) raws.set(path, JSON.parse(gunzipSync(await Bun.file(path).bytes()).toString('utf8')));
  return raws.get(path) as T;
}
