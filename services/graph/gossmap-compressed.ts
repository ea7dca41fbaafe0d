/**
 * Decoder of Core Lightning's gossmap-compressed snapshot (CLN `devtools/gossmap-compress.c`,
 * format "GOSSMAP_COMPRESSv1"; shared/data/SOURCE.md §1), e.g. CLN's
 * `tests/data/gossip-store-2026-02-03.compressed`, after gunzip. Layout, all numbers BOLT 1 bigsize:
 *
 *   "GOSSMAP_COMPRESSv1\0" | N | start_node × N | end_node × N
 *   | disabled (chan*2+dir)… terminated by any value ≥ 2N
 *   | capacities template (sat, N items) | htlc_min | htlc_max | base_fee | prop_fee | delay (2N items each)
 *
 * A template is `count, count values, one index per item`. htlc_max values 0 and 1 mean "capacity"
 * and "0.99 × capacity". Per-direction items follow gossip `half[dir]`: dir 0 = node_id_1 (lesser id).
 * The file has no short_channel_ids: like CLN's decompressor we give each channel the synthetic
 * `start x end x (index & 0xffff)`, and mark the graph's scids `synthetic` (so no age rule can use them).
 */
import { type Graph, type GraphParts, HALF, MAX_CAPACITY_SAT, buildGraph, emptyHalves } from '../../runtime/core/graph/graph.ts';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { BigsizeCursor } from './bigsize-cursor.ts';
import { GraphDecodeFailure, type GraphLoadError } from './errors.ts';
import { GRAPH_LIMITS } from './limits.ts';
import type { NodeNames } from './node-names.ts';

/** The 19-byte header, NUL included. */
export const GOSSMAP_COMPRESS_HEADER = new TextEncoder().encode('GOSSMAP_COMPRESSv1\0');

const U32_MAX = 0xffffffff;
const U16_MAX = 0xffff;

/** True when `bytes` (decompressed) start with the GOSSMAP_COMPRESSv1 header. */
export function isGossmapCompressed(bytes: Uint8Array): boolean {
  if (bytes.length < GOSSMAP_COMPRESS_HEADER.length) return false;
  return GOSSMAP_COMPRESS_HEADER.every((b, i) => bytes[i] === b);
}

function readTemplate(cur: BigsizeCursor, section: string, valueLimit: number): number[] {
  cur.section = `${section} template`;
  const count = cur.next();
  if (count > cur.remaining) throw new GraphDecodeFailure({ kind: 'Truncated', section: `${section} template`, offset: cur.pos });
  const values = new Array<number>(count);
  for (let i = 0; i < count; i++) values[i] = cur.bounded(valueLimit, i);
  cur.section = section;
  return values;
}

function readItems(cur: BigsizeCursor, template: readonly number[], items: number, into: (i: number, v: number) => void): void {
  const last = template.length - 1;
  for (let i = 0; i < items; i++) into(i, template[cur.bounded(last, i)]!);
}

/**
 * Decode decompressed gossmap-compressed bytes; node ids and aliases come from `names`
 * (the node map CLN's `--output-node-map` wrote, or a listnodes file in the same order).
 * @returns the graph, or BadHeader / Truncated / NonCanonicalBigsize / ValueOutOfRange / TooLarge /
 *   TrailingBytes / NodeNamesTooShort / DuplicateNodeId / InconsistentChannel.
 */
export function decodeGossmapCompressed(bytes: Uint8Array, names: NodeNames): Result<Graph, GraphLoadError> {
  if (!isGossmapCompressed(bytes)) return err({ kind: 'BadHeader', reason: 'missing "GOSSMAP_COMPRESSv1\\0"' });
  try {
    return ok(decode(bytes, names));
  } catch (e) {
    if (e instanceof GraphDecodeFailure) return err(e.error);
    throw e;
  }
}

function decode(bytes: Uint8Array, names: NodeNames): Graph {
  const cur = new BigsizeCursor(bytes, GOSSMAP_COMPRESS_HEADER.length);
  cur.section = 'channel_count';
  const n = cur.next();
  if (n > GRAPH_LIMITS.maxChannels) throw new GraphDecodeFailure({ kind: 'TooLarge', what: 'channel_count', limit: GRAPH_LIMITS.maxChannels });
  if (2 * n > cur.remaining) throw new GraphDecodeFailure({ kind: 'Truncated', section: 'channel_ends', offset: bytes.length });

  const nodeLimit = Math.min(GRAPH_LIMITS.maxNodes, U32_MAX) - 1;
  const start = new Uint32Array(n);
  const end = new Uint32Array(n);
  cur.section = 'start_node';
  for (let i = 0; i < n; i++) start[i] = cur.bounded(nodeLimit, i);
  cur.section = 'end_node';
  for (let i = 0; i < n; i++) end[i] = cur.bounded(nodeLimit, i);
  let maxNode = -1;
  for (let i = 0; i < n; i++) maxNode = Math.max(maxNode, start[i]!, end[i]!);
  if (maxNode >= names.ids.length) throw new GraphDecodeFailure({ kind: 'NodeNamesTooShort', needed: maxNode + 1, have: names.ids.length });

  const halves = emptyHalves(n);
  halves.halfFlags.fill(HALF.present | HALF.active);
  cur.section = 'disabled';
  for (;;) {
    const half = cur.next();
    if (half >= 2 * n) break;
    halves.halfFlags[half] = HALF.present;
  }

  const capacitySat = new Float64Array(n);
  readItems(cur, readTemplate(cur, 'capacity', MAX_CAPACITY_SAT), n, (i, v) => (capacitySat[i] = v));
  // Items are gossip-half ordered, so they land directly in our per-direction arrays.
  readItems(cur, readTemplate(cur, 'htlc_min', Number.MAX_SAFE_INTEGER), 2 * n, (h, v) => (halves.htlcMinMsat[h] = v));
  readItems(cur, readTemplate(cur, 'htlc_max', Number.MAX_SAFE_INTEGER), 2 * n, (h, v) => {
    const capMsat = capacitySat[h >> 1]! * 1000;
    halves.htlcMaxMsat[h] = v === 0 ? capMsat : v === 1 ? capacitySat[h >> 1]! * 990 : v;
  });
  readItems(cur, readTemplate(cur, 'base_fee', U32_MAX), 2 * n, (h, v) => (halves.baseFeeMsat[h] = v));
  readItems(cur, readTemplate(cur, 'prop_fee', U32_MAX), 2 * n, (h, v) => (halves.feePpm[h] = v));
  readItems(cur, readTemplate(cur, 'delay', U16_MAX), 2 * n, (h, v) => (halves.delay[h] = v));
  if (cur.remaining !== 0) throw new GraphDecodeFailure({ kind: 'TrailingBytes', count: cur.remaining });

  const node1 = new Uint32Array(n);
  const node2 = new Uint32Array(n);
  const scidTx = new Uint32Array(n);
  const scidOut = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const a = start[i]!;
    const b = end[i]!;
    if (a === b) throw new GraphDecodeFailure({ kind: 'InconsistentChannel', short_channel_id: `${a}x${b}x${i & 0xffff}`, reason: 'channel from a node to itself' });
    const aFirst = names.ids[a]! < names.ids[b]!;
    node1[i] = aFirst ? a : b;
    node2[i] = aFirst ? b : a;
    scidTx[i] = b;
    scidOut[i] = i & 0xffff;
  }
  const parts: GraphParts = {
    format: 'gossmap-compressed',
    scids: 'synthetic',
    nodeIds: names.ids,
    aliases: names.aliases,
    node1,
    node2,
    capacitySat,
    scidBlock: start,
    scidTx,
    scidOut,
    ...halves,
  };
  return buildGraph(parts);
}
