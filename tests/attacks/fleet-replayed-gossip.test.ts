/**
 * Attack: replay and rollback of fleet state (spec 000 §6 "Replay Attack"; clhive-protocol.md
 * §2.3 "version strictly greater"). Genuine GOSSIP bytes delivered again, a lower or equal version
 * freshly signed by the member itself, and an hour-old gossip: each is refused with state unchanged.
 */
import { afterEach, expect, test } from 'bun:test';
import { bytesOf, signed } from '../sim/craft.ts';
import type { FleetSim } from '../sim/fleet-sim.ts';
import { expectRefusedUnchanged, gossipPayload, startedFleet } from './fleet-fixtures.ts';

let sim: FleetSim;
afterEach(() => sim.close());

test('the same genuine GOSSIP bytes delivered a second time: stale_version', () => {
  sim = startedFleet(3, 211);
  const [victim, sender] = [sim.nodes[0]!, sim.nodes[1]!];
  const version = victim.state.tables.states.get(sender.node_id)!.version + 1;
  const bytes = bytesOf('GOSSIP', signed('GOSSIP', gossipPayload(sim, sender, version), sender.key.sk));
  sim.inject(sender, victim, bytes);
  expect(victim.state.tables.states.get(sender.node_id)!.version).toBe(version);
  expectRefusedUnchanged(victim, 'stale_version', () => sim.inject(sender, victim, bytes));
});

test('version rollback: a lower, then an equal version signed by the member itself: stale_version', () => {
  sim = startedFleet(3, 212);
  const [victim, sender] = [sim.nodes[0]!, sim.nodes[1]!];
  sim.publish(sender, { capacity_sats: sender.status.capacity_sats * 2 });
  sim.publish(sender, { capacity_sats: sender.status.capacity_sats * 2 });
  sim.advance(1);
  const stored = victim.state.tables.states.get(sender.node_id)!.version;
  expect(stored).toBe(3);
  for (const version of [stored - 1, stored]) {
    const bytes = bytesOf('GOSSIP', signed('GOSSIP', gossipPayload(sim, sender, version, { capacity_sats: 1, available_sats: 0 }), sender.key.sk));
    expectRefusedUnchanged(victim, 'stale_version', () => sim.inject(sender, victim, bytes));
  }
});

test('a genuine gossip held back for more than an hour: stale_timestamp', () => {
  sim = startedFleet(3, 213);
  const [victim, sender] = [sim.nodes[0]!, sim.nodes[1]!];
  const bytes = bytesOf('GOSSIP', signed('GOSSIP', gossipPayload(sim, sender, 99), sender.key.sk));
  sim.now_ms += 3_601_000;
  expectRefusedUnchanged(victim, 'stale_timestamp', () => sim.inject(sender, victim, bytes));
});
