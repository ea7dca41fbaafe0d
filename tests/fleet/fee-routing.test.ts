/**
 * 0-fee routing between members under local safety bounds (spec 000 §3.1, §6 "logic bounds";
 * issue 4 §4): admission zeroes our channels with the new member and remembers their policy;
 * a revocation, ban or leave restores it (raised to the fee floor toward non-members); fleet fee
 * suggestions for non-member channels are floored and limited per day; member channels stay at 0.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import { applyWrite } from '../../runtime/core/machines/membership.ts';
import { ADMIN_ID } from '../ticket/fixtures.ts';
import { FleetSim, type SimNode } from '../sim/fleet-sim.ts';

let sim: FleetSim | null = null;
afterEach(() => {
  sim?.close();
  sim = null;
});

/** A 3-node ring where node 2 is outside the hive until `admit` (as the handshake would add it). */
function ring(config = {}): { s: FleetSim; a: SimNode; b: SimNode; c: SimNode; scid: string } {
  const s = FleetSim.create(3, { seed: 701, outsiders: [2], config });
  const [a, b, c] = s.nodes as [SimNode, SimNode, SimNode];
  const link = s.net.links.find((l) => (l.a === a.node_id && l.b === c.node_id) || (l.b === a.node_id && l.a === c.node_id))!;
  return { s, a, b, c, scid: link.scid };
}

function admit(s: FleetSim, node: SimNode, newcomer: SimNode): void {
  const membership = applyWrite(node.state.membership, { op: 'put_member', member: { node_id: newcomer.node_id, tier: 'neophyte', joined_at: s.now, addresses: [] } });
  node.store.membership.applyWrites([{ op: 'put_member', member: membership.members.get(newcomer.node_id)! }]);
  s.input(node, { kind: 'membership', membership, admitted: newcomer.node_id });
}

describe('member channels', () => {
  test('admission zeroes the channel and remembers the policy; revocation restores it', () => {
    const r = ring();
    sim = r.s;
    admit(sim, r.a, r.c);
    expect(r.a.fees.get(r.scid)).toEqual({ base: 0, ppm: 0 });
    expect(r.a.state.tables.saved_fees.get(r.scid)).toMatchObject({ peer_id: r.c.node_id, prev_base_msat: 1000, prev_ppm: 100 });
    sim.input(r.a, { kind: 'command', command: { name: 'revoke', node_id: r.c.node_id, reason: 'compromised', admin_pubkey: ADMIN_ID, random: sim.rng.bytes(16) } });
    expect(r.a.fees.get(r.scid)).toEqual({ base: 1000, ppm: 100 });
    expect(r.a.state.tables.saved_fees.size).toBe(0);
  });

  test('a restored policy below the floor toward non-members is raised to the floor', () => {
    const r = ring({ fee_floor_ppm: 50, fee_floor_base_msat: 500 });
    sim = r.s;
    r.a.fees.set(r.scid, { base: 0, ppm: 10 });
    admit(sim, r.a, r.c);
    expect(r.a.fees.get(r.scid)).toEqual({ base: 0, ppm: 0 });
    sim.input(r.a, { kind: 'command', command: { name: 'revoke', node_id: r.c.node_id, reason: 'x', admin_pubkey: ADMIN_ID, random: sim.rng.bytes(16) } });
    expect(r.a.fees.get(r.scid)).toEqual({ base: 500, ppm: 50 });
    expect(r.a.logs.some((l) => l.event === 'fee_floor_applied')).toBe(true);
  });

  test('our own leave restores every saved policy', () => {
    const r = ring();
    sim = r.s;
    admit(sim, r.a, r.c);
    sim.input(r.a, { kind: 'command', command: { name: 'leave', reason: 'bye' } });
    expect(r.a.fees.get(r.scid)).toEqual({ base: 1000, ppm: 100 });
    expect(r.a.state.membership.members.size).toBe(0);
  });
});

describe('fleet suggestions', () => {
  const outsideScid = '900000x1x0';
  const outsider = '02' + '55'.repeat(32);

  test('a member channel keeps 0 fee whatever the fleet suggests', () => {
    const r = ring();
    sim = r.s;
    admit(sim, r.a, r.c);
    const tables = r.a.state.tables;
    sim.input(r.a, { kind: 'command', command: { name: 'suggest_fee', peer_id: r.c.node_id, scid: r.scid, fee_base_msat: 1, fee_ppm: 2000 } });
    expect(r.a.rejects.at(-1)!.reason).toBe('member_channel');
    expect(r.a.state.tables).toBe(tables);
  });

  test('below the floor is raised to it; the fifth change of the day is refused; the next day it is allowed', () => {
    const r = ring({ fee_floor_ppm: 25 });
    sim = r.s;
    const suggest = (ppm: number) => sim!.input(r.a, { kind: 'command', command: { name: 'suggest_fee', peer_id: outsider, scid: outsideScid, fee_base_msat: 0, fee_ppm: ppm } });
    suggest(5);
    expect(r.a.fees.get(outsideScid)).toEqual({ base: 0, ppm: 25 });
    for (const ppm of [100, 200, 300]) suggest(ppm);
    expect(r.a.fees.get(outsideScid)!.ppm).toBe(300);
    const tables = r.a.state.tables;
    suggest(400);
    expect(r.a.rejects.at(-1)!.reason).toBe('fee_change_limit');
    expect(r.a.state.tables).toBe(tables);
    expect(r.a.fees.get(outsideScid)!.ppm).toBe(300);
    sim.advance(86_400, 3600);
    suggest(400);
    expect(r.a.fees.get(outsideScid)!.ppm).toBe(400);
  });
});
