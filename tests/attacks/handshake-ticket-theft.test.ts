/**
 * Ticket theft and join authorisation (spec 000 §6 "Ticket Theft"; issue 2 §5–6): a ticket is
 * bound to the first node that presents it; used tickets are recorded so a stolen one fails at the
 * same member (at any other member that learned the use from the admission proof: see
 * fleet-admission.test.ts, which runs the whole fleet); expired tickets,
 * spec HELLOs without a ticket and ticketless cl-hive joins without the operator's consent or a
 * CHANNELD_NORMAL channel are refused — each without touching the store.
 */
import { expect, test } from 'bun:test';
import { issueTicket } from '../ticket/fixtures.ts';
import { Fleet } from '../handshake/pair.ts';
import { expectRefusedUnchanged, helloBytes } from './handshake-fixtures.ts';

test('stolen ticket used by a second node at the same member → ticket_already_used, store unchanged', async () => {
  const { fleet, member } = Fleet.withMember(0x90);
  const owner = fleet.add(0x91);
  const thief = fleet.add(0x92);
  const { encoded, ticket } = await issueTicket();
  fleet.input(owner, { kind: 'join', member_id: member.node_id, framing: 'spec', ticket: encoded, features: [] });
  expect(member.store.usedTicket(ticket.ticket_id)?.used_by).toBe(owner.node_id);
  expectRefusedUnchanged(member, 'ticket_already_used', () => fleet.deliverBytes(thief, member, helloBytes(thief, 'spec', encoded)));
});

test('a thief racing ahead binds the ticket to itself first; the owner is then refused (one node per ticket)', async () => {
  const { fleet, member } = Fleet.withMember(0x93);
  const owner = fleet.add(0x94);
  const thief = fleet.add(0x95);
  const { encoded } = await issueTicket();
  fleet.deliverBytes(thief, member, helloBytes(thief, 'spec', encoded));
  expectRefusedUnchanged(member, 'ticket_already_used', () => fleet.deliverBytes(owner, member, helloBytes(owner, 'spec', encoded)));
});

test('expired ticket → ticket_expired, store unchanged', async () => {
  const { fleet, member } = Fleet.withMember(0x9a);
  const late = fleet.add(0x9b);
  const { encoded } = await issueTicket({ valid_hours: 1 });
  fleet.now += 3601;
  expectRefusedUnchanged(member, 'ticket_expired', () => fleet.deliverBytes(late, member, helloBytes(late, 'spec', encoded)));
});

test('every ticket reject surfaces by name at the member', async () => {
  const { fleet, member } = Fleet.withMember(0x9c);
  const cases: [string, string][] = [
    ['ticket_wrong_hive', (await issueTicket({ hive_id: 'hive_other' })).encoded],
    ['ticket_not_yet_valid', (await issueTicket({}, { now: fleet.now + 1000, seed: 3 })).encoded],
    ['ticket_malformed', 'AAAA'],
  ];
  let byte = 0xb0;
  for (const [reason, encoded] of cases) {
    const peer = fleet.add(byte++);
    expectRefusedUnchanged(member, reason as never, () => fleet.deliverBytes(peer, member, helloBytes(peer, 'spec', encoded)));
  }
  const { adminSigner } = await import('../ticket/fixtures.ts');
  const rogue = (await issueTicket({}, { signer: adminSigner(new Uint8Array(32).fill(0x5a)) })).encoded;
  const peer = fleet.add(byte++);
  expectRefusedUnchanged(member, 'ticket_admin_not_trusted', () => fleet.deliverBytes(peer, member, helloBytes(peer, 'spec', rogue)));
});

test('spec-framing HELLO without a ticket → ticket_required (machine), and the codec refuses it too', () => {
  const { fleet, member } = Fleet.withMember(0x9d);
  const peer = fleet.add(0x9e);
  expect(() => helloBytes(peer, 'spec')).toThrow('ticket');
  const message = { framing: 'spec', type: 'HELLO', type_id: 32769, version: 1, payload: { pubkey: peer.node_id, protocol_version: 1 }, raw: {} } as const;
  expectRefusedUnchanged(member, 'ticket_required', () => fleet.deliverMessage(peer, member, message));
});

test('ticketless cl-hive join: off by default → channel_join_disabled; enabled without CHANNELD_NORMAL → no_channel', () => {
  const fleet = new Fleet();
  const closed = fleet.add(0xa0);
  const open = fleet.add(0xa1, { config: { accept_clhive_channel_join: true } });
  const peer = fleet.add(0xa2);
  fleet.genesis(closed);
  fleet.genesis(open);
  open.channels.set(peer.node_id, ['CHANNELD_AWAITING_LOCKIN', 'ONCHAIN']);
  expectRefusedUnchanged(closed, 'channel_join_disabled', () => fleet.deliverBytes(peer, closed, helloBytes(peer, 'clhive')));
  expectRefusedUnchanged(open, 'no_channel', () => fleet.deliverBytes(peer, open, helloBytes(peer, 'clhive')));
});

test('HELLO whose pubkey is not the sending peer → pubkey_mismatch; banned peers and existing members are refused', async () => {
  const { fleet, member } = Fleet.withMember(0xa3);
  const peer = fleet.add(0xa4);
  const joined = fleet.add(0xa5);
  fleet.input(joined, { kind: 'join', member_id: member.node_id, framing: 'spec', ticket: (await issueTicket({}, { seed: 7 })).encoded, features: [] });
  const { encoded } = await issueTicket();
  expectRefusedUnchanged(member, 'pubkey_mismatch', () => fleet.deliverBytes(peer, member, helloBytes(joined, 'spec', encoded)));
  // A member someone else admitted is refused; one we admitted ourselves is challenged again (its WELCOME may have been lost).
  const elsewhere = fleet.add(0xa6);
  expect(member.store.applyWrites([{ op: 'put_member', member: { node_id: elsewhere.node_id, tier: 'neophyte', joined_at: fleet.now, addresses: [] } }])).toEqual({ ok: true });
  member.state = { ...member.state, membership: member.store.load() };
  expectRefusedUnchanged(member, 'already_member', () => fleet.deliverBytes(elsewhere, member, helloBytes(elsewhere, 'spec', encoded)));
  expect(member.store.applyWrites([{ op: 'put_ban', ban: { node_id: peer.node_id, reason: 'test', banned_at: fleet.now, expires_at: null } }])).toEqual({ ok: true });
  member.state = { ...member.state, membership: member.store.load() };
  expectRefusedUnchanged(member, 'banned', () => fleet.deliverBytes(peer, member, helloBytes(peer, 'spec', encoded)));
});
