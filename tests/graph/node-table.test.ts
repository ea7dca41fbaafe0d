/**
 * The resident graph's node ids (services/graph/node-table.ts): interned from their 33 bytes, one
 * index per distinct id in order of appearance, and a graph's view answers exactly as a
 * Map<string, number> of its first nodes would (lowercase ids only; later nodes invisible).
 */
import { expect, test } from 'bun:test';
import { NodeTable } from '../../services/graph/node-table.ts';

test('ids are interned once in order; a view answers as the Map of its first nodes', () => {
  const table = new NodeTable();
  const ids = Array.from({ length: 5_000 }, (_, i) => `02${i.toString(16).padStart(8, '0')}${'ab'.repeat(28)}`);
  // The first 2,000 nodes twice each, one byte string holding them at odd offsets.
  const bytes = Buffer.concat([Buffer.from([0]), ...ids.map((id) => Buffer.from(id, 'hex')), ...ids.slice(0, 2_000).map((id) => Buffer.from(id, 'hex'))]);
  for (let k = 0; k < ids.length + 2_000; k++) expect(table.intern(bytes, 1 + 33 * k)).toBe(k % ids.length);
  expect(table.ids).toEqual(ids);
  const view = table.view(3_000);
  const model = new Map(ids.slice(0, 3_000).map((id, i) => [id, i]));
  expect([...view]).toEqual([...model]);
  expect(view.size).toBe(3_000);
  for (const id of [ids[0]!, ids[2_999]!, ids[3_000]!, ids[4_999]!, ids[7]!.toUpperCase(), ids[7]!.slice(0, 64), `${ids[7]!.slice(0, 64)}zz`, '']) {
    expect([id, view.get(id)]).toEqual([id, model.get(id)]);
    expect(view.has(id)).toBe(model.has(id));
  }
});
