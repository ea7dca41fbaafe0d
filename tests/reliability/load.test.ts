/**
 * CI's short pass of `bun run load` (tests/reliability/load.ts): 10 peers, 3 of them members, 1,500
 * messages/s for 3 s through a real daemon's IPC socket — every member message is handled, every
 * other message is either handled or dropped and counted, and memory stays bounded.
 */
import { expect, test } from 'bun:test';
import { runLoad } from './load.ts';

test('1,500 msg/s from 10 peers for 3 s: members all handled, every drop counted, memory bounded', async () => {
  const f = await runLoad({ peers: 10, members: 3, rate: 1_500, seconds: 3 });
  expect(f.member_handled).toBe(f.member_sent);
  expect(f.member_sent).toBeGreaterThan(100);
  expect(f.uncounted).toBe(0);
  expect(f.inbound.dropped_total).toBeGreaterThan(0);
  expect(f.inbound.top_droppers.every((p) => !p.member)).toBe(true);
  expect(f.rss_mb_max - f.rss_mb_start).toBeLessThan(256);
}, 120_000);
