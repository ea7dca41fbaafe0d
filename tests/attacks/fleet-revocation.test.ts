/**
 * Attack: forged revocation (spec 000 §5.2, §6 "Compromised Member"). HIVE_REVOKE must be signed
 * by a fleet admin key the hive trusts. A member signing one with its node key, an attacker naming
 * the real admin key without holding it, an admin key of another hive, and a genuine revocation
 * for another hive id: each refused, state unchanged, the member stays.
 */
import { afterEach, expect, test } from 'bun:test';
import type { PyJson } from '../../runtime/core/canonical/python-json.ts';
import { bytesOf, signed } from '../sim/craft.ts';
import type { FleetSim, SimNode } from '../sim/fleet-sim.ts';
import { ADMIN_ID, ADMIN_SK, HIVE_ID, nodeIdOf, secretKey } from '../ticket/fixtures.ts';
import { expectRefusedUnchanged, startedFleet } from './fleet-fixtures.ts';

let sim: FleetSim;
afterEach(() => sim.close());

function revoke(victim: SimNode, admin_pubkey: string, sk: Uint8Array, hive_id = HIVE_ID): Record<string, PyJson> {
  return signed('HIVE_REVOKE', { hive_id, revocation_id: 'aa11', node_id: victim.node_id, admin_pubkey, reason: 'compromised', timestamp: sim.now }, sk);
}

test("a member signs a revocation with its own node key: not_admin", () => {
  sim = startedFleet(4, 261);
  const [node, rogue, victim] = [sim.nodes[0]!, sim.nodes[1]!, sim.nodes[2]!];
  expectRefusedUnchanged(node, 'not_admin', () => sim.inject(rogue, node, bytesOf('HIVE_REVOKE', revoke(victim, rogue.node_id, rogue.key.sk))));
  expect(node.state.membership.members.has(victim.node_id)).toBe(true);
});

test('naming the real admin key without holding it: bad_signature', () => {
  sim = startedFleet(4, 262);
  const [node, rogue, victim] = [sim.nodes[0]!, sim.nodes[1]!, sim.nodes[2]!];
  expectRefusedUnchanged(node, 'bad_signature', () => sim.inject(rogue, node, bytesOf('HIVE_REVOKE', revoke(victim, ADMIN_ID, rogue.key.sk))));
});

test("another hive's admin key: not_admin; our admin's revocation for another hive: hive_mismatch", () => {
  sim = startedFleet(4, 263);
  const [node, relay, victim] = [sim.nodes[0]!, sim.nodes[1]!, sim.nodes[2]!];
  const otherSk = secretKey(0xb7);
  expectRefusedUnchanged(node, 'not_admin', () => sim.inject(relay, node, bytesOf('HIVE_REVOKE', revoke(victim, nodeIdOf(otherSk), otherSk))));
  expectRefusedUnchanged(node, 'hive_mismatch', () => sim.inject(relay, node, bytesOf('HIVE_REVOKE', revoke(victim, ADMIN_ID, ADMIN_SK, 'hive_0000000000000000'))));
});

test('relayed by an outsider: relay_not_allowed', () => {
  sim = startedFleet(4, 264, { outsiders: [3] });
  const [node, victim, outsider] = [sim.nodes[0]!, sim.nodes[2]!, sim.nodes[3]!];
  expectRefusedUnchanged(node, 'relay_not_allowed', () => sim.inject(outsider, node, bytesOf('HIVE_REVOKE', revoke(victim, ADMIN_ID, ADMIN_SK))));
});
