/**
 * The daemon planner reads the fleet from the fleet state (simnet, two daemons): a member's
 * topology comes from its gossip and counts only once it is a full member (a neophyte's channels
 * add nothing); its capacity toward a target is the public channel in the graph, never its claim.
 */
import { afterEach, expect, test } from 'bun:test';
import type { HiveboxEngine } from '../../runtime/node/hive/hive-engine.ts';
import type { InviteResult, MembersResult } from '../../runtime/node/hive/index.ts';
import type { PlannerLogResult } from '../../runtime/node/hive/rpc/planner.ts';
import { attach, SIMNET_TEST_TIMEOUT_MS, startPlannerHive, type PlannerHive } from './fixtures/planner-hive.ts';
import { nodeId, smallGraph } from './small-graph.ts';

let hive: PlannerHive | null = null;
afterEach(async () => {
  await hive?.stop();
  hive = null;
});

/** Ten 2-BTC targets around a hub (real-looking scids). The clock moves in 60 s steps until b's gossip (status refresh every 60 s) reaches a. */
const GRAPH = smallGraph(11, Array.from({ length: 10 }, (_, i) => ({ a: 0, b: i + 1, capacity_sat: 200_000_000 })));
const T1 = nodeId(1);

const engineOf = (h: PlannerHive, name: string) => h.member(name).daemon.engine as HiveboxEngine;

async function targetIn(h: PlannerHive, cycles: number) {
  await h.cycles('a', cycles);
  const { log } = await h.cli<PlannerLogResult>('a', 'hive-planner-log', { limit: 100 });
  return { log: log!, t1: log!.targets.find((t) => t.node_id === T1)! };
}

test("a member's gossiped topology counts once it is a full member; its capacity is the public channel", async () => {
  hive = await startPlannerHive({ names: ['a', 'b'], graph: GRAPH, planner: { first_cycle_delay_s: 3_600 } });
  const h = hive;
  const [a, b] = [h.member('a').node.nodeId, h.member('b').node.nodeId];
  await h.fleet.network.openChannel(h.member('a').node, b, { capacity_sat: 5_000_000 });
  const t = await h.cli<InviteResult>('a', 'hive-invite', {});
  await h.cli('b', 'hive-join', { ticket: t.ticket, peer_id: a });
  await attach(h, 'b', [T1], 50_000_000);
  await h.until(async () => {
    h.advance(60);
    await Bun.sleep(250);
    return engineOf(h, 'a').state.fleet.tables.states.get(b as never)?.topology.includes(T1) === true;
  });

  h.advance(3_600);
  const neo = await targetIn(h, 1);
  expect([...neo.log.members].sort()).toEqual([a, b].sort());
  expect(neo.t1).toMatchObject({ fleet_capacity_sat: 0, members_connected: 0, hive_share: 0 });

  await engineOf(h, 'b').core.step({ kind: 'command', command: { name: 'request_promotion', random: crypto.getRandomValues(new Uint8Array(16)) } });
  const request = await h.until(async () => [...engineOf(h, 'a').state.fleet.tables.promotion_requests.values()].find((r) => r.target_pubkey === b));
  await engineOf(h, 'a').core.step({ kind: 'command', command: { name: 'vouch', target_pubkey: b, request_id: request.request_id } });
  await h.until(async () => (await h.cli<MembersResult>('a', 'hive-members')).members.every((m) => m.tier === 'member'));

  h.advance(3_600);
  const full = await targetIn(h, 2);
  expect(full.t1).toMatchObject({ fleet_capacity_sat: 50_000_000, members_connected: 1, public_capacity_sat: 250_000_000, hive_share: 0.2, reason: 'saturation_guard_applied' });
}, SIMNET_TEST_TIMEOUT_MS);
