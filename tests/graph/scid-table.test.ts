/**
 * The resident graph's scid → channel index table (services/graph/scid-table.ts): after any mix of
 * additions and deletions (backward-shift deletion in long probe runs, growth) and a compaction
 * remap, it answers exactly as a Map keyed by the scid does.
 */
import { expect, test } from 'bun:test';
import { ScidTable } from '../../services/graph/scid-table.ts';

test('thousands of adds and deletes of clustered scids answer as a Map does, also after a remap', () => {
  const hi: number[] = [];
  const lo: number[] = [];
  const table = new ScidTable({ scidHi: (i) => hi[i]!, scidLo: (i) => lo[i]! });
  const model = new Map<string, number>();
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0);
  for (let step = 0; step < 20_000; step++) {
    // Scids of a few neighbouring blocks: the halves collide often, probe runs get long.
    const h = (((800_000 + (next() % 4)) << 8) | (next() % 3)) >>> 0;
    const l = (((next() % 64) << 16) | (next() % 2)) >>> 0;
    const key = `${h}:${l}`;
    if (model.has(key) && next() % 3 !== 0) {
      expect(table.delete(h, l)).toBe(model.get(key)!);
      model.delete(key);
    } else if (!model.has(key)) {
      hi.push(h);
      lo.push(l);
      table.add(h, l, hi.length - 1);
      model.set(key, hi.length - 1);
    }
  }
  expect(table.size).toBe(model.size);
  for (let i = 0; i < hi.length; i++) expect(table.get(hi[i]!, lo[i]!)).toBe(model.get(`${hi[i]}:${lo[i]}`) ?? -1);
  // Compaction moves live channels down; the keys move with them and the table is remapped.
  const live = [...model.values()].sort((a, b) => a - b);
  const moved = new Int32Array(hi.length).fill(-1);
  live.forEach((old, k) => {
    moved[old] = k;
    hi[k] = hi[old]!;
    lo[k] = lo[old]!;
  });
  table.remap(moved);
  live.forEach((_, k) => expect(table.get(hi[k]!, lo[k]!)).toBe(k));
  expect(table.delete(1, 2)).toBe(-1);
});
