/**
 * Attack / failure (spec 003 §2.3 "Intent Storms"): the planner loop runs every second (bug or
 * hostile config) or the pending-intent check fails, flooding the fleet with HIVE_INTENT. Mitigations
 * asserted: cycles closer than 300 s are refused with TooSoon and leave the state untouched, even with
 * planner_interval_s = 0; at most one intent request per cycle; a target with a pending action or a
 * pending intent (ours or a remote member's) is never requested again.
 */
import { expect, test } from 'bun:test';
import { plannerConfig } from '../../runtime/core/planner/config.ts';
import { runCycle } from '../../runtime/core/planner/cycle.ts';
import type { PlannerEffect } from '../../runtime/core/planner/effects.ts';
import { INITIAL_PLANNER_STATE, type PlannerState } from '../../runtime/core/planner/state.ts';
import { nodeId } from '../planner/small-graph.ts';
import { scenarioGraph, scenarioInput, withShare } from '../planner/scenario.ts';

const T0 = 1_800_000_000;
const cfgR = plannerConfig({ planner_enable_expansions: true, planner_interval_s: 0 });
if (!cfgR.ok) throw new Error('config');
const cfg = cfgR.value;
const graph = scenarioGraph(Array.from({ length: 6 }, (_, k) => withShare(0, 200_000_000 + k * 10_000_000, { block: 800_000 })));

test('a loop firing every second for an hour yields one cycle per 300 s and one intent per cycle', () => {
  let state: PlannerState = INITIAL_PLANNER_STATE;
  const intents: PlannerEffect[] = [];
  let ran = 0;
  let refused = 0;
  for (let now = T0; now < T0 + 3600; now++) {
    const before = state;
    const r = runCycle(state, scenarioInput(graph), cfg, now);
    if (!r.ok) {
      expect(r.error.kind).toBe('TooSoon');
      expect(state).toBe(before);
      refused++;
      continue;
    }
    ran++;
    const these = r.value.effects.filter((e) => e.type === 'intent_request');
    expect(these.length).toBeLessThanOrEqual(1);
    intents.push(...these);
    state = r.value.state;
  }
  expect(ran).toBe(12);
  expect(refused).toBe(3600 - 12);
  const targets = intents.map((e) => (e.type === 'intent_request' ? e.target : ''));
  expect(new Set(targets).size).toBe(targets.length);
  expect(state.pending.filter((a) => a.proposal.kind === 'channel_open')).toHaveLength(targets.length);
});

test('targets with a pending intent from another member are never requested', () => {
  const all = Array.from({ length: 6 }, (_, k) => nodeId(10 + k)).concat(Array.from({ length: 6 }, (_, k) => nodeId(1000 + k)));
  const r = runCycle(INITIAL_PLANNER_STATE, scenarioInput(graph, { pending_intent_targets: all }), cfg, T0);
  if (!r.ok) throw new Error('cycle failed');
  expect(r.value.effects.filter((e) => e.type === 'intent_request')).toEqual([]);
  expect(r.value.log.targets.filter((t) => t.reason === 'pending_intent')).toHaveLength(12);
});
