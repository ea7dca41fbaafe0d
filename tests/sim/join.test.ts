/**
 * The whole node protocol through the engine seam (runtime/core/fleet/hive-node.ts): a candidate
 * joins a running fleet with an admin-signed ticket over the real handshake, and the fleet engine
 * takes over — the admitting member zeroes fees on its channel with the newcomer and broadcasts
 * FULL_SYNC, the newcomer sends STATE_HASH to its welcomer, gossips, and every node converges on
 * the same fleet and membership hashes with the newcomer as neophyte.
 */
import { afterEach, expect, test } from 'bun:test';
import { issueTicket } from '../ticket/fixtures.ts';
import { FleetSim, SIM_T0, type SimNode } from './fleet-sim.ts';

let sim: FleetSim | null = null;
afterEach(() => {
  sim?.close();
  sim = null;
});

test('a ticket join is followed by FULL_SYNC, 0-fee routing, STATE_HASH and convergence', async () => {
  sim = FleetSim.create(4, { seed: 1001, outsiders: [3] });
  sim.publishAll();
  sim.advance(1);
  const [member, other, , newcomer] = sim.nodes as [SimNode, SimNode, SimNode, SimNode];
  const { encoded } = await issueTicket({ requirements: 1 }, { now: SIM_T0 });
  const syncs = sim.stats.byType.get('FULL_SYNC') ?? 0;
  sim.input(newcomer, { kind: 'join', member_id: member.node_id, framing: 'spec', ticket: encoded, features: ['splice', 'proto-v2'] });
  sim.advance(1);
  expect(member.rejects).toEqual([]);
  expect(newcomer.rejects).toEqual([]);
  expect(newcomer.state.membership.hive?.our_role).toBe('neophyte');
  expect(member.events.map((e) => e.name)).toContain('member_admitted');
  expect((sim.stats.byType.get('FULL_SYNC') ?? 0) - syncs).toBeGreaterThanOrEqual(3);
  expect(sim.stats.byType.get('STATE_HASH')).toBeGreaterThanOrEqual(1);
  expect(other.state.membership.members.get(newcomer.node_id)?.tier).toBe('neophyte');

  const link = sim.net.links.find((l) => [l.a, l.b].includes(member.node_id) && [l.a, l.b].includes(newcomer.node_id))!;
  expect(member.fees.get(link.scid)).toEqual({ base: 0, ppm: 0 });
  expect(newcomer.fees.get(link.scid)).toEqual({ base: 0, ppm: 0 });

  sim.publish(newcomer);
  sim.advance(1);
  expect(sim.converged()).toBe(true);
  for (const node of sim.nodes) {
    expect(node.state.membership.members.size).toBe(4);
    expect(node.state.tables.states.size).toBe(4);
    expect(node.store.membership.load()).toEqual(node.state.membership);
    expect(node.hive.handshake.membership).toBe(node.state.membership);
  }
});

test('a member that missed the admission FULL_SYNC adopts the newcomer from the admission proof in its GOSSIP', async () => {
  sim = FleetSim.create(4, { seed: 1002, outsiders: [3] });
  sim.publishAll();
  sim.advance(1);
  const [member, other, , newcomer] = sim.nodes as [SimNode, SimNode, SimNode, SimNode];
  sim.loseNext(member, other, 'FULL_SYNC');
  const { encoded } = await issueTicket({}, { now: SIM_T0 });
  sim.input(newcomer, { kind: 'join', member_id: member.node_id, framing: 'spec', ticket: encoded, features: [] });
  sim.advance(1);
  expect(other.state.membership.members.has(newcomer.node_id)).toBe(false);
  sim.publish(newcomer);
  sim.advance(1);
  const row = other.state.membership.members.get(newcomer.node_id);
  expect(row).toMatchObject({ tier: 'neophyte', admission: { by: member.node_id, via: 'ticket' } });
  expect(other.logs.some((l) => l.event === 'member_adopted' && l.peer_id === newcomer.node_id)).toBe(true);
  expect(other.state.tables.states.get(newcomer.node_id)?.version).toBe(1);
  expect(other.store.membership.load()).toEqual(other.state.membership);
  expect(sim.converged()).toBe(true);
});

test('a member that connects to a newcomer before it hears of the admission asks it for its state once it does', async () => {
  // Anti-entropy beyond the test's horizon: the repair must come from learning the member, not the timer.
  sim = FleetSim.create(3, { seed: 1003, outsiders: [2], config: { anti_entropy_interval_s: 3_600 } });
  sim.publishAll();
  sim.advance(1);
  const [member, other, newcomer] = sim.nodes as [SimNode, SimNode, SimNode];
  // The newcomer and `other` share no connection yet; the admission broadcast to `other` is slow.
  sim.partition([other], [newcomer]);
  sim.delayNext(member, other, 'FULL_SYNC', 10_000);
  const { encoded } = await issueTicket({}, { now: SIM_T0 });
  sim.input(newcomer, { kind: 'join', member_id: member.node_id, framing: 'spec', ticket: encoded, features: [] });
  sim.advance(1);
  expect(newcomer.state.membership.hive).not.toBeNull();
  sim.publish(newcomer);
  sim.advance(1);
  const version = newcomer.state.tables.states.get(newcomer.node_id)!.version;
  expect(member.state.tables.states.get(newcomer.node_id)?.version).toBe(version);
  expect(other.state.membership.members.has(newcomer.node_id)).toBe(false);
  // They connect now: `other` does not know the newcomer yet, and refuses its STATE_HASH.
  sim.heal();
  sim.advance(5);
  expect(other.state.membership.members.has(newcomer.node_id)).toBe(false);
  expect(other.state.tables.states.has(newcomer.node_id)).toBe(false);
  // The broadcast arrives: `other` learns the member it is already connected to and asks for its state.
  sim.advance(10);
  expect(other.state.membership.members.has(newcomer.node_id)).toBe(true);
  expect(other.state.tables.states.get(newcomer.node_id)?.version).toBe(version);
  expect(sim.converged()).toBe(true);
});
