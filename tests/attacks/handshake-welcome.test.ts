/**
 * WELCOME forgery (clhive-protocol.md §15 item 3): cl-hive accepts WELCOME from anyone and adopts
 * the tier it names. Hivebox accepts it only from the member it attested to, only after ATTEST,
 * only for the hive that challenged it, and records itself as neophyte whatever the message says.
 */
import { expect, test } from 'bun:test';
import { membershipHash } from '../../runtime/core/wire/signing/hashes.ts';
import { HIVE_ID, issueTicket } from '../ticket/fixtures.ts';
import { Fleet, type SimNode } from '../handshake/pair.ts';
import { expectRefusedUnchanged } from './handshake-fixtures.ts';

function welcome(from: SimNode, to: SimNode, over: Record<string, unknown> = {}) {
  const members = [
    { peer_id: from.node_id, tier: 'member', joined_at: 1 },
    { peer_id: to.node_id, tier: 'member', joined_at: 2 },
  ];
  return Fleet.encode('WELCOME', { hive_id: HIVE_ID, tier: 'member', member_count: 2, state_hash: '0'.repeat(64), members, membership_hash: membershipHash(members), ...over }, 'spec');
}

test('WELCOME from a stranger → unsolicited_welcome, store unchanged', () => {
  const fleet = new Fleet();
  const node = fleet.add(0x60);
  const stranger = fleet.add(0x61);
  expectRefusedUnchanged(node, 'unsolicited_welcome', () => fleet.deliverBytes(stranger, node, welcome(stranger, node)));
  expect(node.store.hive()).toBeNull();
});

test('WELCOME before our ATTEST → welcome_before_attest, store unchanged', async () => {
  const fleet = new Fleet();
  const candidate = fleet.add(0x62);
  const member = fleet.add(0x63, { clhive: true });
  fleet.input(candidate, { kind: 'join', member_id: member.node_id, framing: 'spec', ticket: (await issueTicket()).encoded, features: [] });
  expect(candidate.state.joins.get(member.node_id)?.phase).toBe('hello_sent');
  expectRefusedUnchanged(candidate, 'welcome_before_attest', () => fleet.deliverBytes(member, candidate, welcome(member, candidate)));
});

/**
 * A candidate whose join with `deaf` (a node that ignores spec framing and never answers) has
 * reached `attested`: the test plays the member's CHALLENGE by hand, the candidate signs and
 * sends ATTEST, and no WELCOME comes — so the test can send its own.
 */
function attestedJoin(byte: number) {
  const fleet = new Fleet();
  const c = fleet.add(byte);
  const deaf = fleet.add(byte + 1, { clhive: true });
  fleet.input(c, { kind: 'join', member_id: deaf.node_id, framing: 'clhive', features: [] });
  fleet.deliverBytes(deaf, c, Fleet.encode('CHALLENGE', { nonce: 'ef'.repeat(32), hive_id: HIVE_ID }, 'clhive'));
  expect(c.state.joins.get(deaf.node_id)?.phase).toBe('attested');
  return { fleet, c, deaf };
}

test('WELCOME claiming tier member → recorded as neophyte, tier_overridden logged', () => {
  const { fleet, c, deaf } = attestedJoin(0x64);
  fleet.deliverBytes(deaf, c, welcome(deaf, c));
  expect(c.store.hive()).toEqual({ hive_id: HIVE_ID, created_at: fleet.now, our_node_id: c.node_id, our_role: 'neophyte' });
  expect(c.store.member(c.node_id)?.tier).toBe('neophyte');
  expect(c.store.member(deaf.node_id)?.tier).toBe('member');
  expect(c.effects).toContainEqual(expect.objectContaining({ kind: 'log', event: 'tier_overridden', fields: { claimed_tier: 'member', recorded_tier: 'neophyte' } }));
  expect(c.store.load()).toEqual(c.state.membership);
});

test('WELCOME for another hive than the one that challenged us → hive_mismatch, store unchanged', () => {
  const { fleet, c, deaf } = attestedJoin(0x68);
  expectRefusedUnchanged(c, 'hive_mismatch', () => fleet.deliverBytes(deaf, c, welcome(deaf, c, { hive_id: 'hive_other' })));
});

test('WELCOME whose member list does not match its membership hash: the codec refuses it, and so does the machine', () => {
  const { fleet, c, deaf } = attestedJoin(0x6a);
  const members = [{ peer_id: deaf.node_id, tier: 'member' as const, joined_at: 1 }];
  const payload = { hive_id: HIVE_ID, tier: 'neophyte' as const, member_count: 1, state_hash: '0'.repeat(64), members, membership_hash: 'ab'.repeat(32) };
  expect(() => Fleet.encode('WELCOME', payload, 'spec')).toThrow('membership_hash');
  const message = { framing: 'spec', type: 'WELCOME', type_id: 32775, version: 1, payload, raw: {} } as const;
  expectRefusedUnchanged(c, 'membership_hash_mismatch', () => fleet.deliverMessage(deaf, c, message));
});

test('WELCOME from a third party while a join is attested → unsolicited_welcome', () => {
  const { fleet, c } = attestedJoin(0x6c);
  const third = fleet.add(0x6e);
  expectRefusedUnchanged(c, 'unsolicited_welcome', () => fleet.deliverBytes(third, c, welcome(third, c)));
});
