/**
 * The graph seen through CLN's `listchannels` / `listnodes` RPC shapes (doc/schemas/listchannels.json,
 * listnodes.json, CLN v26.06), so simnet's fake lightning-rpc can serve the real mainnet graph and the
 * daemon code reading it cannot tell it from lightningd. One `listchannels` entry per direction that has
 * a channel_update, `source` = the direction's sender. Pure.
 */
import type { NodeAnnouncement, NodeChannel } from '../ports.ts';
import { HALF, type Graph, scidText } from './graph.ts';

/** `listchannels` filters CLN accepts (exactly one of them, or none for the whole graph). */
export interface ListChannelsFilter {
  readonly short_channel_id?: string;
  readonly source?: string;
  readonly destination?: string;
}

const scidIndexes = new WeakMap<Graph, Map<string, number>>();

/** Channel index for a `BLOCKxTXxOUT` string, or undefined. Builds (once per graph) a text index. */
export function channelByScid(g: Graph, scid: string): number | undefined {
  let index = scidIndexes.get(g);
  if (!index) {
    index = new Map();
    for (let c = 0; c < g.channelCount; c++) index.set(scidText(g, c), c);
    scidIndexes.set(g, index);
  }
  return index.get(scid);
}

/** One `listchannels` entry for direction `dir` of channel `c` (caller checks HALF.present). */
export function channelEntry(g: Graph, c: number, dir: 0 | 1): NodeChannel {
  const h = 2 * c + dir;
  const from = dir === 0 ? g.node1[c]! : g.node2[c]!;
  const to = dir === 0 ? g.node2[c]! : g.node1[c]!;
  const lastUpdate = g.lastUpdate[h]!;
  const htlcMin = g.htlcMinMsat[h]!;
  const htlcMax = g.htlcMaxMsat[h]!;
  return {
    source: g.nodeIds[from]!,
    destination: g.nodeIds[to]!,
    short_channel_id: scidText(g, c),
    direction: dir,
    public: true,
    amount_msat: g.capacitySat[c]! * 1000,
    active: (g.halfFlags[h]! & HALF.active) !== 0,
    base_fee_millisatoshi: g.baseFeeMsat[h]!,
    fee_per_millionth: g.feePpm[h]!,
    delay: g.delay[h]!,
    ...(lastUpdate ? { last_update: lastUpdate } : {}),
    ...(Number.isNaN(htlcMin) ? {} : { htlc_minimum_msat: htlcMin }),
    ...(Number.isNaN(htlcMax) ? {} : { htlc_maximum_msat: htlcMax }),
  };
}

/**
 * `listchannels [short_channel_id] [source] [destination]` over the graph. Unknown ids give `[]`, as
 * lightningd does.
 */
export function listChannels(g: Graph, filter: ListChannelsFilter = {}): NodeChannel[] {
  const out: NodeChannel[] = [];
  const push = (c: number, dir: 0 | 1) => {
    if (g.halfFlags[2 * c + dir]! & HALF.present) out.push(channelEntry(g, c, dir));
  };
  if (filter.short_channel_id !== undefined) {
    const c = channelByScid(g, filter.short_channel_id);
    if (c !== undefined) for (const dir of [0, 1] as const) push(c, dir);
    return out;
  }
  const end = filter.source ?? filter.destination;
  if (end !== undefined) {
    const n = g.nodeIndex.get(end);
    if (n === undefined) return out;
    for (let k = g.adjStart[n]!; k < g.adjStart[n + 1]!; k++) {
      const c = g.adjChannel[k]!;
      const nIsNode1 = g.node1[c] === n;
      const fromN: 0 | 1 = nIsNode1 ? 0 : 1;
      push(c, filter.source !== undefined ? fromN : fromN === 0 ? 1 : 0);
    }
    return out;
  }
  for (let c = 0; c < g.channelCount; c++) for (const dir of [0, 1] as const) push(c, dir);
  return out;
}

/** `listnodes [id]`: node id and alias (the snapshots carry no addresses or features). */
export function listNodes(g: Graph, id?: string): NodeAnnouncement[] {
  const one = (n: number): NodeAnnouncement => ({ nodeid: g.nodeIds[n]!, alias: g.aliases[n] ?? '' });
  if (id !== undefined) {
    const n = g.nodeIndex.get(id);
    return n === undefined ? [] : [one(n)];
  }
  return g.nodeIds.map((_, n) => one(n));
}
