/**
 * The daemon's planner cycle on the full 2026-02-03 mainnet graph, end to end: input gathering over
 * the lightning-rpc socket (listchannels ≈ 101,616 entries / 39 MB JSON, listnodes, getinfo,
 * feerates, listpeerchannels, listforwards, listfunds, plugin list → graph built with the graph
 * module's reader) plus `runCycle`, as the planner loop times them (`hive-planner-status`
 * `last_cycle.gather_ms` / `cycle_ms`). simnet's lightningd answers in the same process, so its
 * JSON encoding is included in the gathering time. Median of 7 cycles; then the two big parts of
 * the gathering alone: the `listchannels` call and building the graph from its answer. Then the
 * same gather with the resident gossip_store graph instead of listchannels (issue 19 §2).
 */
import type { PlannerStatus } from '../../runtime/node/planner/planner-status.ts';
import { FILES, realGraph } from '../graph/real-graphs.ts';
import { startPlannerHive } from '../planner/fixtures/planner-hive.ts';
import { graphFromNode } from '../../runtime/node/planner/planner-inputs.ts';
import type { NodeChannel } from '../../runtime/core/ports.ts';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleetConfig } from '../../runtime/core/fleet/config.ts';
import { initialFleetState } from '../../runtime/core/fleet/state.ts';
import { DEFAULT_PLANNER_CONFIG } from '../../runtime/core/planner/config.ts';
import type { NodeId } from '../../runtime/core/types.ts';
import { gatherCycleInput } from '../../runtime/node/planner/planner-inputs.ts';
import { gossipStoreGraph } from '../../services/graph/gossip-store-file.ts';
import { updateRecord, writeGossipStore } from '../graph/fixtures/gossip-store-writer.ts';
import { durationMs, median, report } from './harness.ts';

function fleetConfigOk(id: string) {
  const c = fleetConfig({ our_node_id: id as NodeId });
  if (!c.ok) throw new Error('fleet config');
  return c.value;
}

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

// The resident graph (issue 19 §2): lightningd's gossip_store beside its rpc socket, read once at
// start-up, then per cycle only the records appended meanwhile (here 200 channel_updates) — the
// gather then asks everything except listchannels/listnodes.
const storePath = join(hive.root, 'gossip_store');
writeFileSync(storePath, writeGossipStore(graph));
const source = gossipStoreGraph(storePath);
await durationMs('plannerd.gossip_store_first_read_2026_ms (whole store into the resident graph)', () => {
  const first = gossipStoreGraph(storePath)();
  if (!first?.ok) throw new Error('gossip_store');
}, 3);
source();
const self = (await hive.member('a').backend.getinfo()).ok ? hive.member('a').node.nodeId : '';
const fleetState = initialFleetState(fleetConfigOk(self));
const storeGather: number[] = [];
for (let i = 1; i <= RUNS; i++) {
  appendFileSync(storePath, Buffer.concat(Array.from({ length: 200 }, (_, k) => updateRecord(graph, (i * 997 + k * 131) % (2 * graph.channelCount), 1_800_000_000 + i))));
  const t0 = performance.now();
  const g = await gatherCycleInput(hive.member('a').backend, fleetState, DEFAULT_PLANNER_CONFIG, hive.now(), 86_400, source);
  storeGather.push(performance.now() - t0);
  if (!g.ok || g.value.degraded.some((d) => d.startsWith('gossip_store'))) throw new Error('gather from gossip_store');
}
await hive.stop();
const before = report('plannerd.cycle_2026_total_ms (gather incl. listchannels + graph build, runCycle)', median(total), 'ms', RUNS, { target: { op: '<', value: 100 } });
report('plannerd.gather_with_gossip_store_2026_ms (200 appended updates applied, graph rebuilt, other RPCs)', median(storeGather), 'ms', RUNS);
report('plannerd.cycle_2026_total_from_gossip_store_ms (gather above + runCycle median)', median(storeGather) + median(cycle), 'ms', RUNS, { target: { op: '<', value: 100 }, previous: before });
report('plannerd.cycle_2026_gather_ms', median(gather), 'ms', RUNS);
report('plannerd.cycle_2026_run_cycle_ms', median(cycle), 'ms', RUNS);
