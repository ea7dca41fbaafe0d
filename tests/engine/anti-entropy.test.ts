/**
 * Periodic anti-entropy through the daemon (issue 15 item 5): simulated CLN nodes, the real plugin
 * processes, in-process daemons on real IPC sockets. A's GOSSIP after a topology change is lost on
 * the simnet link to B; once the link carries messages again, the periodic STATE_HASH (every 10 s
 * here) brings the FULL_SYNC that gives B A's new state. The FULL_SYNC answer to one member is
 * limited to one per 60 s, and the join itself used that allowance, so the bound is
 * 60 s + two periods from the join.
 */
import { afterEach, beforeEach, expect, test } from 'bun:test';
import type { InviteResult, StatusResult } from '../../runtime/node/hive/index.ts';
import { startSimHive, type SimHive } from './fixtures/sim-hive.ts';

const PERIOD_S = 10;
let hive: SimHive;

beforeEach(async () => {
  hive = await startSimHive(['a', 'b', 'c'], { anti_entropy_interval_s: PERIOD_S, status_interval_s: 5 });
  await hive.fleet.network.openChannel(hive.member('a').node, hive.member('b').node.nodeId, { capacity_sat: 5_000_000 });
  await hive.cli('a', 'hive-genesis');
});

afterEach(async () => {
  await hive.stop();
});

const fleetHash = async (name: string) => (await hive.cli<StatusResult>(name, 'hive-status')).fleet_hash;

/** Poll `check` every 200 ms until it holds; throws naming `what` after `ms`. */
async function until(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await Bun.sleep(200);
  }
}

test('a GOSSIP lost on the link is repaired by the periodic STATE_HASH → FULL_SYNC', async () => {
  const [a, b, c] = ['a', 'b', 'c'].map((n) => hive.member(n));
  const t = await hive.cli<InviteResult>('a', 'hive-invite', {});
  await hive.cli('b', 'hive-join', { ticket: t.ticket, peer_id: a!.node.nodeId });
  const joinedAt = Date.now();
  await until('both hold the same fleet hash', 20_000, async () => (await fleetHash('a')) === (await fleetHash('b')));
  const agreed = await fleetHash('a');

  // Every message between A and B is lost while A's topology changes (a channel with non-member C).
  hive.fleet.network.setLink(a!.node, b!.node, { loss: 1 });
  await hive.fleet.network.openChannel(a!.node, c!.node.nodeId, { capacity_sat: 2_000_000 });
  await until('A gossips its new state', 20_000, async () => (await fleetHash('a')) !== agreed);
  const sent = hive.events.get('a')!.filter((e) => e.kind === 'sent' && e.type === 'GOSSIP' && e.peer_id === b!.node.nodeId).length;
  expect(sent).toBeGreaterThan(0);
  expect(await fleetHash('b')).toBe(agreed);

  hive.fleet.network.setLink(a!.node, b!.node, { loss: 0 });
  const restoredAt = Date.now();
  const bound_ms = Math.max(joinedAt + 60_000 - restoredAt, 0) + 2 * PERIOD_S * 1.25 * 1000 + 5_000;
  await until('B repaired', bound_ms, async () => (await fleetHash('b')) === (await fleetHash('a')));
  console.log(`anti-entropy (daemon): repaired ${((Date.now() - restoredAt) / 1000).toFixed(1)} s after the link recovered (${((Date.now() - joinedAt) / 1000).toFixed(1)} s after the join)`);
  const hashes = hive.events.get('b')!.filter((e) => e.kind === 'sent' && e.type === 'STATE_HASH').length;
  expect(hashes).toBeGreaterThan(1);
}, 120_000);
