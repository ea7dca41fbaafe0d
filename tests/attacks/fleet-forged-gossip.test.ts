/**
 * Attack: forged fleet state (spec 000 §6 "Manifest Spoofing"; clhive-protocol.md §15 item 7).
 * A GOSSIP claiming another member's identity, altered after signing, from an outsider, relayed by
 * an outsider, or a FULL_SYNC carrying a state entry the member never signed: each is refused
 * (or the entry skipped) and the victim's stored state does not change.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import { fleetHash } from '../../runtime/core/wire/signing/hashes.ts';
import { bytesOf, signed } from '../sim/craft.ts';
import type { FleetSim } from '../sim/fleet-sim.ts';
import { expectRefusedUnchanged, gossipPayload, startedFleet } from './fleet-fixtures.ts';

let sim: FleetSim;
afterEach(() => sim.close());

describe('forged GOSSIP', () => {
  test("a member signs a gossip in another member's name: bad_signature", () => {
    sim = startedFleet(4, 201);
    const [victim, impersonated, liar] = [sim.nodes[0]!, sim.nodes[1]!, sim.nodes[2]!];
    const payload = signed('GOSSIP', gossipPayload(sim, impersonated, 50, { capacity_sats: 1, available_sats: 0 }), liar.key.sk);
    expectRefusedUnchanged(victim, 'bad_signature', () => sim.inject(liar, victim, bytesOf('GOSSIP', payload)));
  });

  test('a field changed after signing: bad_signature', () => {
    sim = startedFleet(3, 202);
    const [victim, sender] = [sim.nodes[0]!, sim.nodes[1]!];
    const payload = signed('GOSSIP', gossipPayload(sim, sender, 9), sender.key.sk);
    expectRefusedUnchanged(victim, 'bad_signature', () => sim.inject(sender, victim, bytesOf('GOSSIP', { ...payload, capacity_sats: 99_000_000 })));
  });

  test('an outsider with a valid self-signed gossip: not_member', () => {
    sim = startedFleet(3, 203, { outsiders: [2] });
    const [victim, outsider] = [sim.nodes[0]!, sim.nodes[2]!];
    const payload = signed('GOSSIP', gossipPayload(sim, outsider, 1), outsider.key.sk);
    expectRefusedUnchanged(victim, 'not_member', () => sim.inject(outsider, victim, bytesOf('GOSSIP', payload)));
  });

  test("an outsider relays a member's genuine gossip: relay_not_allowed", () => {
    sim = startedFleet(3, 204, { outsiders: [2] });
    const [victim, member, outsider] = [sim.nodes[0]!, sim.nodes[1]!, sim.nodes[2]!];
    const payload = signed('GOSSIP', gossipPayload(sim, member, 9), member.key.sk);
    expectRefusedUnchanged(victim, 'relay_not_allowed', () => sim.inject(outsider, victim, bytesOf('GOSSIP', payload)));
  });
});

describe('forged state inside FULL_SYNC', () => {
  test('an entry at version 2^40 for another member, signed only by the FULL_SYNC sender, is not taken', () => {
    sim = startedFleet(3, 205);
    const [victim, impersonated, liar] = [sim.nodes[0]!, sim.nodes[1]!, sim.nodes[2]!];
    const before = victim.state.tables.states.get(impersonated.node_id)!;
    const entry = { peer_id: impersonated.node_id, capacity_sats: 1, available_sats: 0, fee_policy: {}, topology: [], version: 2 ** 40, last_update: sim.now, timestamp: sim.now, state_hash: '', capabilities: [] };
    const states = [entry];
    const payload = signed('FULL_SYNC', { states, fleet_hash: fleetHash(states), timestamp: sim.now, members: [], sender_id: liar.node_id }, liar.key.sk);
    sim.inject(liar, victim, bytesOf('FULL_SYNC', payload));
    expect(victim.rejects).toEqual([]);
    expect(victim.state.tables.states.get(impersonated.node_id)).toEqual(before);
    expect(victim.logs.at(-1)!.fields).toMatchObject({ states_taken: 0, skipped: { [impersonated.node_id]: 'unsigned_state' } });
    sim.publish(impersonated, { capacity_sats: impersonated.status.capacity_sats * 3 });
    sim.advance(1);
    expect(victim.state.tables.states.get(impersonated.node_id)!.version).toBe(before.version + 1);
  });
});
