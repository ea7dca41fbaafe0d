/**
 * `hivebox demo`: a three-node fleet forms on the real 2026-02-03 mainnet graph, over the exact
 * protocols a real deployment uses (issue 3 §3).
 *
 * 1. Load the graph (CLN gossmap-compressed snapshot or listchannels JSON) with a progress line.
 * 2. Start simnet (simulated CLN v26.06 nodes A, B, C serving the real graph), each node launching
 *    the real `hivebox plugin` process, which connects to that node's Hivebox daemon (engine,
 *    SQLite store, and a simulated USB signer in its own process).
 * 3. Open channels A–B, A–C, B–C and attach each fleet node to real mainnet nodes.
 * 4. Through lightning-cli (lightningd → plugin → daemon): `hive-genesis` on A; for B and C,
 *    `hive-invite` on A (A's signer shows the prompt and its button is pressed) and `hive-join`
 *    on the joiner. Every handshake step is printed as it happens.
 * 5. Done when all three list the same members and the same membership hash. B and C joined as
 *    neophytes: each asks for promotion (`hive-promote`) and the full members vouch (`hive-vouch`;
 *    quorum 1, then 2) until every node lists three full members.
 * 6. The planner's view of the full members on the real graph, read through A's
 *    `listchannels`/`listnodes` (neophytes would not count).
 * With `mixed` (`hivebox demo --mixed`, issue 18 §4), C is a simulated LND node instead: no plugin,
 * its daemon talks LND's gRPC (custom-message and peer-event streams, channel acceptor), its
 * operator's commands go to the daemon (`hivebox …`), and the planner reads the real graph through
 * C's `DescribeGraph`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Graph } from '../core/graph/graph.ts';
import { listChannels, listNodes } from '../core/graph/cln-view.ts';
import { analyze } from '../core/planner/analysis.ts';
import { DEFAULT_PLANNER_CONFIG } from '../core/planner/config.ts';
import { buildPlanReport, plannerSummary, renderPlanReport, type PlannerSummary } from '../core/planner/report.ts';
import type { NodeBackend } from '../core/ports.ts';
import { startSimFleet, type SimFleet, type SimFleetMember } from '../sim/fleet.ts';
import { DEFAULT_HIVE_SETTINGS } from '../node/hive/config.ts';
import { hiveEngineFactory } from '../node/compose/engine-factory.ts';
import type { EngineEvent } from '../node/events.ts';
import type { InviteResult, JoinResult, MembersResult, PromoteResult } from '../node/hive/index.ts';
import { describeGraphLoadError, graphFromListChannels, loadGraphFile, nodeNamesFromListNodes, type LoadStage } from '../../services/graph/index.ts';
import { startSignerSimulator, type RunningSimulator } from '../sim/signer/start.ts';
import { chooseAttachments } from './attachments.ts';
import { narrator } from './narrate.ts';

/** The fleet's three nodes: simnet name and the letter shown in the output. */
const FLEET = [
  { name: 'a', label: 'A' },
  { name: 'b', label: 'B' },
  { name: 'c', label: 'C' },
] as const;

/** Capacity of each channel between fleet nodes, sat. */
const FLEET_CHANNEL_SAT = 10_000_000;

/** Options of `runDemo`. */
export interface DemoOptions {
  /** Graph file (gossmap-compressed with its node map, or listchannels JSON; gz/xz/plain). */
  readonly graphPath: string;
  /** Node map / listnodes file (default: found beside the graph). */
  readonly nodesPath?: string;
  /** Where the running commentary goes, one line per call. */
  readonly say: (line: string) => void;
  /** Progress text while the graph loads (no newline added). */
  readonly progress: (text: string) => void;
  /** Entries per planner list (default 10). */
  readonly top?: number;
  /** How long the simulated operator takes to press A's signer button, ms (default 1500). */
  readonly press_after_ms?: number;
  /** How long to wait for all three member lists to agree, ms (default 30 s). */
  readonly converge_timeout_ms?: number;
  /**
   * Multiplies every wait bound of the demo (signer start 15 s, plugins 10 s, member lists and
   * promotions 30 s, join 60 s) for slow or emulated machines (default 1).
   */
  readonly wait_factor?: number;
  /** Keep state here instead of a temporary directory (removed at the end). */
  readonly dir?: string;
  /** Observer of every engine event (tests, benches). */
  readonly onEvent?: (node: string, e: EngineEvent) => void;
  /** Abort (Ctrl-C): stop every node, daemon and signer process now; the demo ends not formed. */
  readonly signal?: AbortSignal;
  /** C is a simulated LND node (a mixed CLN/LND fleet). */
  readonly mixed?: boolean;
}

/** One fleet node in the summary. */
export interface DemoNodeSummary {
  readonly node_id: string;
  readonly tier: string | null;
  readonly members: readonly string[];
  readonly membership_hash: string | null;
}

/** `hivebox demo --json`: the one summary object. */
export interface DemoSummary {
  readonly formed: boolean;
  /** Why the fleet did not form (absent when it did). */
  readonly reason?: string;
  readonly graph: { readonly nodes: number; readonly channels: number };
  readonly nodes: readonly DemoNodeSummary[];
  readonly planner: PlannerSummary;
  /** Wall time of the whole demo, seconds. */
  readonly seconds: number;
}

/** What `runDemo` returns: the summary and the planner report text (null when the fleet did not form). */
export interface DemoOutcome {
  readonly summary: DemoSummary;
  readonly report: string | null;
}

const EMPTY_PLANNER: PlannerSummary = { top: [], saturated: [], underserved: [] };

/** A step that failed: the summary's `reason`. */
class DemoFailure extends Error {}

/** The operator's command line on a member: lightning-cli (CLN, through the plugin) or hivebox (LND, straight to the daemon). */
const tool = (m: SimFleetMember) => (m.backend.capabilities.plugin ? 'lightning-cli' : 'hivebox');

/** The result of a lightning-cli call (answer within `timeout_ms`), or a DemoFailure naming the node, command and CLN error. */
async function cli<T>(m: SimFleetMember, label: string, method: string, params: Record<string, unknown>, timeout_ms: number): Promise<T> {
  const r = await m.cli.call<T>(method, params, { timeoutMs: timeout_ms });
  if (!r.ok) throw new DemoFailure(`${label}: ${tool(m)} ${method} failed: ${r.error.message} (code ${r.error.code})`);
  return r.value;
}

/** Load the graph, reporting stages. @throws DemoFailure with the loader's message. */
async function loadGraph(opts: DemoOptions): Promise<Graph> {
  const t0 = performance.now();
  opts.progress(`loading the mainnet graph ${basename(opts.graphPath)}:`);
  const onProgress = (stage: LoadStage, file: string) => {
    if (file === opts.graphPath) opts.progress(` ${stage}…`);
    else if (stage === 'names') opts.progress(` node ids from ${basename(file)}…`);
  };
  const loaded = await loadGraphFile(opts.graphPath, { ...(opts.nodesPath ? { nodesPath: opts.nodesPath } : {}), onProgress });
  if (!loaded.ok) {
    opts.progress(' failed\n');
    throw new DemoFailure(`cannot load the graph: ${describeGraphLoadError(loaded.error)}`);
  }
  const g = loaded.value.graph;
  opts.progress(` ${g.nodeCount.toLocaleString('en-US')} nodes, ${g.channelCount.toLocaleString('en-US')} channels (${Math.round(performance.now() - t0)} ms)\n`);
  return g;
}

/** The planner's report for `members`, over the graph as A's lightningd serves it. */
async function plannerView(backend: NodeBackend, members: readonly string[], top: number): Promise<{ text: string; summary: PlannerSummary }> {
  const [channels, nodes, info] = await Promise.all([backend.listchannels(), backend.listnodes(), backend.getinfo()]);
  if (!channels.ok || !nodes.ok || !info.ok) throw new DemoFailure(`planner node: listchannels/listnodes/getinfo failed: ${[channels, nodes, info].map((r) => (r.ok ? '' : r.error.message)).join(' ')}`);
  const names = nodeNamesFromListNodes({ nodes: nodes.value });
  if (!names.ok) throw new DemoFailure(`A: listnodes: ${describeGraphLoadError(names.error)}`);
  const g = graphFromListChannels({ channels: channels.value }, { names: names.value });
  if (!g.ok) throw new DemoFailure(`A: listchannels: ${describeGraphLoadError(g.error)}`);
  const report = buildPlanReport(analyze(g.value, members.map((node_id) => ({ node_id })), DEFAULT_PLANNER_CONFIG, info.value.blockheight), DEFAULT_PLANNER_CONFIG, top);
  return { text: renderPlanReport(report), summary: plannerSummary(report) };
}

/** Poll every node's hive-members until all agree (same members, same hash) or the deadline. */
async function converge(fleet: SimFleet, timeout_ms: number): Promise<MembersResult[]> {
  const deadline = performance.now() + timeout_ms;
  for (;;) {
    const lists = await Promise.all(FLEET.map((f) => cli<MembersResult>(fleet.member(f.name), f.label, 'hive-members', {}, timeout_ms)));
    const key = (m: MembersResult) => `${m.membership_hash}|${m.members.map((x) => `${x.node_id}:${x.tier}`).join(',')}`;
    if (lists[0]!.members.length === FLEET.length && lists.every((l) => key(l) === key(lists[0]!))) return lists;
    if (performance.now() > deadline) return lists;
    await Bun.sleep(50);
  }
}

/** Poll `cond` every 50 ms. @throws DemoFailure naming `what` after `timeout_ms`. */
async function until(cond: () => Promise<boolean>, what: string, timeout_ms: number): Promise<void> {
  const deadline = performance.now() + timeout_ms;
  while (!(await cond())) {
    if (performance.now() > deadline) throw new DemoFailure(`${what} did not happen within ${timeout_ms / 1000} s`);
    await Bun.sleep(50);
  }
}

/** `neophyte` asks for promotion (hive-promote); each of `vouchers` vouches once it has the request (hive-vouch); done when every node lists it as a member. */
async function promote(fleet: SimFleet, neophyte: SimFleetMember, vouchers: readonly SimFleetMember[], names: ReadonlyMap<string, string>, say: (line: string) => void, timeout_ms: number): Promise<void> {
  const label = names.get(neophyte.node.nodeId)!;
  const req = await cli<PromoteResult>(neophyte, label, 'hive-promote', {}, timeout_ms);
  say(`[${label}] ${tool(neophyte)} hive-promote → request ${req.request_id!.slice(0, 16)}…, quorum ${req.quorum}`);
  for (const v of vouchers) {
    const vl = names.get(v.node.nodeId)!;
    const hasRequest = async () => (await cli<MembersResult>(v, vl, 'hive-members', {}, timeout_ms)).promotions.some((p) => p.request_id === req.request_id);
    await until(hasRequest, `${vl} receiving ${label}'s promotion request`, timeout_ms);
    const r = await cli<PromoteResult>(v, vl, 'hive-vouch', { node_id: neophyte.node.nodeId }, timeout_ms);
    say(`[${vl}] ${tool(v)} hive-vouch ${label} → ${r.tier === 'member' ? `${label} promoted to member` : `vouches ${r.vouchers.length}/${r.quorum}`}`);
  }
  const everywhere = async () => (await Promise.all(FLEET.map((f) => cli<MembersResult>(fleet.member(f.name), f.label, 'hive-members', {}, timeout_ms)))).every((l) => l.members.some((m) => m.node_id === neophyte.node.nodeId && m.tier === 'member'));
  await until(everywhere, `${label}'s promotion reaching every node`, timeout_ms);
}

/**
 * Run the demo.
 * @returns the summary (formed or not, with the reason) and the planner report text. Never throws
 *   for a demo failure; everything started is stopped and the temporary directory removed.
 */
export async function runDemo(opts: DemoOptions): Promise<DemoOutcome> {
  const t0 = performance.now();
  const seconds = () => Math.round((performance.now() - t0) / 10) / 100;
  const root = opts.dir ?? mkdtempSync(join(tmpdir(), 'hbx-demo-'));
  const signers: RunningSimulator[] = [];
  let fleet: SimFleet | null = null;
  let graphSize = { nodes: 0, channels: 0 };
  let nodes: DemoNodeSummary[] = [];
  const names = new Map<string, string>();
  const narrate = narrator(names);
  const factor = opts.wait_factor ?? 1;
  const convergeMs = (opts.converge_timeout_ms ?? 30_000) * factor;
  const joinWaitS = 60 * factor;
  let outcome: { formed: boolean; reason?: string; planner: PlannerSummary; report: string | null };
  let stopping: Promise<void> | null = null;
  const stopAll = () =>
    (stopping ??= (async () => {
      await fleet?.stop();
      for (const s of signers) await s.stop();
    })());
  opts.signal?.addEventListener('abort', () => void stopAll(), { once: true });
  try {
    const g = await loadGraph(opts);
    graphSize = { nodes: g.nodeCount, channels: g.channelCount };
    opts.say(
      opts.mixed
        ? 'starting simnet: A and B simulated CLN v26.06 nodes running the real hivebox plugin, C a simulated LND (gRPC, TLS, macaroon; no plugin); each with its daemon and a simulated USB signer'
        : 'starting simnet (simulated CLN v26.06): 3 nodes, each running the real hivebox plugin, its daemon and a simulated USB signer',
    );
    for (const f of FLEET) {
      mkdirSync(join(root, f.name), { recursive: true });
      signers.push(
        await startSignerSimulator({
          mode: 'subprocess',
          stateDir: join(root, `${f.name}-signer`),
          button: f.name === 'a' ? { press: 'approve', after_ms: opts.press_after_ms ?? 1_500 } : 'never',
          ready_timeout_ms: 15_000 * factor,
          log: (line) => opts.say(`[${f.label} signer] ${line.replace(/^\[signer\] /, '')}`),
        }),
      );
    }
    const onEvent = (label: string) => (e: EngineEvent) => {
      opts.onEvent?.(label, e);
      const line = narrate(label, e);
      if (line) opts.say(line);
    };
    fleet = await startSimFleet({
      root,
      nodes: FLEET.map((f) => ({ name: f.name, alias: `hivebox-${f.label}`, ...(opts.mixed && f.name === 'c' ? { implementation: 'lnd' as const } : {}) })),
      graph: async () => ({ channels: listChannels(g), nodes: listNodes(g) }),
      engineFactory: (name) => {
        const f = FLEET.find((x) => x.name === name)!;
        return hiveEngineFactory({
          store_path: join(root, name, 'hive.db'),
          signer: signers[FLEET.indexOf(f)]!.signer,
          settings: { ...DEFAULT_HIVE_SETTINGS, join_wait_s: joinWaitS },
          onEvent: onEvent(f.label),
        });
      },
      log: (name) => (level, event, fields) => {
        if (level === 'error') opts.say(`[${FLEET.find((f) => f.name === name)!.label}] daemon error: ${event} ${JSON.stringify(fields)}`);
      },
    });
    await fleet.waitPluginsConnected(10_000 * factor);
    const members = FLEET.map((f) => fleet!.member(f.name));
    const [a, b, c] = members as [SimFleetMember, SimFleetMember, SimFleetMember];
    FLEET.forEach((f, i) => names.set(members[i]!.node.nodeId, f.label));
    for (const m of members) opts.say(`  ${names.get(m.node.nodeId)}  ${m.node.nodeId}`);

    await fleet.network.openChannel(a.node, b.node.nodeId, { capacity_sat: FLEET_CHANNEL_SAT });
    await fleet.network.openChannel(a.node, c.node.nodeId, { capacity_sat: FLEET_CHANNEL_SAT });
    await fleet.network.openChannel(b.node, c.node.nodeId, { capacity_sat: FLEET_CHANNEL_SAT });
    const attachments = chooseAttachments(g);
    for (const at of attachments) await fleet.network.openChannel(members[at.fleet_index]!.node, at.target, { capacity_sat: at.capacity_sat });
    opts.say(`channels A–B, A–C, B–C (CHANNELD_NORMAL) and ${attachments.length} channels from the fleet to real mainnet nodes`);

    const genesis = await cli<{ hive_id: string }>(a, 'A', 'hive-genesis', {}, convergeMs);
    opts.say(`[A] lightning-cli hive-genesis → ${genesis.hive_id}; A is its first member`);
    for (const joiner of [b, c]) {
      const label = names.get(joiner.node.nodeId)!;
      opts.say(`[A] lightning-cli hive-invite valid_hours=24 req_splice=true (for ${label})`);
      const t = await cli<InviteResult>(a, 'A', 'hive-invite', { valid_hours: 24, req_splice: true }, convergeMs);
      opts.say(`[A] ticket ${t.ticket_id} signed by the fleet admin key ${t.admin_pubkey.slice(0, 16)}…`);
      opts.say(`[${label}] ${tool(joiner)} hive-join <ticket> ${a.node.nodeId.slice(0, 16)}…`);
      const j = await cli<JoinResult>(joiner, label, 'hive-join', { ticket: t.ticket, peer_id: a.node.nodeId }, joinWaitS * 1000 + convergeMs);
      opts.say(`[${label}] joined ${j.hive_id} as ${j.tier}: ${j.members.length} members, membership hash ${j.membership_hash.slice(0, 16)}…`);
    }

    const lists = await converge(fleet, convergeMs);
    nodes = lists.map((l, i) => ({
      node_id: members[i]!.node.nodeId,
      tier: l.members.find((m) => m.node_id === members[i]!.node.nodeId)?.tier ?? null,
      members: l.members.map((m) => m.node_id),
      membership_hash: l.membership_hash,
    }));
    const hashes = new Set(nodes.map((n) => n.membership_hash));
    const formed = hashes.size === 1 && nodes.every((n) => n.members.length === FLEET.length);
    if (!formed) throw new DemoFailure(`the member lists did not agree within ${convergeMs / 1000} s: ${nodes.map((n, i) => `${FLEET[i]!.label} has ${n.members.length}`).join(', ')}`);
    opts.say(`fleet formed: A, B and C all list 3 members with membership hash ${nodes[0]!.membership_hash}`);

    opts.say('B and C joined as neophytes; the planner counts only full members, so each asks for promotion and the full members vouch:');
    await promote(fleet, b, [a], names, opts.say, convergeMs);
    await promote(fleet, c, [a, b], names, opts.say, convergeMs);
    const promoted = await converge(fleet, convergeMs);
    nodes = nodes.map((n, i) => ({ ...n, tier: promoted[i]!.members.find((m) => m.node_id === n.node_id)?.tier ?? null, membership_hash: promoted[i]!.membership_hash }));
    const full = promoted[0]!.members.filter((m) => m.tier === 'member').map((m) => m.node_id);
    const plannerNode = opts.mixed ? c : a;
    opts.say(`planner: ${full.length} full members (${full.map((id) => names.get(id)).sort().join(', ')}) on the real graph${opts.mixed ? `, read through ${names.get(plannerNode.node.nodeId)}'s LND (DescribeGraph)` : ''}`);

    const view = await plannerView(plannerNode.backend, full, opts.top ?? 10);
    outcome = { formed: true, planner: view.summary, report: view.text };
  } catch (e) {
    const reason = opts.signal?.aborted ? 'interrupted' : e instanceof DemoFailure ? e.message : `unexpected error: ${e instanceof Error ? e.message : String(e)}`;
    outcome = { formed: false, reason, planner: EMPTY_PLANNER, report: null };
  } finally {
    await stopAll();
    if (!opts.dir) rmSync(root, { recursive: true, force: true });
  }
  const { formed, reason, planner, report } = outcome;
  return { summary: { formed, ...(reason === undefined ? {} : { reason }), graph: graphSize, nodes, planner, seconds: seconds() }, report };
}
