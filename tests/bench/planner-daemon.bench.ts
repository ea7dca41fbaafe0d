/**
 * The daemon's planner cycle on the full 2026-02-03 mainnet graph, end to end, as the planner loop
 * of a running daemon times it (`hive-planner-status`: `last_cycle.gather_ms` + `cycle_ms` +
 * `last_persist_ms`): input gathering over the lightning-rpc socket (getinfo, feerates,
 * listpeerchannels, listforwards, listfunds, plugin list, and the public graph), `runCycle`, and the
 * commit of the cycle's record to the SQLite store. simnet's lightningd answers in the same
 * process, so its JSON encoding is part of the gathering. Two daemons, 7 cycles each, medians:
 * - `listchannels`: the fallback, the graph from `listchannels` (≈ 101,616 entries / 39 MB JSON)
 *   and `listnodes` every cycle — the previous default;
 * - `gossip_store`: lightningd's gossip_store beside the daemon, read whole once at start-up, then
 *   per cycle only the records appended meanwhile (here 200 channel_updates before each cycle) —
 *   target < 100 ms (issue 19 §2).
 * Then the parts of the fallback alone: the `listchannels` call and building the graph from it.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeChannel } from '../../runtime/core/ports.ts';
import type { Graph } from '../../runtime/core/graph/graph.ts';
import { gossipStoreGraph } from '../../services/graph/gossip-store-file.ts';
import { graphFromNode } from '../../runtime/node/planner/planner-inputs.ts';
import type { PlannerStatus } from '../../runtime/node/planner/planner-status.ts';
import { updateRecord, writeGossipStore } from '../graph/fixtures/gossip-store-writer.ts';
import { FILES, realGraph } from '../graph/real-graphs.ts';
import { startPlannerHive, type PlannerHive } from '../planner/fixtures/planner-hive.ts';
import { durationMs, median, report, type Figure } from './harness.ts';

const RUNS = 7;
const graph = await realGraph(FILES.compressed2026);

/** A one-node hive on `graph` with 3 big channels; `store`: its daemon reads this gossip_store. */
async function plannerNode(store: string | null): Promise<PlannerHive> {
  const hive = await startPlannerHive({ names: ['a'], graph, planner: { first_cycle_delay_s: 30, planner_interval_s: 300 }, ...(store ? { gossip_store: { a: store } } : {}) });
  const byCap = [...Array(graph.nodeCount).keys()].sort((x, y) => graph.activeCapacitySat[y]! - graph.activeCapacitySat[x]!);
  for (const n of byCap.slice(0, 3)) await hive.fleet.network.openChannel(hive.member('a').node, graph.nodeIds[n]!, { capacity_sat: 50_000_000 });
  return hive;
}

/** Run RUNS daemon cycles (`beforeEach` first); the medians of their parts, ms. */
async function daemonCycles(hive: PlannerHive, beforeEach: (i: number) => void): Promise<{ gather: number; cycle: number; persist: number; total: number; degraded: readonly string[] }> {
  const parts: { gather: number; cycle: number; persist: number }[] = [];
  let degraded: readonly string[] = [];
  hive.advance(30);
  for (let i = 1; i <= RUNS; i++) {
    beforeEach(i);
    const s: PlannerStatus = await hive.cycles('a', i);
    const c = s.last_cycle!;
    if (c.outcome !== 'completed') throw new Error(`cycle ${i}: ${c.outcome} ${c.error ?? ''}`);
    parts.push({ gather: c.gather_ms, cycle: c.cycle_ms, persist: s.last_persist_ms ?? 0 });
    degraded = s.degraded_inputs;
    hive.advance(300);
  }
  const m = (k: 'gather' | 'cycle' | 'persist') => median(parts.map((p) => p[k]));
  return { gather: m('gather'), cycle: m('cycle'), persist: m('persist'), total: median(parts.map((p) => p.gather + p.cycle + p.persist)), degraded };
}

function reportCycle(path: string, r: Awaited<ReturnType<typeof daemonCycles>>, previous?: Figure): Figure {
  report(`plannerd.cycle_2026_gather_ms.${path}`, r.gather, 'ms', RUNS);
  report(`plannerd.cycle_2026_run_cycle_ms.${path}`, r.cycle, 'ms', RUNS);
  report(`plannerd.cycle_2026_persist_ms.${path}`, r.persist, 'ms', RUNS);
  return report(`plannerd.cycle_2026_total_ms.${path} (gather + runCycle + persist, one daemon cycle)`, r.total, 'ms', RUNS, previous ? { target: { op: '<', value: 100 }, previous } : {});
}

// The fallback (previous default): listchannels + listnodes every cycle.
const fallback = await plannerNode(null);
const before = reportCycle('listchannels', await daemonCycles(fallback, () => {}));
let channels: readonly NodeChannel[] = [];
await durationMs('plannerd.listchannels_2026_rpc_ms', async () => {
  const r = await fallback.member('a').backend.listchannels();
  if (!r.ok) throw new Error(r.error.message);
  channels = r.value;
}, RUNS);
let built: Graph | null = null;
await durationMs('plannerd.graph_from_listchannels_2026_ms', () => {
  const g = graphFromNode(channels, null);
  if (!g.ok) throw new Error('graph');
  built = g.value;
}, RUNS);
if (!built) throw new Error('graph');
await fallback.stop();

// The resident graph: lightningd's gossip_store, 200 channel_updates appended before each cycle.
const storeDir = mkdtempSync(join(tmpdir(), 'hbx-bench-store-'));
const storePath = join(storeDir, 'gossip_store');
writeFileSync(storePath, writeGossipStore(graph));
await durationMs('plannerd.gossip_store_first_read_2026_ms (whole store into the resident graph, once at start-up)', () => {
  if (!gossipStoreGraph(storePath)()?.ok) throw new Error('gossip_store');
}, 3);
const resident = await plannerNode(storePath);
const r = await daemonCycles(resident, (i) =>
  appendFileSync(storePath, Buffer.concat(Array.from({ length: 200 }, (_, k) => updateRecord(graph, (i * 997 + k * 131) % (2 * graph.channelCount), 1_800_000_000 + i)))),
);
await resident.stop();
rmSync(storeDir, { recursive: true, force: true });
if (r.degraded.some((d) => d.startsWith('gossip_store'))) throw new Error(`the daemon did not read the gossip_store: ${r.degraded.join('; ')}`);
reportCycle('gossip_store', r, before);
