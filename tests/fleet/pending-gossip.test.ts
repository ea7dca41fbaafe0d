/**
 * Fleet convergence after a join (issue 13; runtime/core/machines/pending-gossip.ts, state-sync.ts):
 *  - a GOSSIP from a node that is not a member yet is kept and taken when the membership admits it;
 *  - a GOSSIP whose channel claims cannot be verified yet is kept and taken when the public graph
 *    shows the channels (`facts_changed`);
 *  - the buffer is bounded (a flood of self-signed outsiders neither grows it past its cap nor
 *    pushes out what came first) and forgets after its TTL; the tables and store stay untouched;
 *  - a STATE_HASH mismatch right after a membership change is answered despite the FULL_SYNC cooldown.
 */
import { afterEach, expect, test } from 'bun:test';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { FLEET_LIMITS } from '../../runtime/core/fleet/config.ts';
import { publicCapacityIndex } from '../../runtime/core/fleet/public-capacity.ts';
import { fleetStep } from '../../runtime/core/fleet/step.ts';
import { currentFleetHash } from '../../runtime/core/machines/gossip.ts';
import { applyWrite } from '../../runtime/core/machines/membership.ts';
import { currentMembershipHash } from '../../runtime/core/machines/state-sync.ts';
import { type NodeId, toHex } from '../../runtime/core/types.ts';
import { expectRefusedUnchanged, gossipPayload, startedFleet } from '../attacks/fleet-fixtures.ts';
import { bytesOf, signed } from '../sim/craft.ts';
import type { FleetSim, SimNode } from '../sim/fleet-sim.ts';

let sim: FleetSim;
afterEach(() => sim.close());

const admitInto = (node: SimNode, id: NodeId) =>
  sim.input(node, { kind: 'membership', membership: applyWrite(node.state.membership, { op: 'put_member', member: { node_id: id, tier: 'neophyte', joined_at: sim.now, addresses: [] } }) });

test('a GOSSIP from a node admitted a moment later is kept, then taken when the membership admits it', () => {
  sim = startedFleet(3, 301, { outsiders: [2] });
  const [victim, newcomer] = [sim.nodes[0]!, sim.nodes[2]!];
  const payload = signed('GOSSIP', gossipPayload(sim, newcomer, 4), newcomer.key.sk);
  expectRefusedUnchanged(victim, 'not_member', () => sim.inject(newcomer, victim, bytesOf('GOSSIP', payload)));
  expect([...victim.state.pending_gossip.keys()]).toEqual([newcomer.node_id]);

  admitInto(victim, newcomer.node_id);
  expect(victim.state.pending_gossip.size).toBe(0);
  expect(victim.state.tables.states.get(newcomer.node_id)).toMatchObject({ version: 4, capacity_sats: newcomer.status.capacity_sats });
  expect(victim.store.load().tables.states.get(newcomer.node_id)?.version).toBe(4);
  expect(victim.logs.some((l) => l.event === 'pending_gossip_accepted' && l.fields?.sender_id === newcomer.node_id)).toBe(true);
});

test('a GOSSIP whose channels are not in the graph yet is kept, then taken when the graph shows them', () => {
  sim = startedFleet(3, 302);
  const [victim, member] = [sim.nodes[0]!, sim.nodes[1]!];
  const version = victim.state.tables.states.get(member.node_id)!.version + 1;
  const bytes = bytesOf('GOSSIP', signed('GOSSIP', gossipPayload(sim, member, version), member.key.sk));
  const early = fleetStep(victim.state, { kind: 'message', peer_id: member.node_id, message: bytes }, sim.now, publicCapacityIndex([]));
  expect(early.reject?.reason).toBe('capacity_unverified');
  expect(early.state.tables).toBe(victim.state.tables);
  expect(early.state.pending_gossip.get(member.node_id)?.reason).toBe('capacity_unverified');

  const still = fleetStep(early.state, { kind: 'facts_changed' }, sim.now + 1, publicCapacityIndex([]));
  expect(still.state.pending_gossip.get(member.node_id)?.received_at).toBe(sim.now);
  const later = fleetStep(still.state, { kind: 'facts_changed' }, sim.now + 2, sim.facts);
  expect(later.reject).toBeNull();
  expect(later.state.pending_gossip.size).toBe(0);
  expect(later.state.tables.states.get(member.node_id)?.version).toBe(version);
  expect(later.effects.some((e) => e.kind === 'persist_fleet')).toBe(true);
});

test('bounded: a flood of self-signed outsiders fills the buffer to its cap, keeps the first ones, then forgets them all after the TTL', () => {
  sim = startedFleet(3, 303);
  const victim = sim.nodes[0]!;
  const flood = FLEET_LIMITS.pendingGossipTotal + 6;
  const ids: NodeId[] = [];
  for (let i = 0; i < flood; i++) {
    const sk = sha256(new TextEncoder().encode(`outsider ${i}`));
    const node_id = toHex(secp256k1.getPublicKey(sk, true)) as NodeId;
    ids.push(node_id);
    const payload = signed('GOSSIP', { ...gossipPayload(sim, victim, 1), peer_id: node_id, sender_id: node_id, topology: [], capacity_sats: 0, available_sats: 0, addresses: [] }, sk);
    expectRefusedUnchanged(victim, 'not_member', () => sim.inject({ node_id }, victim, bytesOf('GOSSIP', payload)));
  }
  expect([...victim.state.pending_gossip.keys()]).toEqual(ids.slice(0, FLEET_LIMITS.pendingGossipTotal));
  sim.advance(FLEET_LIMITS.pendingGossipTtl_s + 5);
  expect(victim.state.pending_gossip.size).toBe(0);
  expect(victim.logs.filter((l) => l.event === 'pending_gossip_expired')).toHaveLength(FLEET_LIMITS.pendingGossipTotal);
});

test('a STATE_HASH mismatch right after a membership change is answered despite the FULL_SYNC cooldown', () => {
  sim = startedFleet(4, 304, { outsiders: [3] });
  const [victim, peer, , newcomer] = [sim.nodes[0]!, sim.nodes[1]!, sim.nodes[2]!, sim.nodes[3]!];
  const mismatch = () =>
    bytesOf(
      'STATE_HASH',
      signed('STATE_HASH', { fleet_hash: '00'.repeat(32), peer_count: 1, timestamp: sim.now, membership_hash: currentMembershipHash(peer.state), sender_id: peer.node_id }, peer.key.sk),
    );
  const fullSyncs = () => victim.logs.filter((l) => l.event === 'full_sync_suppressed').length;
  sim.inject(peer, victim, mismatch());
  expect(victim.state.full_sync_sent.get(peer.node_id)).toBe(sim.now);
  sim.advance(1);
  sim.inject(peer, victim, mismatch());
  expect(fullSyncs()).toBe(1);

  admitInto(victim, newcomer.node_id);
  expect(victim.state.membership_changed_at).toBe(sim.now);
  sim.inject(peer, victim, mismatch());
  expect(fullSyncs()).toBe(1);
  expect(victim.state.full_sync_sent.get(peer.node_id)).toBe(sim.now);
  sim.advance(1);
  sim.inject(peer, victim, mismatch());
  expect(fullSyncs()).toBe(2);
  expect(victim.state.full_sync_sent.get(peer.node_id)).toBe(sim.now - 1);
  expect(currentFleetHash(victim.state)).not.toBe('00'.repeat(32));
});
