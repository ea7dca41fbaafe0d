/**
 * A fleet of realistic members (50–150 public channels each, all in their GOSSIP topology; issue 19
 * §5): a whole fleet's FULL_SYNC is far above the 65,535-byte message limit, so it goes as several
 * self-contained parts (runtime/core/fleet/full-sync-parts.ts) that every receiver merges — nothing
 * is dropped. A fleet of 50 forms, converges after a change in one round of N−1 GOSSIPs, and admits
 * a joiner that every member then lists (the newcomer gets one FULL_SYNC round, in parts). Real codec
 * bytes, real signatures, one SQLite file per node.
 */
import { afterEach, expect, test } from 'bun:test';
import { currentFleetHash } from '../../runtime/core/machines/gossip.ts';
import { issueTicket } from '../ticket/fixtures.ts';
import { FleetSim, SIM_T0 } from './fleet-sim.ts';

let sim: FleetSim | null = null;
afterEach(() => {
  sim?.close();
  sim = null;
});

test('50 realistic members form and converge; a healed partition converges through multi-part FULL_SYNC', () => {
  const n = 50;
  sim = FleetSim.create(n, { seed: 19, externals: [50, 150] });
  sim.publishAll();
  sim.advance(1);
  expect(sim.converged()).toBe(true);
  for (const node of sim.nodes) expect(node.state.tables.states.size).toBe(n);
  expect(sim.nodes.flatMap((x) => x.rejects)).toEqual([]);

  const left = sim.nodes.slice(0, n / 2);
  const right = sim.nodes.slice(n / 2);
  sim.partition(left, right);
  for (const node of left) sim.publish(node, { fee_policy: { ...node.status.fee_policy, cltv_delta: 77 } });
  sim.publish(right[0]!, { fee_policy: { ...right[0]!.status.fee_policy, fee_rate: 9 } });
  sim.advance(2);
  expect(currentFleetHash(left[0]!.state)).not.toBe(currentFleetHash(right[0]!.state));
  const syncs = sim.stats.byType.get('FULL_SYNC') ?? 0;
  const bytesBefore = sim.stats.bytes;
  sim.heal();
  sim.advance(2);
  expect(sim.converged()).toBe(true);
  // The 25 changed states of the left side (~180 kB) reach the right side only through FULL_SYNC parts.
  for (const node of right) {
    for (const other of left) expect(node.state.tables.states.get(other.node_id)?.version).toBe(2);
  }
  const parts = (sim.stats.byType.get('FULL_SYNC') ?? 0) - syncs;
  expect(parts).toBeGreaterThan(1);
  expect(sim.stats.bytes - bytesBefore).toBeGreaterThan(65_535);
  expect(sim.nodes.flatMap((x) => x.rejects.filter((r) => r.reason !== 'rate_limited'))).toEqual([]);
}, 300_000);

test('50 realistic members form, converge after a change in N−1 messages, and admit a joiner every member lists', async () => {
  const n = 50;
  sim = FleetSim.create(n + 1, { seed: 1950, externals: [50, 150], outsiders: [n], config: { max_members: n + 1 } });
  const members = sim.nodes.slice(0, n);
  const [welcomer, changer, newcomer] = [members[0]!, members[n - 1]!, sim.nodes[n]!];
  sim.publishAll();
  sim.settle(60);
  expect(sim.converged()).toBe(true);
  for (const node of members) expect(node.state.tables.states.size).toBe(n);

  const sent = sim.stats.sent;
  sim.publish(changer, { fee_policy: { ...changer.status.fee_policy, fee_rate: 42 } });
  sim.settle(60);
  expect(sim.stats.sent - sent).toBe(n - 1);
  expect(sim.converged()).toBe(true);
  for (const node of members) expect(node.state.tables.states.get(changer.node_id)?.fee_policy.fee_rate).toBe(42);

  const { encoded } = await issueTicket({ requirements: 1 }, { now: SIM_T0 });
  sim.input(newcomer, { kind: 'join', member_id: welcomer.node_id, framing: 'spec', ticket: encoded, features: ['splice', 'proto-v2'] });
  sim.settle(60);
  for (const node of members) expect(node.state.membership.members.get(newcomer.node_id)?.tier).toBe('neophyte');
  expect(newcomer.state.membership.members.size).toBe(n + 1);
  expect(newcomer.state.tables.states.size).toBe(n);
  // One round of parts reached the newcomer; its STATE_HASH, sent before the round arrived, got no second one.
  const merged = newcomer.logs.filter((l) => l.event === 'full_sync_merged');
  expect(merged.length).toBeGreaterThan(1);
  expect(newcomer.rejects).toEqual([]);
  expect(welcomer.logs.some((l) => l.event === 'full_sync_suppressed' && l.peer_id === newcomer.node_id)).toBe(true);

  sim.publish(newcomer);
  sim.settle(60);
  expect(sim.converged()).toBe(true);
  for (const node of members) {
    expect(node.state.tables.states.get(newcomer.node_id)?.version).toBe(1);
    expect(node.store.membership.load()).toEqual(node.state.membership);
  }
  expect(sim.nodes.flatMap((x) => x.rejects)).toEqual([]);
}, 300_000);
