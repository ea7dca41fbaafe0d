/**
 * The daemon's planner cycle on the full 2026-02-03 mainnet graph, end to end: input gathering over
 * the lightning-rpc socket (listchannels ≈ 101,616 entries / 39 MB JSON, listnodes, getinfo,
 * feerates, listpeerchannels, listforwards, listfunds, plugin list → graph built with the graph
 * module's reader) plus `runCycle`, as the planner loop times them (`hive-planner-status`
 * `last_cycle.gather_ms` / `cycle_ms`). simnet's lightningd answers in the same process, so its
 * JSON encoding is included in the gathering time. Median of 7 cycles; then the two big parts of
 * the gathering alone: the `listchannels` call and building the graph from its answer.
 */
import type { PlannerStatus } from '../../runtime/engine/planner-status.ts';
import { FILES, realGraph } from '../graph/real-graphs.ts';
import { startPlannerHive } from '../planner/fixtures/planner-hive.ts';
import { graphFromNode } from '../../runtime/engine/planner-inputs.ts';
import type { NodeChannel } from '../../runtime/core/ports.ts';
import { durationMs, median, report } from './harness.ts';

const RUNS = 7;
const graph = await realGraph(FILES.compressed2026);
const hive = await startPlannerHive({ names: ['a'], graph, planner: { first_cycle_delay_s: 30, planner_interval_s: 300 } });
const byCap = [...Array(graph.nodeCount).keys()].sort((x, y) => graph.activeCapacitySat[y]! - graph.activeCapacitySat[x]!);
for (const n of byCap.slice(0, 3)) await hive.fleet.network.openChannel(hive.member('a').node, graph.nodeIds[n]!, { capacity_sat: 50_000_000 });
hive.advance(30);
const gather: number[] = [];
const cycle: number[] = [];
const total: number[] = [];
let last: PlannerStatus | null = null;
for (let i = 1; i <= RUNS; i++) {
  last = await hive.cycles('a', i);
  const c = last.last_cycle!;
  if (c.outcome !== 'completed') throw new Error(`cycle ${i}: ${c.outcome} ${c.error ?? ''}`);
  gather.push(c.gather_ms);
  cycle.push(c.cycle_ms);
  total.push(c.gather_ms + c.cycle_ms);
  hive.advance(300);
}
let channels: readonly NodeChannel[] = [];
await durationMs('plannerd.listchannels_2026_rpc_ms', async () => {
  const r = await hive.member('a').backend.listchannels();
  if (!r.ok) throw new Error(r.error.message);
  channels = r.value;
}, RUNS);
await durationMs('plannerd.graph_from_listchannels_2026_ms', () => {
  if (!graphFromNode(channels, null).ok) throw new Error('graph');
}, RUNS);
await hive.stop();
report('plannerd.cycle_2026_total_ms (gather incl. listchannels + graph build, runCycle)', median(total), 'ms', RUNS, { target: { op: '<', value: 100 } });
report('plannerd.cycle_2026_gather_ms', median(gather), 'ms', RUNS);
report('plannerd.cycle_2026_run_cycle_ms', median(cycle), 'ms', RUNS);
