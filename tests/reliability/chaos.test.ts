/**
 * CI's short pass of `bun run chaos` (tests/reliability/chaos.ts): a three-node fleet of real
 * `hivebox run` processes on simnet, two kill -9 during fleet activity; after each, the store passes
 * SQLite's integrity check, nothing committed is lost, and the fleet agrees on one membership hash and
 * one fleet hash again.
 */
import { expect, test } from 'bun:test';
import { runChaos } from './chaos.ts';

test('two kill -9 of fleet daemons: stores intact, nothing committed lost, one membership and fleet hash after each restart', async () => {
  const f = await runChaos(2, 7);
  expect(f.failures).toEqual([]);
  expect(f).toMatchObject({ kills: 2, stores_intact: 2, commits_lost: 0, converged: 2 });
}, 300_000);
