/**
 * Attack: abusing the global ignore list (spec 000 §5.1 "accepted only from authenticated,
 * certified fleet members"). A BAN_PEER from an outsider or a neophyte, one naming a member, one
 * for another hive, one whose evidence was altered, and a flood of reports: each refused with
 * state unchanged and nothing applied.
 */
import { afterEach, expect, test } from 'bun:test';
import type { PyJson } from '../../runtime/core/canonical/python-json.ts';
import { bytesOf, signed } from '../sim/craft.ts';
import type { FleetSim, SimNode } from '../sim/fleet-sim.ts';
import { externalId } from '../sim/network.ts';
import { SeededRng } from '../sim/rng.ts';
import { HIVE_ID } from '../ticket/fixtures.ts';
import { expectRefusedUnchanged, startedFleet } from './fleet-fixtures.ts';

let sim: FleetSim;
afterEach(() => sim.close());
const rng = new SeededRng(77);

function report(reporter: SimNode, peer_id: string, over: Record<string, PyJson> = {}): Record<string, PyJson> {
  const ban_id = Buffer.from(sim.rng.bytes(16)).toString('hex');
  return signed('BAN_PEER', { hive_id: HIVE_ID, ban_id, peer_id, reporter_id: reporter.node_id, reason: 'dust flood', evidence: ['800123x4x1'], timestamp: sim.now, ...over }, reporter.key.sk);
}

test('proposed by a non-member: not_full_member, nothing applied', () => {
  sim = startedFleet(3, 251, { outsiders: [2] });
  const [victim, outsider] = [sim.nodes[0]!, sim.nodes[2]!];
  expectRefusedUnchanged(victim, 'not_full_member', () => sim.inject(outsider, victim, bytesOf('BAN_PEER', report(outsider, externalId(rng)))));
  expect(victim.ignored.size).toBe(0);
});

test('proposed by a neophyte: not_full_member', () => {
  sim = startedFleet(3, 252, { neophytes: [2] });
  expectRefusedUnchanged(sim.nodes[0]!, 'not_full_member', () => sim.inject(sim.nodes[2]!, sim.nodes[0]!, bytesOf('BAN_PEER', report(sim.nodes[2]!, externalId(rng)))));
});

test('naming a member (members are banned by vote): target_is_member', () => {
  sim = startedFleet(3, 253);
  expectRefusedUnchanged(sim.nodes[0]!, 'target_is_member', () => sim.inject(sim.nodes[1]!, sim.nodes[0]!, bytesOf('BAN_PEER', report(sim.nodes[1]!, sim.nodes[2]!.node_id))));
});

test('for another hive: hive_mismatch; evidence altered after signing: bad_signature', () => {
  sim = startedFleet(3, 254);
  const [victim, reporter] = [sim.nodes[0]!, sim.nodes[1]!];
  expectRefusedUnchanged(victim, 'hive_mismatch', () => sim.inject(reporter, victim, bytesOf('BAN_PEER', report(reporter, externalId(rng), { hive_id: 'hive_ffffffffffffffff' }))));
  const tampered = { ...report(reporter, externalId(rng)), evidence: ['made up'] };
  expectRefusedUnchanged(victim, 'bad_signature', () => sim.inject(reporter, victim, bytesOf('BAN_PEER', tampered)));
});

test('more than 10 reports a day from one member: rate_limited', () => {
  sim = startedFleet(3, 255);
  const [victim, reporter] = [sim.nodes[0]!, sim.nodes[1]!];
  for (let i = 0; i < 10; i++) sim.inject(reporter, victim, bytesOf('BAN_PEER', report(reporter, externalId(rng))));
  expect(victim.ignored.size).toBe(10);
  expectRefusedUnchanged(victim, 'rate_limited', () => sim.inject(reporter, victim, bytesOf('BAN_PEER', report(reporter, externalId(rng)))));
  expect(victim.ignored.size).toBe(10);
});
