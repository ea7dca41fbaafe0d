/**
 * Governance on simulated fleets (spec 001 §3.4, spec 000 §5; issue 4 §3): promotion with and
 * without quorum, ban votes that pass and fail, admin revocation, the global ignore list and a
 * voluntary leave — each checked on every node.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import type { Tier } from '../../runtime/core/machines/membership.ts';
import { ADMIN_ID } from '../ticket/fixtures.ts';
import { externalId } from './network.ts';
import { FleetSim, type SimNode } from './fleet-sim.ts';
import { SeededRng } from './rng.ts';

let sim: FleetSim | null = null;
afterEach(() => {
  sim?.close();
  sim = null;
});

function tiers(n: number, neophytes: number[]): Tier[] {
  return Array.from({ length: n }, (_, i) => (neophytes.includes(i) ? 'neophyte' : 'member'));
}

function tierOn(node: SimNode, id: string): string | null {
  return node.state.membership.members.get(id as never)?.tier ?? null;
}

function started(n: number, seed: number, neophytes: number[] = []): FleetSim {
  const s = FleetSim.create(n, { seed, tiers: tiers(n, neophytes) });
  s.publishAll();
  s.advance(1);
  return s;
}

/** Outbox rows left anywhere (reliable delivery finished means none). */
function outboxLeft(s: FleetSim): string[] {
  return s.nodes.filter((n) => n.up).flatMap((n) => [...n.state.tables.outbox.values()].map((r) => `${n.index}:${r.msg_type}`));
}

/** The neophyte asks for promotion and `vouchers` vouch for it; everything is delivered. */
function requestAndVouch(s: FleetSim, neo: SimNode, vouchers: readonly SimNode[]): void {
  s.input(neo, { kind: 'command', command: { name: 'request_promotion', random: s.rng.bytes(16) } });
  s.advance(1);
  const request_id = [...neo.state.tables.promotion_requests.values()].find((r) => r.target_pubkey === neo.node_id)!.request_id;
  for (const m of vouchers) s.input(m, { kind: 'command', command: { name: 'vouch', target_pubkey: neo.node_id, request_id } });
  s.advance(2);
}

describe('promotion', () => {
  test('with quorum: five of nine members vouch and every node promotes the neophyte', () => {
    sim = started(10, 41, [9]);
    const neo = sim.nodes[9]!;
    requestAndVouch(sim, neo, sim.nodes.slice(0, 5));
    for (const node of sim.nodes) expect(tierOn(node, neo.node_id)).toBe('member');
    expect(neo.state.membership.hive!.our_role).toBe('member');
    expect(sim.stats.byType.get('PROMOTION')).toBe(9);
    expect(sim.converged()).toBe(true);
    expect(outboxLeft(sim)).toEqual([]);
  });

  test('without quorum: four vouches of the five needed promote nobody', () => {
    sim = started(10, 42, [9]);
    const neo = sim.nodes[9]!;
    requestAndVouch(sim, neo, sim.nodes.slice(0, 4));
    for (const node of sim.nodes) expect(tierOn(node, neo.node_id)).toBe('neophyte');
    expect(sim.stats.byType.get('PROMOTION') ?? 0).toBe(0);
    for (const node of sim.nodes) expect([...node.state.tables.vouches.values()].length).toBe(4);
  });

  test('a one-member hive promotes on the single member vouch (quorum 1)', () => {
    sim = started(2, 43, [1]);
    const neo = sim.nodes[1]!;
    requestAndVouch(sim, neo, [sim.nodes[0]!]);
    expect(tierOn(sim.nodes[0]!, neo.node_id)).toBe('member');
    expect(tierOn(neo, neo.node_id)).toBe('member');
  });
});

describe('auto-vouch', () => {
  test('members with auto_vouch vouch for a neophyte past its probation, and it is promoted without an operator', () => {
    sim = FleetSim.create(4, { seed: 44, tiers: tiers(4, [3]), config: { auto_vouch: true, probation_s: 0 } });
    sim.publishAll();
    sim.advance(1);
    const neo = sim.nodes[3]!;
    sim.input(neo, { kind: 'command', command: { name: 'request_promotion', random: sim.rng.bytes(16) } });
    sim.advance(2);
    for (const node of sim.nodes) expect(tierOn(node, neo.node_id)).toBe('member');
    expect(outboxLeft(sim)).toEqual([]);
  });

  test('inside the probation nobody vouches automatically', () => {
    sim = FleetSim.create(4, { seed: 45, tiers: tiers(4, [3]), config: { auto_vouch: true } });
    sim.publishAll();
    sim.advance(1);
    sim.input(sim.nodes[3]!, { kind: 'command', command: { name: 'request_promotion', random: sim.rng.bytes(16) } });
    sim.advance(2);
    expect(sim.stats.byType.get('VOUCH') ?? 0).toBe(0);
  });
});

describe('ban vote', () => {
  function propose(s: FleetSim, proposer: SimNode, target: SimNode): string {
    s.input(proposer, { kind: 'command', command: { name: 'propose_ban', target_peer_id: target.node_id, reason: 'channel jamming', random: s.rng.bytes(16) } });
    s.advance(1);
    return [...proposer.state.tables.ban_proposals.values()][0]!.proposal_id;
  }

  test('passes with floor(0.51 × 9) + 1 = 5 approvals: the member is removed and banned everywhere', () => {
    sim = started(10, 51);
    const target = sim.nodes[9]!;
    const proposal_id = propose(sim, sim.nodes[0]!, target);
    for (const v of sim.nodes.slice(1, 4)) sim.input(v, { kind: 'command', command: { name: 'vote_ban', proposal_id, vote: 'approve' } });
    sim.advance(1);
    for (const node of sim.nodes.slice(0, 9)) expect(node.state.tables.ban_proposals.get(proposal_id)!.status).toBe('pending');
    sim.input(sim.nodes[4]!, { kind: 'command', command: { name: 'vote_ban', proposal_id, vote: 'approve' } });
    sim.advance(1);
    for (const node of sim.nodes.slice(0, 9)) {
      expect(node.state.tables.ban_proposals.get(proposal_id)!.status).toBe('approved');
      expect(node.state.membership.members.has(target.node_id)).toBe(false);
      expect(node.state.membership.banned.has(target.node_id)).toBe(true);
      expect(node.state.tables.states.has(target.node_id)).toBe(false);
    }
    expect(sim.converged(sim.nodes.slice(0, 9))).toBe(true);
    expect(outboxLeft(sim)).toEqual([]);
  });

  test('fails once five of nine reject: the proposal is rejected and nobody is banned', () => {
    sim = started(10, 52);
    const target = sim.nodes[9]!;
    const proposal_id = propose(sim, sim.nodes[0]!, target);
    for (const v of sim.nodes.slice(1, 6)) sim.input(v, { kind: 'command', command: { name: 'vote_ban', proposal_id, vote: 'reject' } });
    sim.advance(1);
    for (const node of sim.nodes.slice(0, 9)) {
      expect(node.state.tables.ban_proposals.get(proposal_id)!.status).toBe('rejected');
      expect(node.state.membership.members.has(target.node_id)).toBe(true);
    }
    sim.input(sim.nodes[6]!, { kind: 'command', command: { name: 'vote_ban', proposal_id, vote: 'approve' } });
    expect(sim.nodes[6]!.rejects.at(-1)!.reason).toBe('proposal_closed');
  });

  test('the target cannot vote and a second proposal inside 7 days is refused', () => {
    sim = started(4, 53);
    const target = sim.nodes[3]!;
    const proposal_id = propose(sim, sim.nodes[0]!, target);
    sim.input(target, { kind: 'command', command: { name: 'vote_ban', proposal_id, vote: 'reject' } });
    expect(target.rejects.at(-1)!.reason).toBe('target_cannot_vote');
    sim.input(sim.nodes[1]!, { kind: 'command', command: { name: 'propose_ban', target_peer_id: target.node_id, reason: 'again', random: sim.rng.bytes(16) } });
    expect(sim.nodes[1]!.rejects.at(-1)!.reason).toBe('ban_cooldown');
  });
});

describe('admin revocation', () => {
  test('HIVE_REVOKE signed by the fleet admin key removes the member on every node at once', () => {
    sim = started(10, 61);
    const revoked = sim.nodes[7]!;
    sim.input(sim.nodes[0]!, { kind: 'command', command: { name: 'revoke', node_id: revoked.node_id, reason: 'compromised', admin_pubkey: ADMIN_ID, random: sim.rng.bytes(16) } });
    sim.advance(1);
    for (const node of sim.nodes) {
      if (node === revoked) continue;
      expect(node.state.membership.members.has(revoked.node_id)).toBe(false);
      expect(node.state.membership.banned.get(revoked.node_id)!.reason).toBe('revoked: compromised');
      expect([...node.state.tables.revocations.values()].map((r) => r.node_id)).toEqual([revoked.node_id]);
      expect(node.events.map((e) => e.name)).toContain('member_revoked');
    }
    expect(revoked.events.map((e) => e.name)).toContain('revoked_self');
    expect(revoked.state.membership.members.size).toBe(0);
    const revokes = sim.stats.byType.get('HIVE_REVOKE')!;
    expect(revokes).toBeLessThanOrEqual(9 + 8 * 8);
    expect(sim.converged(sim.nodes.filter((n) => n !== revoked))).toBe(true);
    expect(outboxLeft(sim)).toEqual([]);
  });

  test('without the button press nothing is signed, sent or changed', () => {
    sim = started(3, 62);
    const admin = sim.nodes[0]!;
    admin.adminApproves = false;
    sim.input(admin, { kind: 'command', command: { name: 'revoke', node_id: sim.nodes[2]!.node_id, reason: 'x', admin_pubkey: ADMIN_ID, random: sim.rng.bytes(16) } });
    sim.advance(1);
    expect(admin.rejects.at(-1)!.reason).toBe('signer_failed');
    expect(sim.stats.byType.get('HIVE_REVOKE') ?? 0).toBe(0);
    for (const node of sim.nodes) expect(node.state.membership.members.size).toBe(3);
  });
});

describe('global ignore list', () => {
  test('BAN_PEER from a member is applied on every node with its reason and evidence', () => {
    sim = started(10, 71);
    const attacker = externalId(new SeededRng(9));
    sim.input(sim.nodes[2]!, { kind: 'command', command: { name: 'ban_peer', peer_id: attacker, reason: 'HTLC jamming', evidence: ['scid 800001x1x0', 'htlcs held 2016 blocks'], random: sim.rng.bytes(16) } });
    sim.advance(1);
    for (const node of sim.nodes) {
      expect(node.ignored.has(attacker)).toBe(true);
      const ban = [...node.state.tables.peer_bans.values()][0]!;
      expect(ban).toMatchObject({ peer_id: attacker, reporter_id: sim.nodes[2]!.node_id, reason: 'HTLC jamming', evidence: ['scid 800001x1x0', 'htlcs held 2016 blocks'] });
    }
    expect(outboxLeft(sim)).toEqual([]);
  });
});

describe('leave', () => {
  test('MEMBER_LEFT removes the leaver everywhere; the last full member may not leave', () => {
    sim = started(4, 81);
    const leaver = sim.nodes[2]!;
    sim.input(leaver, { kind: 'command', command: { name: 'leave', reason: 'moving to another hive' } });
    sim.advance(1);
    for (const node of sim.nodes) expect(node.state.membership.members.has(leaver.node_id)).toBe(false);
    expect(leaver.events.map((e) => e.name)).toContain('left_hive');
    expect(outboxLeft(sim)).toEqual([]);
    const solo = FleetSim.create(2, { seed: 82, tiers: ['member', 'neophyte'] });
    solo.input(solo.nodes[0]!, { kind: 'command', command: { name: 'leave', reason: 'bye' } });
    expect(solo.nodes[0]!.rejects.at(-1)!.reason).toBe('last_member');
    solo.close();
  });
});
