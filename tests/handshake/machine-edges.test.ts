/**
 * Handshake machine corners that no attack suite covers: driver answers that arrive late or for
 * someone else, the pending-facts cap, local join errors, timeouts, and driver misuse
 * (issue 2 §6; style-anchors.md "illegal transitions leave state unchanged").
 */
import { expect, test } from 'bun:test';
import { HANDSHAKE_LIMITS } from '../../runtime/core/machines/handshake-limits.ts';
import { handshakeStep } from '../../runtime/core/machines/handshake-step.ts';
import { decodeHiveMessage } from '../../runtime/core/wire/decode.ts';
import { issueTicket, nodeIdOf, secretKey } from '../ticket/fixtures.ts';
import { Fleet } from './pair.ts';

test('node facts nobody asked for, or for a superseded request → unexpected_facts', () => {
  const { fleet, member } = Fleet.withMember(0xe0);
  const peer = fleet.add(0xe1);
  const r = handshakeStep(member.state, { kind: 'peer_facts', request_id: 'facts:99', peer_id: peer.node_id, facts: null, nonce_bytes: new Uint8Array(32) }, fleet.now);
  expect(r.reject?.reason).toBe('unexpected_facts');
  expect(r.state).toBe(member.state);
});

test('HELLOs waiting for facts are capped (busy) and dropped after 30 s', async () => {
  const { fleet, member } = Fleet.withMember(0xe2);
  const { encoded } = await issueTicket();
  const hello = (sk: Uint8Array) => {
    const node_id = nodeIdOf(sk);
    const d = decodeHiveMessage(Fleet.encode('HELLO', { pubkey: node_id, protocol_version: 1, ticket: encoded }, 'spec'));
    if (d.kind !== 'message') throw new Error(d.kind);
    return { kind: 'message' as const, peer_id: node_id, message: d.message };
  };
  let s = member.state;
  for (let i = 0; i < HANDSHAKE_LIMITS.maxPendingFacts; i++) {
    const sk = new Uint8Array(32);
    new DataView(sk.buffer).setUint32(0, 0x2000 + i);
    s = handshakeStep(s, hello(sk), fleet.now).state;
  }
  expect(s.pending.size).toBe(HANDSHAKE_LIMITS.maxPendingFacts);
  expect(handshakeStep(s, hello(secretKey(0xe3)), fleet.now).reject?.reason).toBe('busy');
  expect(handshakeStep(s, { kind: 'tick' }, fleet.now + HANDSHAKE_LIMITS.factsTimeout_s).state.pending.size).toBe(HANDSHAKE_LIMITS.maxPendingFacts);
  expect(handshakeStep(s, { kind: 'tick' }, fleet.now + HANDSHAKE_LIMITS.factsTimeout_s + 1).state.pending.size).toBe(0);
});

test('local join errors: bad member id, already in a hive, ticket problems; a repeated join replaces the one under way', async () => {
  const { fleet, member } = Fleet.withMember(0xe4);
  const c = fleet.add(0xe5);
  const step = (node: typeof c, input: Parameters<typeof handshakeStep>[1]) => handshakeStep(node.state, input, fleet.now).reject?.reason;
  expect(step(c, { kind: 'join', member_id: 'nope', framing: 'spec', features: [] })).toBe('invalid_join');
  expect(step(c, { kind: 'join', member_id: c.node_id, framing: 'clhive', features: [] })).toBe('invalid_join');
  expect(step(member, { kind: 'join', member_id: c.node_id, framing: 'clhive', features: [] })).toBe('already_in_hive');
  expect(step(c, { kind: 'join', member_id: member.node_id, framing: 'spec', features: [] })).toBe('ticket_required');
  expect(step(c, { kind: 'join', member_id: member.node_id, framing: 'spec', ticket: 'AAAA', features: [] })).toBe('ticket_malformed');
  const expired = (await issueTicket({ valid_hours: 1 }, { now: fleet.now - 7200 })).encoded;
  expect(step(c, { kind: 'join', member_id: member.node_id, framing: 'spec', ticket: expired, features: [] })).toBe('ticket_expired');
  const deaf = fleet.add(0xe6, { clhive: true });
  fleet.input(c, { kind: 'join', member_id: deaf.node_id, framing: 'clhive', features: [] });
  const first = c.state.joins.get(deaf.node_id)!;
  fleet.now += 5;
  const again = handshakeStep(c.state, { kind: 'join', member_id: deaf.node_id, framing: 'clhive', features: [] }, fleet.now);
  expect(again.reject).toBeNull();
  expect(again.state.joins.get(deaf.node_id)!.started_at).toBe(first.started_at + 5);
  expect(again.effects).toContainEqual(expect.objectContaining({ kind: 'log', event: 'join_restarted', peer_id: deaf.node_id }));
  expect(again.effects).toContainEqual(expect.objectContaining({ kind: 'send', type: 'HELLO', peer_id: deaf.node_id }));
});

test('a join with no WELCOME is abandoned after 300 s (join_timeout)', () => {
  const fleet = new Fleet();
  const c = fleet.add(0xe7);
  const deaf = fleet.add(0xe8, { clhive: true });
  fleet.input(c, { kind: 'join', member_id: deaf.node_id, framing: 'clhive', features: [] });
  fleet.tick(HANDSHAKE_LIMITS.joinTimeout_s);
  expect(c.state.joins.size).toBe(1);
  fleet.tick(1);
  expect(c.state.joins.size).toBe(0);
  expect(c.effects).toContainEqual({ kind: 'event', name: 'join_failed', member_id: deaf.node_id, reason: 'join_timeout' });
});

test('WELCOME reports the fleet hash the gossip layer set', async () => {
  const { fleet, member } = Fleet.withMember(0xe9);
  const c = fleet.add(0xea);
  fleet.input(member, { kind: 'fleet_hash', fleet_hash: '4f'.repeat(32) });
  fleet.input(c, { kind: 'join', member_id: member.node_id, framing: 'spec', ticket: (await issueTicket()).encoded, features: [] });
  expect(member.effects).toContainEqual(expect.objectContaining({ kind: 'send', type: 'WELCOME', payload: expect.objectContaining({ state_hash: '4f'.repeat(32) }) }));
});

test('non-handshake messages are refused by name; driver misuse throws', () => {
  const { fleet, member } = Fleet.withMember(0xeb);
  const gossip = { framing: 'spec', type: 'GOSSIP', type_id: 32777, version: 1, payload: {}, raw: {} } as const;
  expect(handshakeStep(member.state, { kind: 'message', peer_id: member.node_id, message: gossip as never }, fleet.now).reject?.reason).toBe('unexpected_message');
  expect(() => handshakeStep(member.state, { kind: 'fleet_hash', fleet_hash: 'xyz' }, fleet.now)).toThrow(RangeError);
});
