/**
 * The public Lightning channel graph as a compact, read-only in-memory model (typed arrays, CSR
 * adjacency), sized for a Raspberry Pi: the 2026-02-03 mainnet snapshot (50,808 channels, 17,324
 * nodes) takes a few MB. Built once by a file reader (services/graph) or a test, then shared by the
 * planner and simnet. Pure: no I/O.
 *
 * Conventions (BOLT 7): a channel's `node1` is the lexicographically smaller node id (`node_id_1`);
 * per-direction arrays are indexed `2 * channel + dir`, dir 0 = the update from node1.
 */

/** How the graph's short_channel_ids were obtained: `real` (from gossip) or `synthetic` (made up by the file's producer). */
export type ScidKind = 'real' | 'synthetic';

/** The file format a graph came from (for reports). */
export type GraphFormat = 'gossmap-compressed' | 'listchannels-json' | 'gossip-store';

/** Per-direction flag bits in `Graph.halfFlags`. */
export const HALF = {
  /** A channel_update exists for this direction. */
  present: 1,
  /** The direction is enabled (CLN listchannels `active`). */
  active: 2,
} as const;

/** Everything a reader produces; `buildGraph` adds adjacency and per-node figures. */
export interface GraphParts {
  readonly format: GraphFormat;
  readonly scids: ScidKind;
  /** 66-hex node ids, index = node index. */
  readonly nodeIds: readonly string[];
  /** Aliases (may be ''), same indexes as `nodeIds`. */
  readonly aliases: readonly string[];
  /** Lesser node index of each channel (BOLT 7 node_id_1). */
  readonly node1: Uint32Array;
  /** Greater node index of each channel (node_id_2). */
  readonly node2: Uint32Array;
  /** Channel capacity in satoshis (integers ≤ MAX_CAPACITY_SAT). */
  readonly capacitySat: Float64Array;
  /** short_channel_id parts: block height, tx index, output index. */
  readonly scidBlock: Uint32Array;
  readonly scidTx: Uint32Array;
  readonly scidOut: Uint16Array;
  /** Per direction: HALF bits. */
  readonly halfFlags: Uint8Array;
  /** Per direction: fee_base_msat, fee_proportional_millionths, cltv_expiry_delta (blocks). */
  readonly baseFeeMsat: Uint32Array;
  readonly feePpm: Uint32Array;
  readonly delay: Uint16Array;
  /** Per direction: htlc_minimum_msat / htlc_maximum_msat; NaN when the source did not carry it. */
  readonly htlcMinMsat: Float64Array;
  readonly htlcMaxMsat: Float64Array;
  /** Per direction: channel_update timestamp (unix s), 0 when unknown. */
  readonly lastUpdate: Uint32Array;
}

/** The loaded graph: reader output plus indexes and per-node figures. */
export interface Graph extends GraphParts {
  readonly nodeCount: number;
  readonly channelCount: number;
  /** node id → node index. */
  readonly nodeIndex: ReadonlyMap<string, number>;
  /** CSR adjacency: channels of node n are `adjChannel[adjStart[n] .. adjStart[n+1])`. */
  readonly adjStart: Uint32Array;
  readonly adjChannel: Uint32Array;
  /** Per node: sum of capacity (sat) of its active channels (003 §3.1 "public capacity"). */
  readonly activeCapacitySat: Float64Array;
  /** Per node: number of active channels. */
  readonly activeChannelCount: Uint32Array;
}

/** Largest channel capacity accepted (sat): its msat value stays an exact JS integer (2^53 / 1000 ≈ 90,071 BTC). */
export const MAX_CAPACITY_SAT = Math.floor(Number.MAX_SAFE_INTEGER / 1000);

/** True when at least one direction of channel `c` is enabled. */
export function channelActive(g: GraphParts, c: number): boolean {
  return ((g.halfFlags[2 * c]! | g.halfFlags[2 * c + 1]!) & HALF.active) !== 0;
}

/** The node at the other end of channel `c` from node `n`. */
export function otherEnd(g: GraphParts, c: number, n: number): number {
  return g.node1[c] === n ? g.node2[c]! : g.node1[c]!;
}

/** `BLOCKxTXxOUT` text of channel `c`'s short_channel_id. */
export function scidText(g: GraphParts, c: number): string {
  return `${g.scidBlock[c]}x${g.scidTx[c]}x${g.scidOut[c]}`;
}

/**
 * Add the node index, CSR adjacency and per-node active capacity to reader output. O(nodes + channels).
 * The caller guarantees node indexes are < nodeIds.length (readers validate before building).
 * @param nodeIndex node id → index of `parts.nodeIds`, when the reader already keeps one (taken as is).
 */
export function buildGraph(parts: GraphParts, nodeIndex?: ReadonlyMap<string, number>): Graph {
  const nodeCount = parts.nodeIds.length;
  const channelCount = parts.node1.length;
  if (nodeIndex === undefined) {
    const index = new Map<string, number>();
    parts.nodeIds.forEach((id, i) => index.set(id, i));
    nodeIndex = index;
  }

  const degree = new Uint32Array(nodeCount + 1);
  for (let c = 0; c < channelCount; c++) {
    degree[parts.node1[c]! + 1]!++;
    degree[parts.node2[c]! + 1]!++;
  }
  const adjStart = new Uint32Array(nodeCount + 1);
  for (let n = 0; n < nodeCount; n++) adjStart[n + 1] = adjStart[n]! + degree[n + 1]!;
  const fill = adjStart.slice(0, nodeCount);
  const adjChannel = new Uint32Array(2 * channelCount);
  const activeCapacitySat = new Float64Array(nodeCount);
  const activeChannelCount = new Uint32Array(nodeCount);
  for (let c = 0; c < channelCount; c++) {
    const a = parts.node1[c]!;
    const b = parts.node2[c]!;
    adjChannel[fill[a]!++] = c;
    adjChannel[fill[b]!++] = c;
    if (channelActive(parts, c)) {
      const cap = parts.capacitySat[c]!;
      activeCapacitySat[a]! += cap;
      activeCapacitySat[b]! += cap;
      activeChannelCount[a]!++;
      activeChannelCount[b]!++;
    }
  }
  return { ...parts, nodeCount, channelCount, nodeIndex, adjStart, adjChannel, activeCapacitySat, activeChannelCount };
}

/** The per-direction arrays of a graph (`2 * channelCount` entries each). */
export type GraphHalves = Pick<GraphParts, 'halfFlags' | 'baseFeeMsat' | 'feePpm' | 'delay' | 'htlcMinMsat' | 'htlcMaxMsat' | 'lastUpdate'>;

/**
 * `prev` with new per-direction values over the same channels and nodes (only channel_updates
 * arrived): node index and adjacency are shared with `prev`, the per-node active figures recomputed.
 * O(channels). @throws RangeError when `halves` do not cover exactly `prev`'s channels.
 */
export function withHalves(prev: Graph, halves: GraphHalves): Graph {
  if (halves.halfFlags.length !== 2 * prev.channelCount) throw new RangeError(`halves for ${halves.halfFlags.length / 2} channels, graph has ${prev.channelCount}`);
  const next = { ...prev, ...halves };
  const activeCapacitySat = new Float64Array(prev.nodeCount);
  const activeChannelCount = new Uint32Array(prev.nodeCount);
  for (let c = 0; c < prev.channelCount; c++) {
    if (!channelActive(next, c)) continue;
    const a = prev.node1[c]!;
    const b = prev.node2[c]!;
    const cap = prev.capacitySat[c]!;
    activeCapacitySat[a]! += cap;
    activeCapacitySat[b]! += cap;
    activeChannelCount[a]!++;
    activeChannelCount[b]!++;
  }
  return { ...next, activeCapacitySat, activeChannelCount };
}

/** Per-direction arrays for `channelCount` channels, zero-filled (htlc limits NaN = unknown). */
export function emptyHalves(channelCount: number): Pick<
  GraphParts,
  'halfFlags' | 'baseFeeMsat' | 'feePpm' | 'delay' | 'htlcMinMsat' | 'htlcMaxMsat' | 'lastUpdate'
> {
  const n = 2 * channelCount;
  return {
    halfFlags: new Uint8Array(n),
    baseFeeMsat: new Uint32Array(n),
    feePpm: new Uint32Array(n),
    delay: new Uint16Array(n),
    htlcMinMsat: new Float64Array(n).fill(Number.NaN),
    htlcMaxMsat: new Float64Array(n).fill(Number.NaN),
    lastUpdate: new Uint32Array(n),
  };
}
