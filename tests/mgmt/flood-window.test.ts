/**
 * The per-peer flood window (runtime/node/mgmt/flood-window.ts): `max` messages per window, a fresh
 * window afterwards, peers kept apart, and the map of tracked peers bounded against a peer-id spray.
 */
import { expect, test } from 'bun:test';
import { FloodWindow } from '../../runtime/node/mgmt/flood-window.ts';

test('max per window per peer, then a new window', () => {
  const f = new FloodWindow({ window_s: 60, max: 3 });
  expect([1, 2, 3, 4].map(() => f.over('a', 100))).toEqual([false, false, false, true]);
  expect(f.over('b', 100)).toBe(false);
  expect(f.over('a', 159)).toBe(true);
  expect(f.over('a', 160)).toBe(false);
});

test('a spray of peer ids cannot grow the map past the bound once their windows end', () => {
  const f = new FloodWindow({ window_s: 60, max: 1 });
  for (let i = 0; i < 5000; i++) f.over(`p${i}`, 1000);
  expect(f.tracked).toBe(5000);
  f.over('late', 1060);
  expect(f.tracked).toBe(1);
});
