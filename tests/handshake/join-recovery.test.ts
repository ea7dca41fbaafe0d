/**
 * Join recovery in the handshake machines (issue 15 item 4): the candidate re-sends ATTEST every
 * 10 s until WELCOME comes; a member restarted from its store answers it from the persisted
 * challenge; a member that admitted us but whose WELCOME was lost sends WELCOME again, both on a
 * retried ATTEST and on a join the operator started again. (With real daemons and kill -9:
 * tests/engine/join-restart.test.ts.)
 */
import { expect, test } from 'bun:test';
import { HANDSHAKE_LIMITS } from '../../runtime/core/machines/handshake-limits.ts';
import { initialHandshakeState } from '../../runtime/core/machines/handshake-types.ts';
import { issueTicket } from '../ticket/fixtures.ts';
import { Fleet, type SimNode } from './pair.ts';

const sent = (n: SimNode, type: string) => n.effects.filter((e) => e.kind === 'send' && e.type === type);

test('ATTEST lost while the member is away: the member restarted from its store answers the re-sent ATTEST', async () => {
  const { fleet, member } = Fleet.withMember(0x70);
  const candidate = fleet.add(0x71);
  fleet.loseNext(candidate, 'ATTEST');
  fleet.input(candidate, { kind: 'join', member_id: member.node_id, framing: 'spec', ticket: (await issueTicket()).encoded, features: [] });
  expect(member.store.challenges().map((c) => c.peer_id as string)).toEqual([candidate.node_id]);
  expect(candidate.state.joins.get(member.node_id)?.phase).toBe('attested');
  // The member "restarts": its memory is gone, its store (with the challenge) is what it loads.
  member.state = initialHandshakeState(member.state.config, member.store.load());
  fleet.tick(HANDSHAKE_LIMITS.attestRetry_s - 1);
  expect(sent(candidate, 'ATTEST')).toHaveLength(1);
  fleet.tick(1);
  expect(sent(candidate, 'ATTEST')).toHaveLength(2);
  expect(candidate.state.membership.hive?.our_role).toBe('neophyte');
  expect(member.store.member(candidate.node_id)?.admission?.by).toBe(member.node_id);
  expect(member.store.challenges()).toEqual([]);
});

test('WELCOME lost after the admission committed: the re-sent ATTEST gets WELCOME again, nothing written twice', async () => {
  const { fleet, member } = Fleet.withMember(0x72);
  const candidate = fleet.add(0x73);
  fleet.loseNext(member, 'WELCOME');
  fleet.input(candidate, { kind: 'join', member_id: member.node_id, framing: 'spec', ticket: (await issueTicket()).encoded, features: [] });
  expect(member.store.member(candidate.node_id)?.tier).toBe('neophyte');
  expect(candidate.state.membership.hive).toBeNull();
  const dump = member.store.dump();
  fleet.tick(HANDSHAKE_LIMITS.attestRetry_s);
  expect(candidate.state.membership.hive?.our_role).toBe('neophyte');
  expect(sent(member, 'WELCOME')).toHaveLength(2);
  expect(member.store.dump()).toEqual(dump);
});

test('WELCOME lost, then the operator runs the join again: the member challenges its own admitted node and welcomes it', async () => {
  const { fleet, member } = Fleet.withMember(0x74);
  const candidate = fleet.add(0x75);
  const { encoded } = await issueTicket();
  fleet.loseNext(member, 'WELCOME');
  fleet.input(candidate, { kind: 'join', member_id: member.node_id, framing: 'spec', ticket: encoded, features: [] });
  expect(candidate.state.membership.hive).toBeNull();
  const row = member.store.member(candidate.node_id);
  fleet.now += HANDSHAKE_LIMITS.helloInterval_s;
  fleet.input(candidate, { kind: 'join', member_id: member.node_id, framing: 'spec', ticket: encoded, features: [] });
  expect(candidate.rejects).toEqual([]);
  expect(candidate.state.membership.hive?.our_role).toBe('neophyte');
  expect(sent(candidate, 'HELLO')).toHaveLength(2);
  expect(member.store.member(candidate.node_id)).toEqual(row);
  expect(member.store.challenges()).toEqual([]);
});
