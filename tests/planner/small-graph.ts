/**
 * Test helper: build a small in-memory graph from a channel list, through the same `buildGraph` the
 * file readers use. Node ids are deterministic valid 66-hex keys (`nodeId(i)`).
 */
import { buildGraph, emptyHalves, type Graph, HALF } from '../../runtime/core/graph/graph.ts';

/** A deterministic node id: 02 followed by `i` as 64 hex digits. */
export function nodeId(i: number): string {
  return `02${i.toString(16).padStart(64, '0')}`;
}

/** One channel of a test graph. */
export interface TestChannel {
  readonly a: number;
  readonly b: number;
  readonly capacity_sat: number;
  /** scid block height (default 600,000). */
  readonly block?: number;
  /** both directions enabled (default true). */
  readonly active?: boolean;
}

/** Build a graph with nodes 0..nodes-1 and the given channels; scids `real` unless told otherwise. */
export function smallGraph(nodes: number, channels: readonly TestChannel[], scids: 'real' | 'synthetic' = 'real'): Graph {
  const n = channels.length;
  const halves = emptyHalves(n);
  channels.forEach((c, i) => {
    const flags = HALF.present | (c.active === false ? 0 : HALF.active);
    halves.halfFlags[2 * i] = flags;
    halves.halfFlags[2 * i + 1] = flags;
  });
  return buildGraph({
    format: 'listchannels-json',
    scids,
    nodeIds: Array.from({ length: nodes }, (_, i) => nodeId(i)),
    aliases: Array.from({ length: nodes }, (_, i) => `node${i}`),
    node1: Uint32Array.from(channels, (c) => Math.min(c.a, c.b)),
    node2: Uint32Array.from(channels, (c) => Math.max(c.a, c.b)),
    capacitySat: Float64Array.from(channels, (c) => c.capacity_sat),
    scidBlock: Uint32Array.from(channels, (c) => c.block ?? 600_000),
    scidTx: Uint32Array.from(channels, (_, i) => i),
    scidOut: new Uint16Array(n),
    ...halves,
  });
}
