/**
 * Replay (spec 000 §6 "Replay Attack"): a captured handshake is worthless because every nonce is
 * single-use, lives 300 s, and is bound to the peer and the hive (clhive-protocol.md §3.5).
 */
import { expect, test } from 'bun:test';
import { HIVE_ID, issueTicket } from '../ticket/fixtures.ts';
import { Fleet } from '../handshake/pair.ts';
import { attestPayload, expectRefusedUnchanged, openChallenge } from './handshake-fixtures.ts';

test('replayed ATTEST after a successful join → WELCOME again (a lost WELCOME is recovered), store unchanged', async () => {
  const { fleet, member } = Fleet.withMember(0x40);
  const candidate = fleet.add(0x41);
  fleet.input(candidate, { kind: 'join', member_id: member.node_id, framing: 'spec', ticket: (await issueTicket()).encoded, features: [] });
  expect(member.store.member(candidate.node_id)?.tier).toBe('neophyte');
  const attestBytes = candidate.effects.find((e) => e.kind === 'send' && e.type === 'ATTEST');
  if (attestBytes?.kind !== 'send') throw new Error();
  const dump = member.store.dump();
  const membership = member.state.membership;
  const before = member.effects.length;
  fleet.deliverBytes(candidate, member, Fleet.encode('ATTEST', attestBytes.payload as Record<string, unknown>, 'spec'));
  const after = member.effects.slice(before);
  expect(after.filter((e) => e.kind === 'persist')).toEqual([]);
  expect(after).toContainEqual(expect.objectContaining({ kind: 'send', type: 'WELCOME', peer_id: candidate.node_id }));
  expect(member.store.dump()).toEqual(dump);
  expect(member.state.membership).toBe(membership);
});

test('replayed ATTEST for a superseded challenge → nonce_mismatch, store unchanged', async () => {
  const { fleet, member } = Fleet.withMember(0x42);
  const peer = fleet.add(0x43);
  const { encoded } = await issueTicket();
  const first = openChallenge(fleet, member, peer, 'spec', encoded);
  const old = attestPayload({ signer: peer, nonce: first.nonce, hive_id: HIVE_ID, member_node_id: member.node_id, framing: 'spec' }, fleet.now);
  fleet.now += 10;
  const second = openChallenge(fleet, member, peer, 'spec', encoded);
  expect(second.nonce).not.toBe(first.nonce);
  expectRefusedUnchanged(member, 'nonce_mismatch', () => fleet.deliverBytes(peer, member, Fleet.encode('ATTEST', old, 'spec')));
});

test('ATTEST after the 300 s challenge TTL → challenge_expired, store unchanged; the tick then removes it', async () => {
  const { fleet, member } = Fleet.withMember(0x44);
  const peer = fleet.add(0x45);
  const c = openChallenge(fleet, member, peer, 'spec', (await issueTicket()).encoded);
  fleet.now += 301;
  const late = attestPayload({ signer: peer, nonce: c.nonce, hive_id: HIVE_ID, member_node_id: member.node_id, framing: 'spec' }, fleet.now);
  expectRefusedUnchanged(member, 'challenge_expired', () => fleet.deliverBytes(peer, member, Fleet.encode('ATTEST', late, 'spec')));
  fleet.tick(0);
  expect(member.store.challenges()).toEqual([]);
  expect(member.store.load()).toEqual(member.state.membership);
});

test('a challenge still inside its TTL is kept by the tick', async () => {
  const { fleet, member } = Fleet.withMember(0x46);
  const peer = fleet.add(0x47);
  openChallenge(fleet, member, peer, 'spec', (await issueTicket()).encoded);
  fleet.tick(300);
  expect(member.store.challenges()).toHaveLength(1);
  fleet.tick(1);
  expect(member.store.challenges()).toHaveLength(0);
});

test('ATTEST with a stale manifest timestamp → stale_manifest, store unchanged', async () => {
  const { fleet, member } = Fleet.withMember(0x48);
  const peer = fleet.add(0x49);
  const c = openChallenge(fleet, member, peer, 'spec', (await issueTicket()).encoded);
  const p = attestPayload({ signer: peer, nonce: c.nonce, hive_id: HIVE_ID, member_node_id: member.node_id, framing: 'spec', timestamp: fleet.now - 301 }, fleet.now);
  expectRefusedUnchanged(member, 'stale_manifest', () => fleet.deliverBytes(peer, member, Fleet.encode('ATTEST', p, 'spec')));
});

test('ATTEST from a peer that was never challenged → no_challenge, store unchanged', () => {
  const { fleet, member } = Fleet.withMember(0x4a);
  const peer = fleet.add(0x4b);
  const p = attestPayload({ signer: peer, nonce: 'ab'.repeat(32), hive_id: HIVE_ID, member_node_id: member.node_id, framing: 'spec' }, fleet.now);
  expectRefusedUnchanged(member, 'no_challenge', () => fleet.deliverBytes(peer, member, Fleet.encode('ATTEST', p, 'spec')));
});
