/**
 * Reader of CLN `listchannels` JSON (doc/schemas/listchannels.json): current CLN (integer msat amounts,
 * `direction`, htlc limits) and old CLN (≤ 0.7: `satoshis`, `amount_msat` as "300000000msat" strings,
 * `channel_flags`, no htlc limits), e.g. shared/data `listchannels-2026-02-03.derived.json.gz` and the
 * verbatim 2019 mainnet `channels_5-14-19.json.gz`. Entries are half-channels; both halves of a channel
 * must agree on the node pair and capacity. Private entries (`public: false`) are skipped: the graph is
 * the public one. Scids are `real` unless the caller says the file's are synthetic; a real scid whose
 * block is below the first block a Lightning channel can have is treated as synthetic by the planner.
 * Entries are checked by hand in one pass: zod took 5–10× longer on the 101,616 entries of the 2026
 * file, too slow for a Raspberry Pi.
 */
import { type Graph, HALF, MAX_CAPACITY_SAT, buildGraph, emptyHalves, type ScidKind } from '../../runtime/core/graph/graph.ts';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { isNodeId } from '../../runtime/core/types.ts';
import type { GraphLoadError } from './errors.ts';
import { GRAPH_LIMITS } from './limits.ts';
import type { NodeNames } from './node-names.ts';

const SCID_RE = /^(\d{1,8})x(\d{1,8})x(\d{1,5})$/;
const MSAT_STRING_RE = /^\d{1,16}msat$/;

/** One validated half-channel entry (fields the graph keeps; others are ignored). */
interface Entry {
  readonly source: string;
  readonly destination: string;
  readonly short_channel_id: string;
  readonly direction: number | undefined;
  readonly channel_flags: number | undefined;
  readonly public: boolean | undefined;
  readonly amount_msat: number | undefined;
  readonly satoshis: number | undefined;
  readonly active: boolean;
  readonly base_fee_millisatoshi: number;
  readonly fee_per_millionth: number;
  readonly delay: number;
  readonly last_update: number | undefined;
  readonly htlc_minimum_msat: number | undefined;
  readonly htlc_maximum_msat: number | undefined;
}

/** A field that failed validation: its name and why. */
class FieldError {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {}
}

const isUint = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;

function uint(e: Record<string, unknown>, field: string, max: number, optional: boolean): number | undefined {
  const v = e[field];
  if (v === undefined && optional) return undefined;
  if (!isUint(v, max)) throw new FieldError(field, `expected an integer in 0..${max}`);
  return v;
}

/** msat amount: an integer, or CLN ≤ 0.7's "123msat" string. */
function msat(e: Record<string, unknown>, field: string): number | undefined {
  const v = e[field];
  if (v === undefined) return undefined;
  if (isUint(v, Number.MAX_SAFE_INTEGER)) return v;
  if (typeof v === 'string' && MSAT_STRING_RE.test(v)) return Number(v.slice(0, -4));
  throw new FieldError(field, 'expected msat as an integer or a "<n>msat" string');
}

function nodeIdField(e: Record<string, unknown>, field: string): string {
  const v = e[field];
  if (!isNodeId(v)) throw new FieldError(field, 'not a 66-hex node id');
  return v;
}

function bool(e: Record<string, unknown>, field: string, optional: boolean): boolean | undefined {
  const v = e[field];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'boolean') throw new FieldError(field, 'expected true or false');
  return v;
}

/** Validate one listchannels entry. @throws FieldError */
function readEntry(raw: unknown): Entry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new FieldError('(entry)', 'expected an object');
  const e = raw as Record<string, unknown>;
  const source = nodeIdField(e, 'source');
  const destination = nodeIdField(e, 'destination');
  const scid = e.short_channel_id;
  if (typeof scid !== 'string' || !SCID_RE.test(scid)) throw new FieldError('short_channel_id', 'not BLOCKxTXxOUT');
  return {
    source,
    destination,
    short_channel_id: scid,
    direction: uint(e, 'direction', 1, true),
    channel_flags: uint(e, 'channel_flags', 255, true),
    public: bool(e, 'public', true),
    amount_msat: msat(e, 'amount_msat'),
    satoshis: uint(e, 'satoshis', MAX_CAPACITY_SAT, true),
    active: bool(e, 'active', false)!,
    base_fee_millisatoshi: uint(e, 'base_fee_millisatoshi', 0xffffffff, false)!,
    fee_per_millionth: uint(e, 'fee_per_millionth', 0xffffffff, false)!,
    delay: uint(e, 'delay', 0xffff, false)!,
    last_update: uint(e, 'last_update', 0xffffffff, true),
    htlc_minimum_msat: msat(e, 'htlc_minimum_msat'),
    htlc_maximum_msat: msat(e, 'htlc_maximum_msat'),
  };
}

/** Options of `graphFromListChannels`. */
export interface ListChannelsOptions {
  /** Aliases by node id (from a listnodes file); nodes not listed get ''. */
  readonly names?: NodeNames;
  /** Declare the file's scids made up (the 2026 derived file); default: real. */
  readonly scids?: ScidKind;
}

function entryCapacitySat(e: Entry): number | undefined {
  if (e.amount_msat !== undefined) return e.amount_msat % 1000 === 0 ? e.amount_msat / 1000 : undefined;
  return e.satoshis;
}

/**
 * Build a graph from parsed `{"channels":[…]}`.
 * @returns the graph, or BadJson / BadEntry (index, field) / InconsistentChannel / TooLarge.
 */
export function graphFromListChannels(json: unknown, opts: ListChannelsOptions = {}): Result<Graph, GraphLoadError> {
  const raw = (json as { channels?: unknown } | null)?.channels;
  if (!Array.isArray(raw)) return err({ kind: 'BadJson', reason: 'expected an object with a "channels" array (CLN listchannels)' });
  if (raw.length > 2 * GRAPH_LIMITS.maxChannels) return err({ kind: 'TooLarge', what: 'listchannels entries', limit: 2 * GRAPH_LIMITS.maxChannels });

  const nodeIndex = new Map<string, number>();
  const nodeIds: string[] = [];
  const nodeOf = (id: string): number => {
    let n = nodeIndex.get(id);
    if (n === undefined) {
      n = nodeIds.length;
      nodeIndex.set(id, n);
      nodeIds.push(id);
    }
    return n;
  };
  const chanOf = new Map<string, number>();
  const node1: number[] = [];
  const node2: number[] = [];
  const capacity: number[] = [];
  const scid: [number, number, number][] = [];
  const entries: Entry[] = [];
  const halfOf: number[] = [];
  const seenHalves = new Set<number>();

  for (let i = 0; i < raw.length; i++) {
    let e: Entry;
    try {
      e = readEntry(raw[i]);
    } catch (x) {
      if (!(x instanceof FieldError)) throw x;
      return err({ kind: 'BadEntry', index: i, field: x.field, reason: x.reason });
    }
    if (e.public === false) continue;
    const cap = entryCapacitySat(e);
    if (cap === undefined || cap > MAX_CAPACITY_SAT) {
      return err({ kind: 'BadEntry', index: i, field: 'amount_msat', reason: 'missing, not whole satoshis, or above the capacity limit' });
    }
    const dir = e.direction ?? (e.channel_flags !== undefined ? e.channel_flags & 1 : undefined);
    if (dir === undefined) return err({ kind: 'BadEntry', index: i, field: 'direction', reason: 'neither direction nor channel_flags given' });
    if (e.source === e.destination) return err({ kind: 'InconsistentChannel', short_channel_id: e.short_channel_id, reason: 'channel from a node to itself' });
    if ((e.source < e.destination) !== (dir === 0)) {
      return err({ kind: 'InconsistentChannel', short_channel_id: e.short_channel_id, reason: 'direction does not match the node order (BOLT 7: dir 0 is from node_id_1)' });
    }
    const lesser = dir === 0 ? e.source : e.destination;
    const greater = dir === 0 ? e.destination : e.source;
    let c = chanOf.get(e.short_channel_id);
    if (c === undefined) {
      c = node1.length;
      if (c >= GRAPH_LIMITS.maxChannels) return err({ kind: 'TooLarge', what: 'channels', limit: GRAPH_LIMITS.maxChannels });
      chanOf.set(e.short_channel_id, c);
      node1.push(nodeOf(lesser));
      node2.push(nodeOf(greater));
      capacity.push(cap);
      const m = SCID_RE.exec(e.short_channel_id)!;
      const parts: [number, number, number] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (parts[0] > 0xffffff || parts[1] > 0xffffff || parts[2] > 0xffff) {
        return err({ kind: 'BadEntry', index: i, field: 'short_channel_id', reason: 'block or tx above 2^24-1, or output above 2^16-1 (BOLT 7)' });
      }
      scid.push(parts);
    } else if (nodeIds[node1[c]!] !== lesser || nodeIds[node2[c]!] !== greater || capacity[c] !== cap) {
      return err({ kind: 'InconsistentChannel', short_channel_id: e.short_channel_id, reason: 'the two directions disagree on nodes or capacity' });
    }
    const h = 2 * c + dir;
    if (seenHalves.has(h)) {
      return err({ kind: 'InconsistentChannel', short_channel_id: e.short_channel_id, reason: `direction ${dir} listed twice` });
    }
    seenHalves.add(h);
    entries.push(e);
    halfOf.push(h);
  }
  return ok(assemble(nodeIds, node1, node2, capacity, scid, entries, halfOf, opts));
}

function assemble(
  nodeIds: string[],
  node1: number[],
  node2: number[],
  capacity: number[],
  scid: [number, number, number][],
  entries: Entry[],
  halfOf: number[],
  opts: ListChannelsOptions,
): Graph {
  const n = node1.length;
  const halves = emptyHalves(n);
  for (let k = 0; k < entries.length; k++) {
    const e = entries[k]!;
    const h = halfOf[k]!;
    halves.halfFlags[h] = HALF.present | (e.active ? HALF.active : 0);
    halves.baseFeeMsat[h] = e.base_fee_millisatoshi;
    halves.feePpm[h] = e.fee_per_millionth;
    halves.delay[h] = e.delay;
    halves.lastUpdate[h] = e.last_update ?? 0;
    if (e.htlc_minimum_msat !== undefined) halves.htlcMinMsat[h] = e.htlc_minimum_msat;
    if (e.htlc_maximum_msat !== undefined) halves.htlcMaxMsat[h] = e.htlc_maximum_msat;
  }
  const aliasOf = new Map<string, string>();
  if (opts.names) opts.names.ids.forEach((id, i) => aliasOf.set(id, opts.names!.aliases[i] ?? ''));
  return buildGraph({
    format: 'listchannels-json',
    scids: opts.scids ?? 'real',
    nodeIds,
    aliases: nodeIds.map((id) => aliasOf.get(id) ?? ''),
    node1: Uint32Array.from(node1),
    node2: Uint32Array.from(node2),
    capacitySat: Float64Array.from(capacity),
    scidBlock: Uint32Array.from(scid, (s) => s[0]),
    scidTx: Uint32Array.from(scid, (s) => s[1]),
    scidOut: Uint16Array.from(scid, (s) => s[2]),
    ...halves,
  });
}
