/**
 * The planner cycle on small graphs: saturation hysteresis and its caps, governance modes and CLBoss,
 * expansion gates in order, pending-action decisions, the loop floor, input validation, explanations.
 */
import { describe, expect, test } from 'bun:test';
import { decideAction } from '../../runtime/core/planner/actions.ts';
import { channelSizeSat } from '../../runtime/core/planner/channel-size.ts';
import { DEFAULT_PLANNER_CONFIG, plannerConfig, type PlannerConfig } from '../../runtime/core/planner/config.ts';
import { runCycle, type CycleInput } from '../../runtime/core/planner/cycle.ts';
import { explain, type TargetDecision } from '../../runtime/core/planner/decision-log.ts';
import { effectiveIntervalS, cycleDue } from '../../runtime/core/planner/schedule.ts';
import { INITIAL_PLANNER_STATE, type PlannerState } from '../../runtime/core/planner/state.ts';
import { nodeId } from './small-graph.ts';
import { scenarioGraph, scenarioInput, targetNode, TIP, withShare } from './scenario.ts';

const T0 = 1_800_000_000;
const HOUR = 3600;
const cfg = (over: Record<string, unknown> = {}): PlannerConfig => {
  const r = plannerConfig(over);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};
const ENABLED = cfg({ planner_enable_expansions: true });

function cycle(state: PlannerState, input: CycleInput, c: PlannerConfig = DEFAULT_PLANNER_CONFIG, now = T0) {
  const r = runCycle(state, input, c, now);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}
const decisionOf = (log: { targets: readonly TargetDecision[] }, k: number) => log.targets.find((t) => t.node_id === nodeId(targetNode(k)))!;
/** Decisions about scenario targets only (not their outside counterparties, nodes ≥ 1000). */
const targetsOf = (log: { targets: readonly TargetDecision[] }) => log.targets.filter((t) => parseInt(t.node_id.slice(2), 16) < 1000);

describe('saturation', () => {
  test('hysteresis: guarded at ≥ 20 %, held between 15 and 20 %, released below 15 % (CLBoss absent)', () => {
    const c1 = cycle(INITIAL_PLANNER_STATE, scenarioInput(scenarioGraph([withShare(0.25)])));
    expect(decisionOf(c1.log, 0).reason).toBe('saturation_guard_applied');
    expect(Object.keys(c1.state.guarded)).toEqual([nodeId(10)]);
    expect(c1.effects).toEqual([]);
    const c2 = cycle(c1.state, scenarioInput(scenarioGraph([withShare(0.17)])), DEFAULT_PLANNER_CONFIG, T0 + HOUR);
    expect(decisionOf(c2.log, 0).reason).toBe('guard_held_hysteresis');
    expect(Object.keys(c2.state.guarded)).toEqual([nodeId(10)]);
    const c3 = cycle(c2.state, scenarioInput(scenarioGraph([withShare(0.14)])), DEFAULT_PLANNER_CONFIG, T0 + 2 * HOUR);
    expect(decisionOf(c3.log, 0).reason).toBe('release_applied');
    expect(c3.state.guarded).toEqual({});
  });

  test('advisor mode with CLBoss: the guard is a pending `clboss-unmanage <peer> lnfee`; approval runs it', () => {
    const c1 = cycle(INITIAL_PLANNER_STATE, scenarioInput(scenarioGraph([withShare(0.3)]), { clboss_present: true }));
    expect(c1.state.guarded).toEqual({});
    expect(c1.state.pending).toHaveLength(1);
    const action = c1.state.pending[0]!;
    expect(action.proposal).toMatchObject({ kind: 'saturation_guard', command: 'clboss-unmanage', target: nodeId(10) });
    expect(c1.effects).toEqual([{ type: 'event', name: 'action_proposed', fields: { action_id: action.action_id, kind: 'saturation_guard' } }]);
    const approved = decideAction(c1.state, { decision: 'approve', action_id: action.action_id }, T0 + 60);
    expect(approved.ok).toBe(true);
    if (!approved.ok) return;
    expect(approved.value.effects).toEqual([{ type: 'clboss_command', action_id: action.action_id, command: 'clboss-unmanage', peer_id: nodeId(10), tags: 'lnfee' }]);
    expect(Object.keys(approved.value.state.guarded)).toEqual([nodeId(10)]);
    expect(approved.value.state.pending).toEqual([]);
    const again = cycle(approved.value.state, scenarioInput(scenarioGraph([withShare(0.3)]), { clboss_present: true }), DEFAULT_PLANNER_CONFIG, T0 + HOUR);
    expect(decisionOf(again.log, 0).reason).toBe('already_guarded');
    expect(again.state.pending).toEqual([]);
  });

  test('failsafe mode with CLBoss runs the fee-control command itself', () => {
    const c1 = cycle(INITIAL_PLANNER_STATE, scenarioInput(scenarioGraph([withShare(0.3)]), { clboss_present: true }), cfg({ governance_mode: 'failsafe' }));
    expect(c1.effects).toEqual([{ type: 'clboss_command', action_id: null, command: 'clboss-unmanage', peer_id: nodeId(10), tags: 'lnfee' }]);
    expect(decisionOf(c1.log, 0).reason).toBe('saturation_guard_applied');
  });

  test('a rejected guard is not proposed again within the backoff', () => {
    const c1 = cycle(INITIAL_PLANNER_STATE, scenarioInput(scenarioGraph([withShare(0.3)]), { clboss_present: true }));
    const rejected = decideAction(c1.state, { decision: 'reject', action_id: c1.state.pending[0]!.action_id }, T0 + 60);
    if (!rejected.ok) throw new Error('reject failed');
    const c2 = cycle(rejected.value.state, scenarioInput(scenarioGraph([withShare(0.3)]), { clboss_present: true }), DEFAULT_PLANNER_CONFIG, T0 + HOUR);
    expect(decisionOf(c2.log, 0).reason).toBe('rejected_recently');
    const c3 = cycle(c2.state, scenarioInput(scenarioGraph([withShare(0.3)]), { clboss_present: true }), DEFAULT_PLANNER_CONFIG, T0 + 25 * HOUR);
    expect(decisionOf(c3.log, 0).reason).toBe('saturation_guard_proposed');
  });

  test('seven new saturated targets: five guards this cycle, the other two next cycle', () => {
    const graph = scenarioGraph(Array.from({ length: 7 }, (_, k) => withShare(0.5 - k * 0.01)));
    const c1 = cycle(INITIAL_PLANNER_STATE, scenarioInput(graph));
    expect(c1.log.counts).toMatchObject({ saturated: 7, new_saturated: 7, guards: 5 });
    expect(c1.log.targets.filter((t) => t.reason === 'saturation_cap_reached').map((t) => t.node_id)).toEqual([nodeId(15), nodeId(16)]);
    const c2 = cycle(c1.state, scenarioInput(graph), DEFAULT_PLANNER_CONFIG, T0 + HOUR);
    expect(c2.log.counts).toMatchObject({ new_saturated: 2, guards: 2 });
    expect(Object.keys(c2.state.guarded)).toHaveLength(7);
  });

  test('a saturated target below the minimum capacity is not a target', () => {
    const c1 = cycle(INITIAL_PLANNER_STATE, scenarioInput(scenarioGraph([withShare(0.9, 50_000_000)])));
    expect(c1.log.counts.saturated).toBe(0);
    expect(explain(c1.log, nodeId(10), c1.log && scenarioGraph([withShare(0.9, 50_000_000)]), 100_000_000)).toMatchObject({ found: 'below_min_capacity', public_capacity_sat: 50_000_000 });
  });
});

describe('expansion', () => {
  const underserved = [withShare(0.01, 900_000_000, { member: 1 }), withShare(0.02, 600_000_000, { member: 2 }), withShare(0, 300_000_000)];

  test('off by default: underserved targets are logged, nothing is proposed', () => {
    const c1 = cycle(INITIAL_PLANNER_STATE, scenarioInput(scenarioGraph(underserved)));
    expect(targetsOf(c1.log)).toHaveLength(3);
    expect(targetsOf(c1.log).map((t) => t.reason)).toEqual(['expansions_disabled', 'expansions_disabled', 'expansions_disabled']);
    expect(c1.state.pending).toEqual([]);
    expect(c1.effects).toEqual([]);
  });

  test('enabled: one proposal per cycle (best score), an intent request, and a pending action that opens only on approval', () => {
    const c1 = cycle(INITIAL_PLANNER_STATE, scenarioInput(scenarioGraph(underserved)), ENABLED);
    const reasons = targetsOf(c1.log).map((t) => t.reason);
    expect(reasons).toEqual(['expansion_proposed', 'intent_cap_reached', 'intent_cap_reached']);
    const intents = c1.effects.filter((e) => e.type === 'intent_request');
    expect(intents).toHaveLength(1);
    const action = c1.state.pending[0]!;
    expect(intents[0]).toEqual({ type: 'intent_request', intent_type: 'channel_open', target: nodeId(10), amount_sat: 50_000_000, action_id: action.action_id });
    expect(c1.effects.some((e) => e.type === 'open_channel')).toBe(false);
    const approved = decideAction(c1.state, { decision: 'approve', action_id: action.action_id, amount_sat: 20_000_000 }, T0 + 60);
    expect(approved.ok && approved.value.effects).toEqual([{ type: 'open_channel', action_id: action.action_id, target: nodeId(10), amount_sat: 20_000_000 }]);
    const c2 = cycle(c1.state, scenarioInput(scenarioGraph(underserved)), ENABLED, T0 + HOUR);
    expect(decisionOf(c2.log, 0).reason).toBe('pending_action');
    expect(c2.log.targets.filter((t) => t.reason === 'expansion_proposed')).toHaveLength(1);
    expect(c2.effects.filter((e) => e.type === 'intent_request')).toHaveLength(1);
  });

  test('approval errors: unknown id, amount above the proposal, expired', () => {
    const c1 = cycle(INITIAL_PLANNER_STATE, scenarioInput(scenarioGraph(underserved)), ENABLED);
    const id = c1.state.pending[0]!.action_id;
    expect(decideAction(c1.state, { decision: 'approve', action_id: 'pa-9-9' }, T0)).toEqual({ ok: false, error: { kind: 'UnknownAction', action_id: 'pa-9-9' } });
    const big = decideAction(c1.state, { decision: 'approve', action_id: id, amount_sat: 60_000_000 }, T0);
    expect(!big.ok && big.error.kind).toBe('BadAmount');
    expect(decideAction(c1.state, { decision: 'approve', action_id: id }, T0 + 86_400)).toEqual({ ok: false, error: { kind: 'ActionExpired', action_id: id, expired_at: T0 + 86_400 } });
    const c2 = cycle(c1.state, scenarioInput(scenarioGraph(underserved)), ENABLED, T0 + 86_400);
    expect(c2.effects).toContainEqual({ type: 'event', name: 'action_expired', fields: { action_id: id, kind: 'channel_open' } });
  });

  test('feerate gate: above the ceiling or unknown blocks opens; ceiling 0 disables the gate', () => {
    const g = scenarioGraph([withShare(0, 300_000_000)]);
    expect(decisionOf(cycle(INITIAL_PLANNER_STATE, scenarioInput(g, { feerate_perkb: 6000 }), ENABLED).log, 0).reason).toBe('feerate_above_ceiling');
    expect(decisionOf(cycle(INITIAL_PLANNER_STATE, scenarioInput(g, { feerate_perkb: null }), ENABLED).log, 0).reason).toBe('feerate_unknown');
    const off = cfg({ planner_enable_expansions: true, max_expansion_feerate_perkb: 0 });
    expect(decisionOf(cycle(INITIAL_PLANNER_STATE, scenarioInput(g, { feerate_perkb: 90_000 }), off).log, 0).reason).toBe('expansion_proposed');
  });

  test('rejection backoff of 24 h per target', () => {
    const g = scenarioGraph([withShare(0, 300_000_000)]);
    const c1 = cycle(INITIAL_PLANNER_STATE, scenarioInput(g), ENABLED);
    const r = decideAction(c1.state, { decision: 'reject', action_id: c1.state.pending[0]!.action_id, reason: 'no' }, T0 + 10);
    if (!r.ok) throw new Error('reject failed');
    expect(r.value.state.rejections).toEqual({ [nodeId(10)]: T0 + 10 });
    expect(decisionOf(cycle(r.value.state, scenarioInput(g), ENABLED, T0 + 23 * HOUR).log, 0).reason).toBe('rejected_recently');
    const later = cycle(r.value.state, scenarioInput(g), ENABLED, T0 + 25 * HOUR);
    expect(decisionOf(later.log, 0).reason).toBe('expansion_proposed');
    expect(later.state.rejections).toEqual({});
  });

  test('gates in order: already connected, member coverage, pending intent, funds', () => {
    const g = scenarioGraph([withShare(0, 300_000_000), { fleet_sat: 1_000_000, other_sat: 299_000_000, member: 1 }, withShare(0, 300_000_000), withShare(0, 300_000_000)], [
      { a: 2, b: targetNode(1), capacity_sat: 1_000_000, block: TIP - 365 * 144 },
    ]);
    const c1 = cycle(INITIAL_PLANNER_STATE, scenarioInput(g, { our_peer_ids: [nodeId(10)], pending_intent_targets: [nodeId(12)] }), ENABLED);
    expect(targetsOf(c1.log).map((t) => [t.node_id, t.reason])).toEqual([
      [nodeId(10), 'already_connected'],
      [nodeId(11), 'coverage_majority'],
      [nodeId(12), 'pending_intent'],
      [nodeId(13), 'expansion_proposed'],
    ]);
    const poor = cycle(INITIAL_PLANNER_STATE, scenarioInput(scenarioGraph([withShare(0, 300_000_000)]), { onchain_available_sat: 1_500_000 }), ENABLED);
    expect(decisionOf(poor.log, 0).reason).toBe('insufficient_liquidity');
  });

  test('channel size: share gap toward half the cap, bounded by 80 % of spendable funds and min/max', () => {
    expect(channelSizeSat(1_000_000_000, 0, 1e9, DEFAULT_PLANNER_CONFIG)).toBe(50_000_000);
    expect(channelSizeSat(100_000_000, 0, 1e9, DEFAULT_PLANNER_CONFIG)).toBe(11_111_000);
    expect(channelSizeSat(100_000_000, 20_000_000, 1e9, DEFAULT_PLANNER_CONFIG)).toBe(5_000_000);
    expect(channelSizeSat(1_000_000_000, 0, 10_000_000, DEFAULT_PLANNER_CONFIG)).toBe(7_520_000);
    expect(channelSizeSat(1_000_000_000, 0, 1_000_000, DEFAULT_PLANNER_CONFIG)).toBeNull();
  });

  test('gossip claims are clamped to the public channel; neophytes and unlisted topology count for nothing', () => {
    const g = scenarioGraph([withShare(0.3)]);
    const claim = cycle(INITIAL_PLANNER_STATE, scenarioInput(g, { members: [{ node_id: nodeId(0), capacity_sats: 10_000_000, topology: [nodeId(10)] }] }));
    expect(decisionOf(claim.log, 0).fleet_capacity_sat).toBe(10_000_000);
    const neo = cycle(INITIAL_PLANNER_STATE, scenarioInput(g, { members: [{ node_id: nodeId(0), tier: 'neophyte' }] }));
    expect(decisionOf(neo.log, 0).fleet_capacity_sat).toBe(0);
    const unlisted = cycle(INITIAL_PLANNER_STATE, scenarioInput(g, { members: [{ node_id: nodeId(0), topology: [] }] }));
    expect(decisionOf(unlisted.log, 0).fleet_capacity_sat).toBe(0);
  });
});

describe('loop, input and explanations', () => {
  test('the loop floor is 300 s whatever the configuration; a cycle before it is refused and changes nothing', () => {
    expect(effectiveIntervalS(0)).toBe(300);
    expect(effectiveIntervalS(3600)).toBe(3600);
    expect(cycleDue(T0, 0, T0 + 299)).toBe(false);
    const c0 = cfg({ planner_interval_s: 0 });
    const c1 = cycle(INITIAL_PLANNER_STATE, scenarioInput(scenarioGraph([withShare(0.3)])), c0);
    const frozen = structuredClone(c1.state);
    expect(runCycle(c1.state, scenarioInput(scenarioGraph([withShare(0.3)])), c0, T0 + 299)).toEqual({ ok: false, error: { kind: 'TooSoon', next_run_at: T0 + 300 } });
    expect(c1.state).toEqual(frozen);
    expect(runCycle(c1.state, scenarioInput(scenarioGraph([withShare(0.3)])), c0, T0 + 300).ok).toBe(true);
  });

  test('bad input is a typed reject', () => {
    const g = scenarioGraph([withShare(0.3)]);
    expect(runCycle(INITIAL_PLANNER_STATE, scenarioInput(g, { members: [{ node_id: 'nope' }] }), DEFAULT_PLANNER_CONFIG, T0)).toEqual({
      ok: false,
      error: { kind: 'BadCycleInput', field: 'members[0]', reason: 'node_id must be 66-hex and capacity_sats ≥ 0' },
    });
    expect(runCycle(INITIAL_PLANNER_STATE, scenarioInput(g, { blockheight: -1 }), DEFAULT_PLANNER_CONFIG, T0).ok).toBe(false);
    expect(runCycle(INITIAL_PLANNER_STATE, scenarioInput(g, { feerate_perkb: Number.NaN }), DEFAULT_PLANNER_CONFIG, T0).ok).toBe(false);
  });

  test('config: unknown keys, wrong types, loosened safety caps and inconsistent pairs are refused by name', () => {
    expect(plannerConfig({ planner_enable_expansion: true })).toEqual({ ok: false, error: { kind: 'BadPlannerConfig', key: 'planner_enable_expansion', reason: 'unknown planner setting' } });
    expect(plannerConfig({ saturation_max_new_actions_per_cycle: 6 })).toMatchObject({ ok: false, error: { key: 'saturation_max_new_actions_per_cycle' } });
    expect(plannerConfig({ saturation_abort_above_new_targets: 11 })).toMatchObject({ ok: false, error: { key: 'saturation_abort_above_new_targets' } });
    expect(plannerConfig({ governance_mode: 'autonomous' })).toMatchObject({ ok: false, error: { key: 'governance_mode' } });
    expect(plannerConfig({ saturation_release_share_below: 0.3 })).toMatchObject({ ok: false, error: { key: 'saturation_release_share_below' } });
    expect(plannerConfig({ min_channel_sat: 1.5 })).toMatchObject({ ok: false, error: { reason: 'must be an integer' } });
    expect(DEFAULT_PLANNER_CONFIG).toMatchObject({ planner_enable_expansions: false, governance_mode: 'advisor', saturation_share_min: 0.2, saturation_release_share_below: 0.15, underserved_share_below: 0.05 });
  });

  test('spec-003 floors (1 BTC, 30 days): refused below the spec unless set by an unsafe_ key, which is listed (issue 15 item 11)', () => {
    expect(plannerConfig({ underserved_min_target_capacity_sat: 0 })).toMatchObject({ ok: false, error: { key: 'underserved_min_target_capacity_sat', reason: expect.stringContaining('unsafe_underserved_min_target_capacity_sat') } });
    expect(plannerConfig({ underserved_min_target_capacity_sat: 99_999_999 })).toMatchObject({ ok: false });
    expect(plannerConfig({ underserved_min_target_age_days: 29.9 })).toMatchObject({ ok: false, error: { key: 'underserved_min_target_age_days' } });
    expect(plannerConfig({ underserved_min_target_capacity_sat: 200_000_000, underserved_min_target_age_days: 60 })).toMatchObject({ ok: true, value: { underserved_min_target_capacity_sat: 200_000_000, unsafe_floors: [] } });
    expect(DEFAULT_PLANNER_CONFIG.unsafe_floors).toEqual([]);
    const lowered = plannerConfig({ unsafe_underserved_min_target_capacity_sat: 1_000_000, unsafe_underserved_min_target_age_days: 0, underserved_min_target_age_days: 40 });
    expect(lowered).toMatchObject({ ok: true, value: { underserved_min_target_capacity_sat: 1_000_000, underserved_min_target_age_days: 0, unsafe_floors: ['underserved_min_target_age_days', 'underserved_min_target_capacity_sat'] } });
    expect(plannerConfig({ unsafe_underserved_min_target_age_days: -1 })).toMatchObject({ ok: false, error: { key: 'unsafe_underserved_min_target_age_days' } });
    expect(plannerConfig({ unsafe_saturation_share_min: 0 })).toMatchObject({ ok: false, error: { key: 'unsafe_saturation_share_min', reason: 'unknown planner setting' } });
  });

  test('explain: the decision with its figures, a member, an unknown node, before any cycle', () => {
    const g = scenarioGraph([withShare(0.01, 300_000_000, { member: 1 })]);
    const c1 = cycle(INITIAL_PLANNER_STATE, scenarioInput(g));
    const e = explain(c1.log, nodeId(10), g);
    expect(e.found === 'decision' && e.decision).toMatchObject({ reason: 'expansions_disabled', hive_share: 0.01, public_capacity_sat: 300_000_000, age_days: 365 });
    expect(explain(c1.log, nodeId(1), g).found).toBe('member');
    expect(explain(c1.log, nodeId(999_999), g).found).toBe('not_in_graph');
    expect(explain(null, nodeId(10)).found).toBe('no_cycle');
  });
});
