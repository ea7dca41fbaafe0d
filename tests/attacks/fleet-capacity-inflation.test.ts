/**
 * Attack: runaway ignore through inflated capacity claims (spec 003 §2.1, §3.1 "trust but
 * verify"). A member gossips capacity toward big nodes it has no public channel with: the gossip
 * is refused (`capacity_unverified`) and nothing is stored. A member with small real channels
 * claiming 100 BTC toward those peers: the state is kept but every claim is clamped to the public
 * capacity of the channels between them, and the clamp is logged.
 */
import { afterEach, expect, test } from 'bun:test';
import { bytesOf, signed } from '../sim/craft.ts';
import type { FleetSim } from '../sim/fleet-sim.ts';
import { externalId } from '../sim/network.ts';
import { SeededRng } from '../sim/rng.ts';
import { expectRefusedUnchanged, gossipPayload, startedFleet } from './fleet-fixtures.ts';

let sim: FleetSim;
afterEach(() => sim.close());

const HUNDRED_BTC = 10_000_000_000;

test('claims toward 40 top nodes without any public channel: capacity_unverified, nothing stored', () => {
  sim = startedFleet(3, 221);
  const [victim, liar] = [sim.nodes[0]!, sim.nodes[1]!];
  const rng = new SeededRng(5);
  const topNodes = Array.from({ length: 40 }, () => externalId(rng));
  const version = victim.state.tables.states.get(liar.node_id)!.version + 1;
  const payload = signed('GOSSIP', gossipPayload(sim, liar, version, { capacity_sats: HUNDRED_BTC, available_sats: HUNDRED_BTC, topology: topNodes }), liar.key.sk);
  expectRefusedUnchanged(victim, 'capacity_unverified', () => sim.inject(liar, victim, bytesOf('GOSSIP', payload)));
});

test('one fake peer hidden among real ones is enough to refuse the whole claim', () => {
  sim = startedFleet(3, 222);
  const [victim, liar] = [sim.nodes[0]!, sim.nodes[1]!];
  const version = victim.state.tables.states.get(liar.node_id)!.version + 1;
  const topology = [...liar.status.topology, externalId(new SeededRng(6))];
  const payload = signed('GOSSIP', gossipPayload(sim, liar, version, { topology }), liar.key.sk);
  expectRefusedUnchanged(victim, 'capacity_unverified', () => sim.inject(liar, victim, bytesOf('GOSSIP', payload)));
});

test('100 BTC claimed over real channels is clamped to their public capacity and logged', () => {
  sim = startedFleet(3, 223);
  const [victim, liar] = [sim.nodes[0]!, sim.nodes[1]!];
  const version = victim.state.tables.states.get(liar.node_id)!.version + 1;
  const payload = signed('GOSSIP', gossipPayload(sim, liar, version, { capacity_sats: HUNDRED_BTC, available_sats: 0 }), liar.key.sk);
  sim.inject(liar, victim, bytesOf('GOSSIP', payload));
  const row = victim.state.tables.states.get(liar.node_id)!;
  expect(row.version).toBe(version);
  for (const peer of liar.status.topology) {
    expect(row.verified_capacity[peer]).toBe(sim.facts.publicCapacitySats(liar.node_id, peer));
    expect(row.verified_capacity[peer]).toBeLessThan(HUNDRED_BTC);
  }
  expect(victim.logs.at(-1)).toMatchObject({ event: 'capacity_capped', peer_id: liar.node_id, fields: { claimed_sats: HUNDRED_BTC } });
});
