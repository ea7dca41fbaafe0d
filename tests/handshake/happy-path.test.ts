/**
 * The handshake end to end (spec 001 §2.2; issue 2 §6): candidate and member machines talking
 * through the real codec, node-key signatures, node facts and real SQLite stores, in both
 * framings, plus the interop cases against cl-hive's own bytes (clhive-protocol.md §12).
 */
import { describe, expect, test } from 'bun:test';
import { admissionSigned } from '../../runtime/core/machines/admission.ts';
import { lightningSignedText } from '../../runtime/core/canonical/signed-text.ts';
import { recoverSigner } from '../../runtime/core/crypto/lnsign.ts';
import { decodeHiveHex } from '../../runtime/core/wire/decode.ts';
import { membershipHash } from '../../runtime/core/wire/signing/hashes.ts';
import { HIVE_ID, issueTicket, T0 } from '../ticket/fixtures.ts';
import { ANCHORS_ONLY_HEX, Fleet, type SimNode } from './pair.ts';

function sent(node: SimNode, type: string) {
  return node.effects.filter((e) => e.kind === 'send' && e.type === type);
}

function expectStoreMatchesState(node: SimNode) {
  expect(node.store.load()).toEqual(node.state.membership);
}

describe('spec framing with an invite ticket', () => {
  test('HELLO → CHALLENGE → ATTEST → WELCOME; both stores agree with the machines', async () => {
    const { fleet, member } = Fleet.withMember(0x10);
    const candidate = fleet.add(0x20);
    const { encoded, ticket } = await issueTicket({ requirements: 1 | 4, min_version: '0.1' });
    fleet.input(candidate, { kind: 'join', member_id: member.node_id, framing: 'spec', ticket: encoded, features: ['splice', 'anchor', 'proto-v2'] });

    expect(member.rejects).toEqual([]);
    expect(candidate.rejects).toEqual([]);
    expect(sent(candidate, 'HELLO')).toHaveLength(1);
    expect(sent(member, 'CHALLENGE')).toHaveLength(1);
    expect(sent(candidate, 'ATTEST')).toHaveLength(1);
    expect(sent(member, 'WELCOME')).toHaveLength(1);

    const admission = { by: member.node_id, via: 'ticket' as const, ticket_id: ticket.ticket_id, ticket_expires_at: ticket.expires_at, sig: expect.any(String) };
    expect(member.store.member(candidate.node_id)).toEqual({ node_id: candidate.node_id, tier: 'neophyte', joined_at: T0, addresses: [], admission });
    expect(admissionSigned(HIVE_ID, candidate.node_id, T0, member.store.member(candidate.node_id)!.admission!)).toBe(true);
    // The candidate keeps the proof the member signed for it, and binds its own ticket.
    expect(candidate.store.member(candidate.node_id)!.admission).toEqual(member.store.member(candidate.node_id)!.admission!);
    expect(candidate.store.usedTicket(ticket.ticket_id)?.used_by).toBe(candidate.node_id);
    expect(member.store.usedTicket(ticket.ticket_id)).toEqual({ ticket_id: ticket.ticket_id, used_by: candidate.node_id, used_at: T0, expires_at: ticket.expires_at });
    expect(member.store.challenges()).toEqual([]);
    expect(member.effects).toContainEqual({ kind: 'event', name: 'member_admitted', peer_id: candidate.node_id, via: 'ticket', version: 'hivebox v0.1.0', features: ['splice', 'anchor', 'proto-v2'] });

    expect(candidate.store.hive()).toEqual({ hive_id: HIVE_ID, created_at: T0, our_node_id: candidate.node_id, our_role: 'neophyte' });
    expect(candidate.store.member(candidate.node_id)?.tier).toBe('neophyte');
    expect(candidate.store.member(member.node_id)?.tier).toBe('member');
    expect(candidate.store.trustedAdmins().map((a) => a.admin_pubkey)).toEqual([ticket.admin_pubkey]);
    expect(candidate.state.joins.size).toBe(0);
    expectStoreMatchesState(member);
    expectStoreMatchesState(candidate);
  });

  test('the nonce signature covers the domain-separated challenge string', async () => {
    const { fleet, member } = Fleet.withMember(0x11);
    const candidate = fleet.add(0x21);
    fleet.input(candidate, { kind: 'join', member_id: member.node_id, framing: 'spec', ticket: (await issueTicket()).encoded, features: [] });
    const challenge = sent(member, 'CHALLENGE')[0]!;
    const attest = sent(candidate, 'ATTEST')[0]!;
    if (challenge.kind !== 'send' || attest.kind !== 'send') throw new Error();
    const nonce = challenge.payload.nonce as string;
    const domain = `hive:challenge:${HIVE_ID}:${member.node_id}:${nonce}`;
    expect(recoverSigner(lightningSignedText(domain), attest.payload.nonce_signature as string)).toBe(candidate.node_id);
    expect(recoverSigner(nonce, attest.payload.nonce_signature as string)).not.toBe(candidate.node_id);
    expect(attest.payload.hive_id).toBe(HIVE_ID);
    expect(attest.payload.member_node_id).toBe(member.node_id);
  });

  test('WELCOME carries the member list and its membership hash', async () => {
    const { fleet, member } = Fleet.withMember(0x12);
    const candidate = fleet.add(0x22);
    fleet.input(candidate, { kind: 'join', member_id: member.node_id, framing: 'spec', ticket: (await issueTicket()).encoded, features: [] });
    const welcome = sent(member, 'WELCOME')[0]!;
    if (welcome.kind !== 'send') throw new Error();
    const members = welcome.payload.members as { peer_id: string; tier: string }[];
    expect(members.map((m) => [m.peer_id, m.tier]).sort()).toEqual([[candidate.node_id, 'neophyte'], [member.node_id, 'member']].sort());
    expect(welcome.payload.membership_hash).toBe(membershipHash(members));
    expect(welcome.payload.member_count).toBe(2);
    expect(welcome.payload.tier).toBe('neophyte');
  });

  test('a neophyte does not admit others (not_admitting)', async () => {
    const { fleet, member } = Fleet.withMember(0x13);
    const first = fleet.add(0x23);
    const second = fleet.add(0x33);
    fleet.input(first, { kind: 'join', member_id: member.node_id, framing: 'spec', ticket: (await issueTicket({}, { seed: 1 })).encoded, features: [] });
    expect(first.store.hive()?.our_role).toBe('neophyte');
    fleet.input(second, { kind: 'join', member_id: first.node_id, framing: 'spec', ticket: (await issueTicket({}, { seed: 2 })).encoded, features: [] });
    expect(first.rejects.map((r) => r.reason)).toEqual(['not_admitting']);
  });
});

describe('cl-hive framing', () => {
  test('ticketless channel join when enabled, with a CHANNELD_NORMAL channel; nonce signed bare', () => {
    const { fleet, member } = Fleet.withMember(0x14, { config: { accept_clhive_channel_join: true } });
    const candidate = fleet.add(0x24, { features_hex: ANCHORS_ONLY_HEX });
    member.channels.set(candidate.node_id, ['CHANNELD_AWAITING_LOCKIN', 'CHANNELD_NORMAL']);
    fleet.input(candidate, { kind: 'join', member_id: member.node_id, framing: 'clhive', features: ['anchor', 'proto-v2'] });
    expect(member.rejects).toEqual([]);
    expect(member.store.member(candidate.node_id)?.tier).toBe('neophyte');
    const challenge = sent(member, 'CHALLENGE')[0]!;
    const attest = sent(candidate, 'ATTEST')[0]!;
    if (challenge.kind !== 'send' || attest.kind !== 'send') throw new Error();
    expect(challenge.framing).toBe('clhive');
    expect(recoverSigner(challenge.payload.nonce as string, attest.payload.nonce_signature as string)).toBe(candidate.node_id);
    expect('hive_id' in attest.payload).toBe(false);
    expect(member.effects).toContainEqual(expect.objectContaining({ name: 'member_admitted', via: 'channel' }));
    expectStoreMatchesState(member);
    expectStoreMatchesState(candidate);
  });

  test('a ticket is honoured in cl-hive framing too', async () => {
    const { fleet, member } = Fleet.withMember(0x15);
    const candidate = fleet.add(0x25);
    fleet.input(candidate, { kind: 'join', member_id: member.node_id, framing: 'clhive', ticket: (await issueTicket()).encoded, features: [] });
    expect(member.store.member(candidate.node_id)?.tier).toBe('neophyte');
  });

  test('auto framing: a member deaf to spec framing answers the clhive HELLO sent after 30 s', async () => {
    const { fleet, member } = Fleet.withMember(0x16, { clhive: true });
    const candidate = fleet.add(0x26);
    fleet.input(candidate, { kind: 'join', member_id: member.node_id, framing: 'auto', ticket: (await issueTicket()).encoded, features: [] });
    expect(sent(candidate, 'HELLO').map((e) => e.kind === 'send' && e.framing)).toEqual(['spec']);
    expect(member.effects).toEqual([]);
    fleet.tick(29);
    expect(sent(candidate, 'HELLO')).toHaveLength(1);
    fleet.tick(1);
    expect(sent(candidate, 'HELLO').map((e) => e.kind === 'send' && e.framing)).toEqual(['spec', 'clhive']);
    expect(member.store.member(candidate.node_id)?.tier).toBe('neophyte');
    expect(candidate.store.hive()?.hive_id).toBe(HIVE_ID);
  });

  test('auto framing without a ticket starts in cl-hive framing (a spec HELLO needs a ticket)', () => {
    const fleet = new Fleet();
    const candidate = fleet.add(0x28);
    const other = fleet.add(0x38);
    fleet.input(candidate, { kind: 'join', member_id: other.node_id, framing: 'auto', features: [] });
    expect(sent(candidate, 'HELLO').map((e) => e.kind === 'send' && e.framing)).toEqual(['clhive']);
  });

  test('auto framing: nobody answers → join_failed no_answer after both attempts', async () => {
    const fleet = new Fleet();
    const candidate = fleet.add(0x27);
    const silent = fleet.add(0x37, { clhive: true });
    fleet.input(candidate, { kind: 'join', member_id: silent.node_id, framing: 'auto', ticket: (await issueTicket()).encoded, features: [] });
    fleet.tick(30);
    fleet.tick(30);
    expect(candidate.effects).toContainEqual({ kind: 'event', name: 'join_failed', member_id: silent.node_id, reason: 'no_answer' });
    expect(candidate.state.joins.size).toBe(0);
  });

  test("cl-hive's own HELLO bytes (clhive-protocol.md §12, pubkey = G) reach the member machine", () => {
    const hex =
      '484956457b2274797065223a33323736392c2276657273696f6e223a312c227061796c6f6164223a7b227075626b6579223a22303237396265363637656639646362626163353561303632393563653837306230373032396266636462326463653238643935396632383135623136663831373938222c2270726f746f636f6c5f76657273696f6e223a312c22737570706f727465645f76657273696f6e73223a5b312c325d7d7d';
    const decoded = decodeHiveHex(hex);
    if (decoded.kind !== 'message') throw new Error(decoded.kind);
    const { fleet, member } = Fleet.withMember(0x17);
    const g = fleet.add(Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? 1 : 0)));
    fleet.input(member, { kind: 'message', peer_id: g.node_id, message: decoded.message });
    expect(member.rejects.map((r) => r.reason)).toEqual(['channel_join_disabled']);
    const open = fleet.add(0x18, { config: { accept_clhive_channel_join: true } });
    fleet.genesis(open);
    open.channels.set(g.node_id, ['CHANNELD_NORMAL']);
    fleet.input(open, { kind: 'message', peer_id: g.node_id, message: decoded.message });
    expect(sent(open, 'CHALLENGE')).toHaveLength(1);
    expect(g.node_id as string).toBe('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798');
  });
});
