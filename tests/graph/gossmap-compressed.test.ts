/**
 * The gossmap-compressed decoder against the real 2026-02-03 snapshot (counts from SOURCE.md, and
 * field-for-field equality with the derived listchannels file), against small hand-encoded files for
 * direction and htlc_max semantics, and against corrupt input (typed errors, never a throw).
 */
import { describe, expect, test } from 'bun:test';
import { gunzipSync } from 'node:zlib';
import { HALF } from '../../runtime/core/graph/graph.ts';
import { listChannels } from '../../runtime/core/graph/cln-view.ts';
import type { NodeChannel } from '../../runtime/core/ports.ts';
import { decodeGossmapCompressed, GOSSMAP_COMPRESS_HEADER } from '../../services/graph/gossmap-compressed.ts';
import { loadNodeNames } from '../../services/graph/load.ts';
import type { NodeNames } from '../../services/graph/node-names.ts';
import { nodeId } from '../planner/small-graph.ts';
import { DATA_DIR, FILES, rawJson, realGraph } from './real-graphs.ts';

/** BOLT 1 bigsize encoding (values below 2^32 are all these tests need). */
function bigsize(v: number): number[] {
  if (v < 0xfd) return [v];
  if (v <= 0xffff) return [0xfd, v >> 8, v & 0xff];
  return [0xfe, (v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

/** Encode a template block: distinct values, then one index per item. */
function template(items: readonly number[]): number[] {
  const values = [...new Set(items)].sort((a, b) => a - b);
  return [...bigsize(values.length), ...values.flatMap(bigsize), ...items.flatMap((v) => bigsize(values.indexOf(v)))];
}

interface TinyChannel {
  start: number;
  end: number;
  capacity: number;
  disabled?: [boolean, boolean];
  htlcMax?: [number, number];
  fee?: [number, number];
}

/** Hand-encode a gossmap-compressed payload (already gunzipped). */
function encode(chans: readonly TinyChannel[]): Uint8Array {
  const n = chans.length;
  const bytes = [...GOSSMAP_COMPRESS_HEADER, ...bigsize(n), ...chans.flatMap((c) => bigsize(c.start)), ...chans.flatMap((c) => bigsize(c.end))];
  chans.forEach((c, i) => c.disabled?.forEach((d, dir) => d && bytes.push(...bigsize(2 * i + dir))));
  bytes.push(...bigsize(2 * n));
  bytes.push(...template(chans.map((c) => c.capacity)));
  bytes.push(...template(chans.flatMap(() => [1, 1])));
  bytes.push(...template(chans.flatMap((c) => c.htlcMax ?? [0, 0])));
  bytes.push(...template(chans.flatMap(() => [1000, 0])));
  bytes.push(...template(chans.flatMap((c) => c.fee ?? [1, 2])));
  bytes.push(...template(chans.flatMap(() => [40, 144])));
  return Uint8Array.from(bytes);
}

const TINY_NAMES: NodeNames = { ids: [nodeId(5), nodeId(1), nodeId(9)], aliases: ['five', 'one', 'nine'] };

describe('real 2026-02-03 snapshot', () => {
  test('counts match SOURCE.md: 50,808 channels, 17,324 nodes, 5,361.68 BTC, 35,806 disabled halves, ACINQ degree 1,989', async () => {
    const g = await realGraph(FILES.compressed2026);
    expect(g.format).toBe('gossmap-compressed');
    expect(g.scids).toBe('synthetic');
    expect(g.channelCount).toBe(50_808);
    expect(g.nodeCount).toBe(17_324);
    expect(g.capacitySat.reduce((s, c) => s + c, 0)).toBe(536_168_010_515);
    let disabled = 0;
    for (const f of g.halfFlags) if (!(f & HALF.active)) disabled++;
    expect(disabled).toBe(35_806);
    expect(g.aliases[0]).toBe('ACINQ');
    expect(g.adjStart[1]! - g.adjStart[0]!).toBe(1_989);
  });

  test('every listchannels entry equals the derived listchannels file field for field', async () => {
    const g = await realGraph(FILES.compressed2026);
    const derived = (await rawJson<{ channels: NodeChannel[] }>(FILES.json2026)).channels;
    const ours = listChannels(g);
    expect(ours.length).toBe(derived.length);
    const key = (c: NodeChannel) => `${c.short_channel_id}/${c.direction}`;
    const byKey = new Map(ours.map((c) => [key(c), c]));
    let mismatches = 0;
    for (const d of derived) if (!Bun.deepEquals(byKey.get(key(d)), d)) mismatches++;
    expect(mismatches).toBe(0);
  });

  test('node ids from the listnodes file decode the same graph as from the xz node map', async () => {
    const names = await loadNodeNames(FILES.nodes2026);
    expect(names.ok).toBe(true);
    if (!names.ok) return;
    const bytes = gunzipSync(await Bun.file(FILES.compressed2026).bytes());
    const viaJson = decodeGossmapCompressed(bytes, names.value);
    const viaMap = await realGraph(FILES.compressed2026);
    expect(viaJson.ok).toBe(true);
    if (!viaJson.ok) return;
    expect(viaJson.value.nodeIds).toEqual(viaMap.nodeIds);
    expect(Bun.deepEquals(viaJson.value.node1, viaMap.node1)).toBe(true);
    expect(Bun.deepEquals(viaJson.value.feePpm, viaMap.feePpm)).toBe(true);
  });

  test('the shared data folder is where the CLI default points', () => {
    expect(FILES.compressed2026.startsWith(DATA_DIR)).toBe(true);
  });
});

describe('hand-encoded files', () => {
  test('node_1 is the lesser node id whatever the start node; per-direction items follow node_1/node_2', () => {
    // start=0 (id …05) end=1 (id …01): node_1 is index 1.
    const r = decodeGossmapCompressed(encode([{ start: 0, end: 1, capacity: 500_000, fee: [7, 9], disabled: [false, true] }]), TINY_NAMES);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [d0, d1] = listChannels(r.value);
    expect(d0!.source).toBe(nodeId(1));
    expect(d0!.destination).toBe(nodeId(5));
    expect(d0!.fee_per_millionth).toBe(7);
    expect(d0!.active).toBe(true);
    expect(d1!.source).toBe(nodeId(5));
    expect(d1!.fee_per_millionth).toBe(9);
    expect(d1!.active).toBe(false);
    expect(d0!.short_channel_id).toBe('0x1x0');
    expect(r.value.activeCapacitySat[0]).toBe(500_000);
  });

  test('htlc_max 0 means capacity, 1 means 0.99 × capacity, others are msat', () => {
    const r = decodeGossmapCompressed(encode([{ start: 0, end: 2, capacity: 1_000_000, htlcMax: [1, 123_456] }, { start: 1, end: 2, capacity: 200_000 }]), TINY_NAMES);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Array.from(r.value.htlcMaxMsat)).toEqual([990_000_000, 123_456, 200_000_000, 200_000_000]);
  });

  test('large bigsize values round-trip (capacity 5 BTC, 0xfe form)', () => {
    const r = decodeGossmapCompressed(encode([{ start: 0, end: 1, capacity: 500_000_000 }]), TINY_NAMES);
    expect(r.ok && r.value.capacitySat[0]).toBe(500_000_000);
  });
});

describe('corrupt input gives typed errors and never throws', () => {
  const good = encode([{ start: 0, end: 1, capacity: 500_000 }, { start: 1, end: 2, capacity: 300_000 }]);

  test('bad header', () => {
    const bad = good.slice();
    bad[3] = 0x41;
    expect(decodeGossmapCompressed(bad, TINY_NAMES)).toEqual({ ok: false, error: { kind: 'BadHeader', reason: 'missing "GOSSMAP_COMPRESSv1\\0"' } });
  });

  test('every truncation is refused with a typed error', () => {
    const kinds = new Set<string>();
    for (let len = GOSSMAP_COMPRESS_HEADER.length; len < good.length; len++) {
      const r = decodeGossmapCompressed(good.slice(0, len), TINY_NAMES);
      expect(r.ok).toBe(false);
      if (!r.ok) kinds.add(r.error.kind);
    }
    expect([...kinds]).toEqual(['Truncated']);
  });

  test('non-canonical bigsize (0xfd 0x00 0x05 for 5)', () => {
    const bytes = Uint8Array.from([...GOSSMAP_COMPRESS_HEADER, 0xfd, 0x00, 0x05]);
    const r = decodeGossmapCompressed(bytes, TINY_NAMES);
    expect(r.ok || r.error).toEqual({ kind: 'NonCanonicalBigsize', section: 'channel_count', offset: 19 });
  });

  test('template index past the template, trailing bytes, node map too short, self channel', () => {
    const idx = good.slice();
    idx[idx.length - 1] = 7; // last delay index → 7 ≥ 2 values
    const r1 = decodeGossmapCompressed(idx, TINY_NAMES);
    expect(!r1.ok && r1.error.kind).toBe('ValueOutOfRange');
    const r2 = decodeGossmapCompressed(Uint8Array.from([...good, 0]), TINY_NAMES);
    expect(r2.ok || r2.error).toEqual({ kind: 'TrailingBytes', count: 1 });
    const r3 = decodeGossmapCompressed(good, { ids: TINY_NAMES.ids.slice(0, 2), aliases: [] });
    expect(r3.ok || r3.error).toEqual({ kind: 'NodeNamesTooShort', needed: 3, have: 2 });
    const r4 = decodeGossmapCompressed(encode([{ start: 2, end: 2, capacity: 1 }]), TINY_NAMES);
    expect(!r4.ok && r4.error.kind).toBe('InconsistentChannel');
  });

  test('a channel count larger than the file is refused before allocating', () => {
    const r = decodeGossmapCompressed(Uint8Array.from([...GOSSMAP_COMPRESS_HEADER, 0xfe, 0x00, 0x40, 0x00, 0x00]), TINY_NAMES);
    expect(!r.ok && r.error.kind).toBe('Truncated');
    const huge = decodeGossmapCompressed(Uint8Array.from([...GOSSMAP_COMPRESS_HEADER, 0xfe, 0x7f, 0x00, 0x00, 0x00]), TINY_NAMES);
    expect(!huge.ok && huge.error.kind).toBe('TooLarge');
  });

  test('random byte flips in the real file never throw', async () => {
    const bytes = gunzipSync(await Bun.file(FILES.compressed2026).bytes());
    const g = await realGraph(FILES.compressed2026);
    const names = { ids: g.nodeIds, aliases: g.aliases };
    let seed = 7;
    for (let i = 0; i < 12; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const copy = new Uint8Array(bytes);
      const at = GOSSMAP_COMPRESS_HEADER.length + (seed % (copy.length - 19));
      copy[at] = copy[at]! ^ 0xff;
      const r = decodeGossmapCompressed(copy, names);
      expect(typeof r.ok).toBe('boolean');
    }
  });
});
