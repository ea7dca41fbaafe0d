/**
 * WELCOME larger than one message (issue 19 §5): a hive of a hundred members, each row carrying its
 * admission proof and its addresses, lists ~80 kB of rows, past the 65,535-byte limit where the
 * encoder refuses a message. The admitting member sends the rows as several WELCOME parts
 * (runtime/core/machines/handshake-member.ts), the candidate reassembles them (handshake-candidate.ts)
 * — in any order, repeats included — and joins with every row; nothing is dropped.
 */
import { expect, test } from 'bun:test';
import { lightningSignedText } from '../../runtime/core/canonical/signed-text.ts';
import { signMessage } from '../../runtime/core/crypto/lnsign.ts';
import { persist, type StoreWrite } from '../../runtime/core/machines/membership.ts';
import type { NodeId } from '../../runtime/core/types.ts';
import { decodeHiveMessage } from '../../runtime/core/wire/decode.ts';
import { admissionSigningString } from '../../runtime/core/wire/payloads/admission.ts';
import { WIRE_LIMITS } from '../../runtime/core/wire/limits.ts';
import { HIVE_ID, issueTicket, nodeIdOf, secretKey, T0 } from '../ticket/fixtures.ts';
import { Fleet, type SimNode } from './pair.ts';

const ADDRESSES = (i: number) => [
  `203.0.${i}.7:9735`,
  `[2001:db8:${i.toString(16)}::7]:9735`,
  `${'a'.repeat(52)}${String(i).padStart(4, '0')}.onion:9735`,
  `node-${i}.example.net:9735`,
  `${'b'.repeat(52)}${String(i).padStart(4, '0')}.onion:9736`,
  `[2001:db8:${i.toString(16)}::8]:9736`,
];

/** `count` neophytes admitted by `member` with tickets, proofs signed by its node key, six addresses each. */
function seedNeophytes(member: SimNode, count: number): void {
  const writes: StoreWrite[] = [];
  for (let i = 0; i < count; i++) {
    const node_id = nodeIdOf(secretKey(0x40 + i)) as NodeId;
    const unsigned = { by: member.node_id, via: 'ticket' as const, ticket_id: i.toString(16).padStart(32, '0'), ticket_expires_at: T0 + 86_400 };
    const sig = signMessage(lightningSignedText(admissionSigningString(HIVE_ID, node_id, T0, unsigned)), member.sk);
    writes.push(
      { op: 'put_member', member: { node_id, tier: 'neophyte', joined_at: T0, addresses: ADDRESSES(i), admission: { ...unsigned, sig } } },
      { op: 'use_ticket', use: { ticket_id: unsigned.ticket_id, used_by: node_id, used_at: T0, expires_at: unsigned.ticket_expires_at } },
    );
  }
  const c = member.store.commit(persist(...writes));
  if (!c.ok) throw new Error(JSON.stringify(c.error));
  member.state = { ...member.state, membership: member.store.load() };
}

const welcomes = (node: SimNode) => node.effects.filter((e) => e.kind === 'send' && e.type === 'WELCOME');

test('a 100-member WELCOME goes in parts under 65,535 bytes each and the candidate takes every row', async () => {
  const { fleet, member } = Fleet.withMember(0x31, { config: { max_members: 100 } });
  seedNeophytes(member, 98);
  const candidate = fleet.add(0x32, { config: { max_members: 100 } });
  const { encoded } = await issueTicket();
  fleet.input(candidate, { kind: 'join', member_id: member.node_id, framing: 'spec', ticket: encoded, features: [] });

  expect(member.rejects).toEqual([]);
  expect(candidate.rejects).toEqual([]);
  const parts = welcomes(member);
  expect(parts.length).toBeGreaterThan(1);
  const sizes = parts.map((p) => Fleet.encode('WELCOME', p.kind === 'send' ? (p.payload as Record<string, unknown>) : {}, 'spec').length);
  expect(sizes.reduce((a, b) => a + b, 0)).toBeGreaterThan(WIRE_LIMITS.maxMessageBytes);
  for (const size of sizes) expect(size).toBeLessThanOrEqual(WIRE_LIMITS.maxMessageBytes);

  expect(candidate.state.membership.hive?.our_role).toBe('neophyte');
  expect(candidate.state.membership.members.size).toBe(100);
  expect(candidate.store.load()).toEqual(candidate.state.membership);
  for (const [id, row] of member.state.membership.members) {
    expect(candidate.state.membership.members.get(id)?.addresses).toEqual(row.addresses);
    if (id !== candidate.node_id && row.admission) expect(candidate.state.membership.members.get(id)?.admission).toEqual(row.admission);
  }
  expect(candidate.state.joins.size).toBe(0);
});

test('parts are reassembled in any order and a repeated part is harmless; an incomplete or inconsistent set changes nothing', async () => {
  const { fleet, member } = Fleet.withMember(0x33, { config: { max_members: 100 } });
  seedNeophytes(member, 98);
  const candidate = fleet.add(0x34, { config: { max_members: 100 } });
  fleet.loseNext(member, 'WELCOME');
  fleet.loseNext(member, 'WELCOME');
  const { encoded } = await issueTicket();
  fleet.input(candidate, { kind: 'join', member_id: member.node_id, framing: 'spec', ticket: encoded, features: [] });
  // Every part lost: the candidate is still attested, nothing written.
  expect(candidate.state.membership.hive).toBeNull();
  const parts = welcomes(member).map((p) => (p.kind === 'send' ? Fleet.encode('WELCOME', p.payload as Record<string, unknown>, 'spec') : new Uint8Array()));
  expect(parts.length).toBe(2);
  const message = (bytes: Uint8Array) => {
    const d = decodeHiveMessage(bytes);
    if (d.kind !== 'message') throw new Error('part does not decode');
    return d.message;
  };

  // A forged second part repeating the first part's rows: the set does not add up to member_count
  // once complete, so it is refused whole and nothing is written.
  const first = message(parts[0]!);
  const forged = { ...first, raw: { ...first.raw, hivebox_part: { index: 1, count: 2 } } } as typeof first;
  fleet.deliverMessage(member, candidate, forged);
  expect(candidate.state.membership.hive).toBeNull();
  fleet.deliverMessage(member, candidate, first);
  expect(candidate.rejects.at(-1)).toMatchObject({ reason: 'welcome_parts_mismatch' });
  expect(candidate.state.membership.hive).toBeNull();
  expect(candidate.store.hive()).toBeNull();

  // The member's next WELCOME (re-sent on the candidate's ATTEST retry), taken in reverse order with a repeat.
  fleet.deliverBytes(member, candidate, parts[1]!);
  fleet.deliverBytes(member, candidate, parts[1]!);
  expect(candidate.state.membership.hive).toBeNull();
  fleet.deliverBytes(member, candidate, parts[0]!);
  expect(candidate.state.membership.members.size).toBe(100);
  expect(candidate.store.load()).toEqual(candidate.state.membership);
});
