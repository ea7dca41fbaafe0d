/**
 * Manifest spoofing (spec 000 §6, §4.3 "Active Capability Probing"): features a manifest claims
 * are checked against the BOLT 9 features the peer actually negotiated with us (CLN `listpeers`
 * → `features`); a false claim rejects the manifest as fraudulent, logged with the evidence.
 * Ticket requirements are judged on negotiated features too, never on claims.
 */
import { expect, test } from 'bun:test';
import { HIVE_ID, issueTicket } from '../ticket/fixtures.ts';
import { ANCHORS_ONLY_HEX, Fleet } from '../handshake/pair.ts';
import { attestPayload, expectRefusedUnchanged, openChallenge } from './handshake-fixtures.ts';

test('claiming splice without negotiating it → fraudulent_manifest with evidence, store unchanged', async () => {
  const { fleet, member } = Fleet.withMember(0x80);
  const liar = fleet.add(0x81, { features_hex: ANCHORS_ONLY_HEX });
  const c = openChallenge(fleet, member, liar, 'spec', (await issueTicket()).encoded);
  const p = attestPayload(
    { signer: liar, nonce: c.nonce, hive_id: HIVE_ID, member_node_id: member.node_id, framing: 'spec', features: ['splice', 'anchor', 'proto-v2'] },
    fleet.now,
  );
  expectRefusedUnchanged(member, 'fraudulent_manifest', () => fleet.deliverBytes(liar, member, Fleet.encode('ATTEST', p, 'spec')));
  expect(member.effects.at(-1)).toEqual({
    kind: 'log',
    level: 'warn',
    event: 'handshake_reject',
    reason: 'fraudulent_manifest',
    peer_id: liar.node_id,
    fields: { msg_type: 'ATTEST', claimed: ['splice', 'anchor'], proven: ['anchor'], unproven: ['splice'], features_hex: ANCHORS_ONLY_HEX },
  });
  const honest = attestPayload(
    { signer: liar, nonce: c.nonce, hive_id: HIVE_ID, member_node_id: member.node_id, framing: 'spec', features: ['anchor', 'proto-v2'] },
    fleet.now,
  );
  fleet.deliverBytes(liar, member, Fleet.encode('ATTEST', honest, 'spec'));
  expect(member.store.member(liar.node_id)?.tier).toBe('neophyte');
});

test('the end-to-end candidate claiming what it lacks is refused the same way', async () => {
  const { fleet, member } = Fleet.withMember(0x82);
  const liar = fleet.add(0x83, { features_hex: ANCHORS_ONLY_HEX });
  const dump = member.store.dump();
  fleet.input(liar, { kind: 'join', member_id: member.node_id, framing: 'spec', ticket: (await issueTicket()).encoded, features: ['dual-fund'] });
  expect(member.rejects.map((r) => r.reason)).toEqual(['fraudulent_manifest']);
  expect(member.store.member(liar.node_id)).toBeNull();
  // Only the challenge and the ticket binding from the accepted HELLO were written.
  expect(member.store.dump().members).toEqual(dump.members);
});

test('ticket requirements are judged on negotiated features → ticket_requirements_not_met, store unchanged', async () => {
  const { fleet, member } = Fleet.withMember(0x84);
  const weak = fleet.add(0x85, { features_hex: ANCHORS_ONLY_HEX });
  const { encoded } = await issueTicket({ requirements: 1 });
  expectRefusedUnchanged(member, 'ticket_requirements_not_met', () =>
    fleet.deliverBytes(weak, member, Fleet.encode('HELLO', { pubkey: weak.node_id, protocol_version: 1, ticket: encoded }, 'spec')),
  );
  expect(member.effects.findLast((e) => e.kind === 'log')).toMatchObject({ reason: 'ticket_requirements_not_met', fields: { missing: ['splice'] } });
  expect(member.effects.at(-1)).toMatchObject({ kind: 'send', peer_id: weak.node_id, type: 'JOIN_REFUSED', payload: { rule: 'ticket_requirements_not_met', detail: 'missing splice' } });
});

test('a manifest version below the ticket minimum → ticket_version_too_old, store unchanged', async () => {
  const { fleet, member } = Fleet.withMember(0x86);
  const old = fleet.add(0x87);
  const c = openChallenge(fleet, member, old, 'spec', (await issueTicket({ min_version: '2.0' })).encoded);
  const p = attestPayload({ signer: old, nonce: c.nonce, hive_id: HIVE_ID, member_node_id: member.node_id, framing: 'spec', version: 'hivebox v1.9.9' }, fleet.now);
  expectRefusedUnchanged(member, 'ticket_version_too_old', () => fleet.deliverBytes(old, member, Fleet.encode('ATTEST', p, 'spec')));
});

test('another implementation\'s manifest ("cl-hive v2.2.6") against --req-version 1.0 → ticket_version_too_old, store unchanged', async () => {
  const { fleet, member } = Fleet.withMember(0x8a);
  const other = fleet.add(0x8b);
  const c = openChallenge(fleet, member, other, 'spec', (await issueTicket({ min_version: '1.0' })).encoded);
  const p = attestPayload({ signer: other, nonce: c.nonce, hive_id: HIVE_ID, member_node_id: member.node_id, framing: 'spec', version: 'cl-hive v2.2.6' }, fleet.now);
  expectRefusedUnchanged(member, 'ticket_version_too_old', () => fleet.deliverBytes(other, member, Fleet.encode('ATTEST', p, 'spec')));
});

test('a peer whose features the node cannot report (disconnected) → facts_unavailable', async () => {
  const { fleet, member } = Fleet.withMember(0x88);
  const ghost = fleet.add(0x89);
  ghost.features_hex = 'not-hex';
  const { encoded } = await issueTicket();
  expectRefusedUnchanged(member, 'facts_unavailable', () =>
    fleet.deliverBytes(ghost, member, Fleet.encode('HELLO', { pubkey: ghost.node_id, protocol_version: 1, ticket: encoded }, 'spec')),
  );
});
