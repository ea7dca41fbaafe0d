/**
 * Attack (spec 003 §2.1 "Runaway Ignore"): a member gossips huge capacity toward every big node so the
 * fleet's hive_share spikes and the planner guards (and so starves) all top-tier peers. Mitigations
 * asserted: gossip capacity is clamped to the public channels (0 without one); at most 5 new
 * saturation actions per cycle; a cycle that would take more than 10 guard actions (guards + releases)
 * aborts with "mass saturation detected" and changes nothing; targets already guarded are not new, so a
 * well-connected fleet guards its saturated targets 5 per cycle instead of aborting forever.
 */
import { describe, expect, test } from 'bun:test';
import { DEFAULT_PLANNER_CONFIG } from '../../runtime/core/planner/config.ts';
import { runCycle } from '../../runtime/core/planner/cycle.ts';
import { INITIAL_PLANNER_STATE, type PlannerState } from '../../runtime/core/planner/state.ts';
import { FILES, realGraph } from '../graph/real-graphs.ts';
import { nodeId } from '../planner/small-graph.ts';
import { scenarioGraph, scenarioInput, withShare } from '../planner/scenario.ts';

const T0 = 1_800_000_000;

describe('runaway ignore via inflated gossip capacity', () => {
  test('a member claiming 100 BTC toward 40 big nodes it has no channel with adds 0 to every share', () => {
    const graph = scenarioGraph(Array.from({ length: 40 }, () => withShare(0, 500_000_000)));
    const liar = { node_id: nodeId(2), capacity_sats: 10_000_000_000, topology: Array.from({ length: 40 }, (_, k) => nodeId(10 + k)) };
    const r = runCycle(INITIAL_PLANNER_STATE, scenarioInput(graph, { members: [{ node_id: nodeId(0) }, { node_id: nodeId(1) }, liar] }), DEFAULT_PLANNER_CONFIG, T0);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.log.counts.saturated).toBe(0);
    expect(r.value.log.targets.every((t) => t.fleet_capacity_sat === 0)).toBe(true);
    expect(r.value.state.guarded).toEqual({});
  });

  test('a claim above the real channel is cut to the channel: 100 BTC claimed over a 0.1 BTC channel counts 0.1 BTC', () => {
    const graph = scenarioGraph([{ fleet_sat: 10_000_000, other_sat: 990_000_000, member: 2 }]);
    const liar = { node_id: nodeId(2), capacity_sats: 10_000_000_000, topology: [nodeId(10)] };
    const r = runCycle(INITIAL_PLANNER_STATE, scenarioInput(graph, { members: [{ node_id: nodeId(0) }, liar] }), DEFAULT_PLANNER_CONFIG, T0);
    expect(r.ok && r.value.log.targets.find((t) => t.node_id === nodeId(10))).toMatchObject({ fleet_capacity_sat: 10_000_000, hive_share: 0.01 });
  });

  test('eight genuinely saturated targets: 5 actions this cycle, 3 deferred', () => {
    const graph = scenarioGraph(Array.from({ length: 8 }, (_, k) => withShare(0.6 - k * 0.01)));
    const r = runCycle(INITIAL_PLANNER_STATE, scenarioInput(graph, { clboss_present: true }), DEFAULT_PLANNER_CONFIG, T0);
    if (!r.ok) throw new Error('cycle failed');
    expect(r.value.state.pending.filter((a) => a.proposal.kind === 'saturation_guard')).toHaveLength(5);
    expect(r.value.log.targets.filter((t) => t.reason === 'saturation_cap_reached')).toHaveLength(3);
  });

  test('eleven new saturated targets: 5 guards, 6 deferred, the breaker stays quiet (5 guard actions ≤ 10)', () => {
    const graph = scenarioGraph(Array.from({ length: 11 }, () => withShare(0.5)));
    const r = runCycle(INITIAL_PLANNER_STATE, scenarioInput(graph, { clboss_present: true }), { ...DEFAULT_PLANNER_CONFIG, governance_mode: 'failsafe' }, T0);
    if (!r.ok) throw new Error('cycle failed');
    expect(r.value.log.outcome).toBe('completed');
    expect(r.value.log.counts).toMatchObject({ new_saturated: 11, guard_actions: 5, guards: 5 });
    expect(Object.keys(r.value.state.guarded)).toHaveLength(5);
    expect(r.value.log.targets.filter((t) => t.reason === 'saturation_cap_reached')).toHaveLength(6);
  });

  test('eleven guard actions in one cycle (guards + releases) abort with "mass saturation detected" and change nothing', () => {
    const graph = scenarioGraph([...Array.from({ length: 5 }, () => withShare(0.5)), ...Array.from({ length: 6 }, () => withShare(0))]);
    const released = Array.from({ length: 6 }, (_, k) => nodeId(15 + k));
    const before: PlannerState = { ...INITIAL_PLANNER_STATE, guarded: Object.fromEntries(released.map((id) => [id, { since: 1, hive_share: 0.3 }])) };
    const r = runCycle(before, scenarioInput(graph, { clboss_present: true }), { ...DEFAULT_PLANNER_CONFIG, governance_mode: 'failsafe' }, T0);
    if (!r.ok) throw new Error('cycle failed');
    expect(r.value.log.outcome).toBe('aborted_mass_saturation');
    expect(r.value.effects).toEqual([{ type: 'event', name: 'mass_saturation_detected', fields: { guard_actions: 11, new_saturated: 5, limit: 10 } }]);
    expect(r.value.state.guarded).toEqual(before.guarded);
    expect(r.value.state.pending).toEqual([]);
    expect(r.value.log.targets.filter((t) => t.reason === 'cycle_aborted').length).toBeGreaterThanOrEqual(5);
  });

  test('saturated targets already guarded are not new: the next cycle guards the next 5, then the rest, never aborting', () => {
    const graph = scenarioGraph(Array.from({ length: 12 }, () => withShare(0.5)));
    let state: PlannerState = INITIAL_PLANNER_STATE;
    const cfg = { ...DEFAULT_PLANNER_CONFIG, governance_mode: 'failsafe' as const };
    const newPerCycle: number[] = [];
    for (let c = 0; c < 3; c++) {
      const r = runCycle(state, scenarioInput(graph, { clboss_present: true }), cfg, T0 + c * 3_600);
      if (!r.ok) throw new Error('cycle failed');
      expect(r.value.log.outcome).toBe('completed');
      newPerCycle.push(r.value.log.counts.new_saturated);
      state = r.value.state;
    }
    expect(newPerCycle).toEqual([12, 7, 2]);
    expect(Object.keys(state.guarded)).toHaveLength(12);
  });

  test('on the real 2026 graph a fleet of the three biggest hubs guards 5 of its 64 saturated targets instead of aborting', async () => {
    const g = await realGraph(FILES.compressed2026);
    const hubs = ['03864ef025fde8fb587d989186ce6a4a186895ee44a926bfc370e2c366597a3f8f', '02f1a8c87607f415c8f22c00593002775941dea48869ce23096af27b0cfdcc0b69', '035e4ff418fc8b5554c5d9eea66396c227bd429a3251c8cbc711002ba215bfc226'];
    const r = runCycle(INITIAL_PLANNER_STATE, { graph: g, self_node_id: hubs[0]!, members: hubs.map((node_id) => ({ node_id })), blockheight: 0, feerate_perkb: 1000, clboss_present: true, onchain_available_sat: 0 }, DEFAULT_PLANNER_CONFIG, T0);
    if (!r.ok) throw new Error('cycle failed');
    expect(r.value.log.outcome).toBe('completed');
    expect(r.value.log.counts).toMatchObject({ new_saturated: 64, guard_actions: 5, guards: 5 });
    expect(r.value.state.pending.filter((a) => a.proposal.kind === 'saturation_guard')).toHaveLength(5);
  });
});
