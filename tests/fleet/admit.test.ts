/**
 * The admission gate's remaining named rejects (machines/admit.ts), each with state unchanged:
 * not Hive traffic and malformed bytes, handshake and unhandled types, future and too-old
 * timestamps, an unsigned type from a peer other than its originator, and the gate's order
 * (a forged signature is refused before membership is even looked at).
 */
import { afterEach, expect, test } from 'bun:test';
import { FLEET_LIMITS } from '../../runtime/core/fleet/config.ts';
import { fleetStep } from '../../runtime/core/fleet/step.ts';
import { expectRefusedUnchanged, startedFleet } from '../attacks/fleet-fixtures.ts';
import { bytesOf, signed } from '../sim/craft.ts';
import type { FleetSim, SimNode } from '../sim/fleet-sim.ts';

let sim: FleetSim;
afterEach(() => sim.close());

function pair(): [SimNode, SimNode] {
  sim = startedFleet(3, 801);
  return [sim.nodes[0]!, sim.nodes[1]!];
}

test('bytes without the HIVE magic, and broken JSON after it: malformed', () => {
  const [victim, peer] = pair();
  expectRefusedUnchanged(victim, 'malformed', () => sim.inject(peer, victim, Uint8Array.of(0x00, 0x07, 1, 2, 3)));
  expectRefusedUnchanged(victim, 'malformed', () => sim.inject(peer, victim, new TextEncoder().encode('HIVE{"type":32777,')));
});

test('a handshake type reaching the fleet gate: handshake_type; through the node seam the handshake answers it', () => {
  const [victim, peer] = pair();
  const hello = bytesOf('HELLO', { pubkey: peer.node_id, protocol_version: 1 }, 'clhive');
  const r = fleetStep(victim.state, { kind: 'message', peer_id: peer.node_id, message: hello }, sim.now, sim.facts);
  expect(r.reject?.reason).toBe('handshake_type');
  expect(r.state).toBe(victim.state);
  expectRefusedUnchanged(victim, 'already_member', () => sim.inject(peer, victim, hello));
});

test('a type the fleet does not consume: unhandled_type', () => {
  const [victim, peer] = pair();
  expectRefusedUnchanged(victim, 'unhandled_type', () => sim.inject(peer, victim, bytesOf('FEE_REPORT', { peer_id: peer.node_id }, 'clhive')));
});

test('a timestamp 10 minutes ahead: future_timestamp; a MEMBER_LEFT older than the dedup memory: too_old', () => {
  const [victim, peer] = pair();
  const ahead = signed('BAN_VOTE', { proposal_id: 'ab', voter_peer_id: peer.node_id, vote: 'approve', timestamp: sim.now + 600 }, peer.key.sk);
  expectRefusedUnchanged(victim, 'future_timestamp', () => sim.inject(peer, victim, bytesOf('BAN_VOTE', ahead)));
  const old = signed('MEMBER_LEFT', { peer_id: peer.node_id, timestamp: sim.now - FLEET_LIMITS.eventRetention_s - 1, reason: 'bye' }, peer.key.sk);
  expectRefusedUnchanged(victim, 'too_old', () => sim.inject(peer, victim, bytesOf('MEMBER_LEFT', old)));
  expect(victim.state.membership.members.has(peer.node_id)).toBe(true);
});

test("an INTENT naming another member as initiator: sender_mismatch (unsigned types come direct only)", () => {
  const [victim, peer] = pair();
  const other = sim.nodes[2]!;
  const intent = { intent_type: 'channel_open', target: other.node_id, initiator: other.node_id, timestamp: sim.now, expires_at: sim.now + 300 };
  expectRefusedUnchanged(victim, 'sender_mismatch', () => sim.inject(peer, victim, bytesOf('INTENT', intent)));
});

test('an outsider with a forged signature is refused for the signature, before membership', () => {
  sim = startedFleet(3, 802, { outsiders: [2] });
  const [victim, member, outsider] = sim.nodes as [SimNode, SimNode, SimNode];
  const forged = signed('BAN_VOTE', { proposal_id: 'ab', voter_peer_id: member.node_id, vote: 'approve', timestamp: sim.now }, outsider.key.sk);
  expectRefusedUnchanged(victim, 'bad_signature', () => sim.inject(outsider, victim, bytesOf('BAN_VOTE', forged)));
});
