/**
 * The daemon's planner on the real 2026-02-03 mainnet graph (50,808 channels) served by simnet's
 * lightningd: one cycle reads it through `listchannels`/`listnodes`, writes a decision log with a
 * rule for every target (share values checked against an independent computation), explains
 * skipped targets, guards saturated ones (CLBoss absent: no command, logged), shows the top
 * targets in `hive-status`; twelve new saturated targets trip the circuit breaker: the cycle is
 * aborted with a `mass_saturation_detected` event and nothing changes, cycle after cycle.
 */
import { afterEach, beforeAll, expect, test } from 'bun:test';
import type { Graph } from '../../runtime/core/graph/graph.ts';
import type { Explanation } from '../../runtime/core/planner/decision-log.ts';
import type { StatusResult } from '../../runtime/node/hive/rpc/status.ts';
import type { PlannerLogResult } from '../../runtime/node/hive/rpc/planner.ts';
import { FILES, realGraph } from '../graph/real-graphs.ts';
import { attach, hiveboxCli, midTargets, SIMNET_TEST_TIMEOUT_MS, startPlannerHive, type PlannerHive } from './fixtures/planner-hive.ts';

const ATTACH_SAT = 50_000_000;
let graph: Graph;
/** Mid-sized routing nodes (midTargets). */
let mids: string[];
let hubs: string[];
let hive: PlannerHive | null = null;

beforeAll(async () => {
  graph = await realGraph(FILES.compressed2026);
  hubs = [...Array(graph.nodeCount).keys()].sort((x, y) => graph.activeCapacitySat[y]! - graph.activeCapacitySat[x]!).slice(0, 2).map((n) => graph.nodeIds[n]!);
  mids = midTargets(graph);
});
afterEach(async () => {
  await hive?.stop();
  hive = null;
});

/** Node a attached to `targets` with 50 M sat channels, then the first cycle. */
async function attachedHive(targets: readonly string[]): Promise<PlannerHive> {
  const h = await startPlannerHive({ names: ['a'], graph, planner: { first_cycle_delay_s: 30 } });
  await attach(h, 'a', targets, ATTACH_SAT);
  h.advance(30);
  await h.cycles('a', 1);
  return h;
}

const pub = (id: string) => graph.activeCapacitySat[graph.nodeIndex.get(id)!]!;

test('a cycle on the real 2026 graph through listchannels: decision log, explanations, guards, top targets', async () => {
  const sat = mids.slice(0, 3);
  hive = await attachedHive([...hubs, ...sat]);
  const a = hive.member('a').node.nodeId;
  const { log, total_targets } = await hive.cli<PlannerLogResult>('a', 'hive-planner-log', { limit: 100_000 });
  expect(log!.outcome).toBe('completed');
  expect(log!.graph.nodes).toBe(graph.nodeCount + 1);
  expect(log!.graph.channels).toBe(graph.channelCount + 5);
  expect(log!.members).toEqual([a]);
  expect(log!.counts).toMatchObject({ saturated: 3, new_saturated: 3, guards: 3, expansions_proposed: 0 });
  expect(total_targets).toBe(621);
  for (const t of log!.targets) expect(t.rule.length).toBeGreaterThan(10);

  for (const id of sat) {
    const t = log!.targets.find((x) => x.node_id === id)!;
    const expected = ATTACH_SAT / (pub(id) + ATTACH_SAT);
    expect(t.hive_share).toBeCloseTo(expected, 12);
    expect(t.public_capacity_sat).toBe(pub(id) + ATTACH_SAT);
    expect(t).toMatchObject({ reason: 'saturation_guard_applied', fleet_capacity_sat: ATTACH_SAT, members_connected: 1 });
    expect(t.rule).toContain('CLBoss absent: no command');
  }
  const status = await hive.cli<StatusResult>('a', 'hive-status');
  expect(status.planner.top_targets.slice(0, 3).map((t) => t.node_id).sort()).toEqual([...sat].sort());
  expect(status.planner).toMatchObject({ governance_mode: 'advisor', expansions_enabled: false, guarded_targets: 3, mass_saturation_events: 0, last_cycle: { cycle_id: 'c1', outcome: 'completed' } });
  expect(status.pending_actions).toBe(0);

  const cliStatus = await hiveboxCli(hive, ['status']);
  expect(cliStatus.exit).toBe(0);
  expect(cliStatus.out).toContain('planner   advisor, expansions off; last c1 completed;');
  expect(cliStatus.out).toContain(`  top     ${status.planner.top_targets[0]!.node_id}`);
  const cliLog = await hiveboxCli(hive, ['planner', 'log', '--limit', '3']);
  expect(cliLog.out.split('\n').slice(0, 1)).toEqual([`cycle c1: completed; ${JSON.stringify(log!.counts)}`]);
  expect(cliLog.out).toContain(`… ${total_targets - 3} more`);
  const cliPlanner = await hiveboxCli(hive, ['planner', 'status']);
  expect(cliPlanner.out).toContain('mode      advisor, expansions disabled, CLBoss absent');
  expect(cliPlanner.out).toContain('actions   0 pending, 3 targets guarded, 0 in rejection backoff');

  const unattached = graph.nodeIds.find((id, n) => graph.activeCapacitySat[n]! > 5e8 && !hubs.includes(id))!;
  const why = await hive.cli<Explanation>('a', 'hive-planner-explain', { node_id: unattached });
  expect(why).toMatchObject({ found: 'decision', decision: { reason: 'age_unknown', age_days: null } });
  expect(why.found === 'decision' && why.decision.rule).toContain("age unknown (the graph's short_channel_ids are synthetic or implausible)");
  const small = graph.nodeIds.find((_, n) => graph.activeCapacitySat[n]! > 0 && graph.activeCapacitySat[n]! < 1e6)!;
  expect(await hive.cli<Explanation>('a', 'hive-planner-explain', { node_id: small })).toMatchObject({ found: 'below_min_capacity', public_capacity_sat: pub(small) });
  expect(await hive.cli<Explanation>('a', 'hive-planner-explain', { node_id: a })).toMatchObject({ found: 'member' });
  expect(await hive.cli<Explanation>('a', 'hive-planner-explain', { node_id: `02${'ab'.repeat(32)}` })).toMatchObject({ found: 'not_in_graph' });
}, SIMNET_TEST_TIMEOUT_MS);

test('twelve new saturated targets: 5 guarded per cycle, already guarded ones are not new, the breaker stays quiet', async () => {
  const sat = mids.slice(0, 12);
  hive = await attachedHive(sat);
  const status = await hive.cli<StatusResult>('a', 'hive-status');
  expect(status.planner).toMatchObject({ guarded_targets: 5, mass_saturation_events: 0, unsafe_floors: [], last_cycle: { outcome: 'completed' } });
  const { log } = await hive.cli<PlannerLogResult>('a', 'hive-planner-log', { limit: 20 });
  expect(log!.counts).toMatchObject({ saturated: 12, new_saturated: 12, guard_actions: 5, guards: 5 });
  expect(hive.events.get('a')!.filter((x) => x.kind === 'fleet_event' && x.name === 'mass_saturation_detected')).toEqual([]);

  hive.advance(3_600);
  const second = await hive.cycles('a', 2);
  expect(second).toMatchObject({ guarded_targets: 10, mass_saturation_events: 0, last_cycle: { cycle_id: 'c2', outcome: 'completed' } });
  const { log: log2 } = await hive.cli<PlannerLogResult>('a', 'hive-planner-log', { limit: 20 });
  expect(log2!.counts).toMatchObject({ saturated: 12, new_saturated: 7, guards: 5 });
}, SIMNET_TEST_TIMEOUT_MS);
