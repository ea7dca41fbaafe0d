/**
 * Planner figures on the real 2026-02-03 graph (target: a full cycle < 100 ms on one core): a full
 * cycle (analysis, saturation, expansion gates, decision log) for a fleet of three real well-connected
 * nodes, the analysis alone, and the `hivebox plan` report.
 */
import { join } from 'node:path';
import { analyze } from '../../runtime/core/planner/analysis.ts';
import { DEFAULT_PLANNER_CONFIG, plannerConfig } from '../../runtime/core/planner/config.ts';
import { runCycle } from '../../runtime/core/planner/cycle.ts';
import { buildPlanReport } from '../../runtime/core/planner/report.ts';
import { INITIAL_PLANNER_STATE } from '../../runtime/core/planner/state.ts';
import { loadGraphFile } from '../../services/graph/index.ts';
import { durationMs, report } from './harness.ts';

const loaded = await loadGraphFile(join(import.meta.dir, '../../../shared/data/gossip-store-2026-02-03.compressed'));
if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
const graph = loaded.value.graph;
const members = [
  '03864ef025fde8fb587d989186ce6a4a186895ee44a926bfc370e2c366597a3f8f',
  '0217890e3aad8d35bc054f43acc00084b25229ecff0ab68debd82883ad65ee8266',
  '0242a4ae0c5bef18048fbecf995094b74bfb0f7391418d71ed394784373f41e4f3',
].map((node_id) => ({ node_id }));
const cfg = plannerConfig({ planner_enable_expansions: true });
if (!cfg.ok) throw new Error('config');
const input = { graph, self_node_id: members[0]!.node_id, members, blockheight: 0, feerate_perkb: 1000, clboss_present: true, onchain_available_sat: 100_000_000 };

// First cycle: this fleet has 15 new saturated targets; it guards 5 (the per-cycle cap) and runs to the end.
await durationMs('planner.cycle_2026_first_ms', () => {
  const r = runCycle(INITIAL_PLANNER_STATE, input, cfg.value, 1_800_000_000);
  if (!r.ok || r.value.log.outcome !== 'completed' || r.value.log.counts.guards !== 5) throw new Error('expected 5 guards');
}, 21);
// Steady state: the saturated targets are already guarded, so the cycle runs every step to the end.
const first = analyze(graph, members, DEFAULT_PLANNER_CONFIG, 0);
const guarded = Object.fromEntries(first.saturated.map((n) => [graph.nodeIds[n]!, { since: 0, hive_share: 0.2 }]));
const steady = { ...INITIAL_PLANNER_STATE, guarded };
let targets = 0;
await durationMs('planner.cycle_2026_ms', () => {
  const r = runCycle(steady, input, cfg.value, 1_800_000_000);
  if (!r.ok || r.value.log.outcome !== 'completed') throw new Error('cycle did not complete');
  targets = r.value.log.targets.length;
}, 21);
report('planner.cycle_2026_targets_logged', targets, 'targets', 1);
await durationMs('planner.analyze_2026_ms', () => analyze(graph, members, DEFAULT_PLANNER_CONFIG, 0), 21);
await durationMs('planner.plan_report_2026_ms', () => buildPlanReport(analyze(graph, members, DEFAULT_PLANNER_CONFIG, 0), DEFAULT_PLANNER_CONFIG, 10), 21);
