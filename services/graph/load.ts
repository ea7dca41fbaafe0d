/**
 * Load a Lightning graph file from disk into the compact model: lightningd's own `gossip_store`,
 * CLN gossmap-compressed (with its node map or a listnodes file for node ids), or CLN `listchannels` JSON (with an optional `listnodes` file
 * for aliases); each gzip-, xz- or un-compressed. The format is recognised from the bytes, not the name.
 * Companion files are found beside the graph when not given: `X.compressed` → `X-node-map.xz`
 * (CLN's naming); `…listchannels…` → `…listnodes…`, `…channels…` → `…nodes…`.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Graph, ScidKind } from '../../runtime/core/graph/graph.ts';
import { err, type Result } from '../../runtime/core/result.ts';
import { unwrap } from './decompress.ts';
import type { GraphLoadError } from './errors.ts';
import { decodeGossmapCompressed, isGossmapCompressed } from './gossmap-compressed.ts';
import { isGossipStore, ResidentGossipStore } from './gossip-store.ts';
import { GRAPH_LIMITS } from './limits.ts';
import { graphFromListChannels } from './listchannels-json.ts';
import { type NodeNames, nodeNamesFromListNodes, parseNodeMap } from './node-names.ts';

/** Loading stages reported to `onProgress`. */
export type LoadStage = 'read' | 'decompress' | 'decode' | 'names';

/** Options of `loadGraphFile`. */
export interface LoadGraphOptions {
  /** Node map or listnodes file; default: the companion beside the graph file. */
  readonly nodesPath?: string;
  /** Declare a listchannels file's scids synthetic (default real). */
  readonly scids?: ScidKind;
  /** Called as each stage starts (for a CLI progress line). */
  readonly onProgress?: (stage: LoadStage, path: string) => void;
}

/** A loaded graph and the files it came from. */
export interface LoadedGraph {
  readonly graph: Graph;
  readonly path: string;
  readonly nodesPath: string | null;
}

async function readUnwrapped(path: string, opts: LoadGraphOptions): Promise<Result<Uint8Array, GraphLoadError>> {
  opts.onProgress?.('read', path);
  const file = Bun.file(path);
  let bytes: Uint8Array;
  try {
    if (file.size > GRAPH_LIMITS.maxFileBytes) return err({ kind: 'TooLarge', what: `${path} size`, limit: GRAPH_LIMITS.maxFileBytes });
    bytes = await file.bytes();
  } catch (e) {
    return err({ kind: 'FileUnreadable', path, reason: e instanceof Error ? e.message : String(e) });
  }
  opts.onProgress?.('decompress', path);
  return unwrap(bytes);
}

function parseJson(bytes: Uint8Array): Result<unknown, GraphLoadError> {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
  } catch (e) {
    return err({ kind: 'BadJson', reason: e instanceof Error ? e.message : String(e) });
  }
}

/** Companion file candidates for `path`, in preference order. */
export function companionCandidates(path: string): string[] {
  const dir = dirname(path);
  const base = basename(path);
  const out: string[] = [];
  if (base.endsWith('.compressed')) {
    const stem = base.slice(0, -'.compressed'.length);
    out.push(join(dir, `${stem}-node-map.xz`), join(dir, `${stem}-node-map`));
  }
  if (base.includes('listchannels')) out.push(join(dir, base.replace('listchannels', 'listnodes')));
  else if (base.includes('channels')) out.push(join(dir, base.replace('channels', 'nodes')));
  return out.filter((p) => p !== path);
}

/** Read a node map (text) or listnodes (JSON) file, whichever it is. */
export async function loadNodeNames(path: string, opts: LoadGraphOptions = {}): Promise<Result<NodeNames, GraphLoadError>> {
  const bytes = await readUnwrapped(path, opts);
  if (!bytes.ok) return bytes;
  opts.onProgress?.('names', path);
  const first = bytes.value.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (first === 0x7b) {
    const json = parseJson(bytes.value);
    return json.ok ? nodeNamesFromListNodes(json.value) : json;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.value);
  } catch {
    return err({ kind: 'NodeNamesInvalid', line: 0, reason: 'not UTF-8 text' });
  }
  return parseNodeMap(text);
}

/**
 * Load `path` (any supported format). Never throws: every failure is a GraphLoadError value.
 * @returns the graph with the node-name file used (null when none was needed or found).
 */
export async function loadGraphFile(path: string, opts: LoadGraphOptions = {}): Promise<Result<LoadedGraph, GraphLoadError>> {
  const bytes = await readUnwrapped(path, opts);
  if (!bytes.ok) return bytes;
  if (isGossipStore(bytes.value)) {
    opts.onProgress?.('decode', path);
    const store = new ResidentGossipStore();
    const applied = store.apply(bytes.value);
    return applied.ok ? { ok: true, value: { graph: store.graph(), path, nodesPath: null } } : applied;
  }
  const nodesPath = opts.nodesPath ?? companionCandidates(path).find((p) => existsSync(p)) ?? null;
  if (isGossmapCompressed(bytes.value)) {
    if (nodesPath === null) return err({ kind: 'FileUnreadable', path: companionCandidates(path)[0] ?? path, reason: 'the node map (node ids) for this gossmap-compressed file was not found; pass it explicitly' });
    const names = await loadNodeNames(nodesPath, opts);
    if (!names.ok) return names;
    opts.onProgress?.('decode', path);
    const graph = decodeGossmapCompressed(bytes.value, names.value);
    return graph.ok ? { ok: true, value: { graph: graph.value, path, nodesPath } } : graph;
  }
  opts.onProgress?.('decode', path);
  const json = parseJson(bytes.value);
  if (!json.ok) return err({ kind: 'UnknownFormat', reason: `neither gossmap-compressed nor JSON (${json.error.kind === 'BadJson' ? json.error.reason : ''})` });
  let names: NodeNames | undefined;
  if (nodesPath !== null) {
    const loaded = await loadNodeNames(nodesPath, opts);
    if (!loaded.ok) return loaded;
    names = loaded.value;
  }
  const graph = graphFromListChannels(json.value, { ...(names ? { names } : {}), ...(opts.scids ? { scids: opts.scids } : {}) });
  return graph.ok ? { ok: true, value: { graph: graph.value, path, nodesPath } } : graph;
}
