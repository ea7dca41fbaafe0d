/**
 * Attack (spec 003 §2.2 "Sybil Liquidity Drain"): a fresh node funds big public channels to itself
 * so it looks large and unserved (hive_share 0 %), hoping the fleet opens a channel it can drain.
 * Mitigations asserted, with expansions enabled and every other gate open: a target younger than
 * 30 days (by scid block height) is never underserved; one old stub channel plus big fresh capacity
 * fails the aged-capacity rule; on a graph without real scids the age is unknown and nothing is
 * proposed; a target below 1 BTC is never a target. No pending action, no intent, no state change.
 */
import { describe, expect, test } from 'bun:test';
import { plannerConfig } from '../../runtime/core/planner/config.ts';
import { runCycle } from '../../runtime/core/planner/cycle.ts';
import { INITIAL_PLANNER_STATE } from '../../runtime/core/planner/state.ts';
import { nodeId } from '../planner/small-graph.ts';
import { scenarioGraph, scenarioInput, TIP } from '../planner/scenario.ts';

const T0 = 1_800_000_000;
const cfg = plannerConfig({ planner_enable_expansions: true });
if (!cfg.ok) throw new Error('config');
const SYBIL = nodeId(10);

function attempt(graph: ReturnType<typeof scenarioGraph>) {
  const r = runCycle(INITIAL_PLANNER_STATE, scenarioInput(graph, { members: [{ node_id: nodeId(0) }] }), cfg.ok ? cfg.value : (undefined as never), T0);
  if (!r.ok) throw new Error('cycle failed');
  const sybil = r.value.log.targets.find((t) => t.node_id === SYBIL);
  const opens = r.value.state.pending.filter((a) => a.proposal.kind === 'channel_open' && a.proposal.target === SYBIL);
  const intents = r.value.effects.filter((e) => e.type === 'intent_request' && e.target === SYBIL);
  return { sybil, opens, intents, log: r.value.log };
}

describe('sybil target with large self-funded capacity', () => {
  test('20 BTC opened 3 days ago: too young, never underserved, not proposed', () => {
    const { sybil, opens, intents, log } = attempt(scenarioGraph([{ fleet_sat: 0, other_sat: 2_000_000_000, block: TIP - 3 * 144 }]));
    expect(sybil).toMatchObject({ reason: 'too_young', hive_share: 0, public_capacity_sat: 2_000_000_000, age_days: 3 });
    expect(opens).toEqual([]);
    expect(intents).toEqual([]);
    expect(log.counts.expansions_proposed).toBe(0);
  });

  test('an old 0.01 BTC stub plus 20 BTC of fresh capacity: aged capacity below 1 BTC, not proposed', () => {
    const { sybil, opens, intents } = attempt(
      scenarioGraph([{ fleet_sat: 0, other_sat: 2_000_000_000, block: TIP - 2 * 144 }], [{ a: 10, b: 5000, capacity_sat: 1_000_000, block: TIP - 400 * 144 }]),
    );
    expect(sybil).toMatchObject({ reason: 'young_capacity', aged_capacity_sat: 1_000_000 });
    expect(sybil!.age_days).toBeCloseTo(400, 6);
    expect(opens).toEqual([]);
    expect(intents).toEqual([]);
  });

  test('the same sybil on a graph with synthetic scids: age unknown, not proposed', () => {
    const { sybil, opens, intents } = attempt(scenarioGraph([{ fleet_sat: 0, other_sat: 2_000_000_000 }], [], 'synthetic'));
    expect(sybil).toMatchObject({ reason: 'age_unknown', age_days: null });
    expect(opens).toEqual([]);
    expect(intents).toEqual([]);
  });

  test('scids below the first possible channel block count as unknown age', () => {
    const { sybil, opens } = attempt(scenarioGraph([{ fleet_sat: 0, other_sat: 2_000_000_000, block: 17 }]));
    expect(sybil).toMatchObject({ reason: 'age_unknown' });
    expect(opens).toEqual([]);
  });

  test('below 1 BTC public capacity the node is not even a target', () => {
    const { sybil, opens } = attempt(scenarioGraph([{ fleet_sat: 0, other_sat: 99_000_000, block: TIP - 400 * 144 }]));
    expect(sybil).toBeUndefined();
    expect(opens).toEqual([]);
  });

  test('the control: an honest old target with the same capacity is proposed', () => {
    const { sybil, opens, intents } = attempt(scenarioGraph([{ fleet_sat: 0, other_sat: 2_000_000_000, block: TIP - 400 * 144 }]));
    expect(sybil!.reason).toBe('expansion_proposed');
    expect(opens).toHaveLength(1);
    expect(intents).toHaveLength(1);
  });
});
