/**
 * Attack: vote stuffing (spec 001 §3.4; clhive-protocol.md §6.4–6.5). Ban votes and vouches from
 * outsiders, neophytes or banned members, a second vote by the same member, a vote by the ban
 * target, and a PROMOTION padded with vouches from non-members: each refused, state unchanged,
 * and a double vote never counts twice.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import type { PyJson } from '../../runtime/core/canonical/python-json.ts';
import { bytesOf, signed } from '../sim/craft.ts';
import type { FleetSim, SimNode } from '../sim/fleet-sim.ts';
import { expectRefusedUnchanged, startedFleet } from './fleet-fixtures.ts';

let sim: FleetSim;
afterEach(() => sim.close());

function proposeBan(proposer: SimNode, target: SimNode): string {
  sim.input(proposer, { kind: 'command', command: { name: 'propose_ban', target_peer_id: target.node_id, reason: 'leeching', random: sim.rng.bytes(16) } });
  sim.advance(1);
  return [...proposer.state.tables.ban_proposals.values()][0]!.proposal_id;
}

function voteBytes(voter: SimNode, proposal_id: string, vote: 'approve' | 'reject'): Uint8Array {
  return bytesOf('BAN_VOTE', signed('BAN_VOTE', { proposal_id, voter_peer_id: voter.node_id, vote, timestamp: sim.now }, voter.key.sk));
}

describe('ban votes', () => {
  test('from an outsider: not_full_member', () => {
    sim = startedFleet(5, 241, { outsiders: [4] });
    const id = proposeBan(sim.nodes[0]!, sim.nodes[3]!);
    expectRefusedUnchanged(sim.nodes[1]!, 'not_full_member', () => sim.inject(sim.nodes[4]!, sim.nodes[1]!, voteBytes(sim.nodes[4]!, id, 'approve')));
  });

  test('from a neophyte: not_full_member', () => {
    sim = startedFleet(5, 242, { neophytes: [4] });
    const id = proposeBan(sim.nodes[0]!, sim.nodes[3]!);
    expectRefusedUnchanged(sim.nodes[1]!, 'not_full_member', () => sim.inject(sim.nodes[4]!, sim.nodes[1]!, voteBytes(sim.nodes[4]!, id, 'approve')));
  });

  test('from a banned member: banned', () => {
    sim = startedFleet(6, 243);
    const [a, b, c, d, e, f] = sim.nodes as [SimNode, SimNode, SimNode, SimNode, SimNode, SimNode];
    const first = proposeBan(a, f);
    for (const v of [b, c]) sim.input(v, { kind: 'command', command: { name: 'vote_ban', proposal_id: first, vote: 'approve' } });
    sim.advance(1);
    expect(b.state.membership.banned.has(f.node_id)).toBe(true);
    const second = proposeBan(b, e);
    expectRefusedUnchanged(d, 'banned', () => sim.inject(f, d, voteBytes(f, second, 'approve')));
  });

  test('a double vote is a duplicate and counts once; the target cannot vote on its own ban', () => {
    sim = startedFleet(10, 244);
    const [proposer, voter, victim, target] = [sim.nodes[0]!, sim.nodes[1]!, sim.nodes[2]!, sim.nodes[9]!];
    const id = proposeBan(proposer, target);
    sim.inject(voter, victim, voteBytes(voter, id, 'approve'));
    const approvals = () => [...victim.state.tables.ban_votes.values()].filter((v) => v.proposal_id === id && v.vote === 'approve').length;
    expect(approvals()).toBe(2);
    expectRefusedUnchanged(victim, 'duplicate', () => sim.inject(voter, victim, voteBytes(voter, id, 'approve')));
    sim.now_ms += 5_000;
    expectRefusedUnchanged(victim, 'duplicate', () => sim.inject(voter, victim, voteBytes(voter, id, 'reject')));
    expect(approvals()).toBe(2);
    expectRefusedUnchanged(victim, 'target_cannot_vote', () => sim.inject(target, victim, voteBytes(target, id, 'reject')));
  });
});

describe('vouches and promotions', () => {
  function vouch(voucher: SimNode, target: SimNode, request_id: string): Record<string, PyJson> {
    return signed('VOUCH', { target_pubkey: target.node_id, request_id, timestamp: sim.now, voucher_pubkey: voucher.node_id }, voucher.key.sk);
  }

  test('a vouch from an outsider or a neophyte: not_full_member', () => {
    sim = startedFleet(6, 245, { outsiders: [5], neophytes: [3, 4] });
    const [victim, neo, otherNeo, outsider] = [sim.nodes[0]!, sim.nodes[3]!, sim.nodes[4]!, sim.nodes[5]!];
    expectRefusedUnchanged(victim, 'not_full_member', () => sim.inject(outsider, victim, bytesOf('VOUCH', vouch(outsider, neo, 'ab'))));
    expectRefusedUnchanged(victim, 'not_full_member', () => sim.inject(otherNeo, victim, bytesOf('VOUCH', vouch(otherNeo, neo, 'ab'))));
  });

  test('a PROMOTION padded with vouches from outsiders and neophytes: quorum_not_met', () => {
    sim = startedFleet(8, 246, { outsiders: [6, 7], neophytes: [4, 5] });
    const [victim, member, neo] = [sim.nodes[0]!, sim.nodes[1]!, sim.nodes[4]!];
    const vouches = [vouch(member, neo, 'cd'), vouch(sim.nodes[5]!, neo, 'cd'), vouch(sim.nodes[6]!, neo, 'cd'), vouch(sim.nodes[7]!, neo, 'cd')];
    expectRefusedUnchanged(victim, 'quorum_not_met', () => sim.inject(member, victim, bytesOf('PROMOTION', { target_pubkey: neo.node_id, request_id: 'cd', vouches })));
  });

  test('a PROMOTION with one forged vouch signature: bad_signature', () => {
    sim = startedFleet(5, 247, { neophytes: [4] });
    const [victim, a, b, neo] = [sim.nodes[0]!, sim.nodes[1]!, sim.nodes[2]!, sim.nodes[4]!];
    const forged = { ...vouch(a, neo, 'ef'), voucher_pubkey: b.node_id };
    expectRefusedUnchanged(victim, 'bad_signature', () => sim.inject(a, victim, bytesOf('PROMOTION', { target_pubkey: neo.node_id, request_id: 'ef', vouches: [vouch(a, neo, 'ef'), forged] })));
  });
});
