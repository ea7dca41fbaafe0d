/**
 * Everything one planner cycle reads, gathered from lightningd through `NodeBackend` (CLN v26.06
 * shapes) and from the fleet state: the public graph built from `listchannels` + `listnodes` with
 * the graph module's own reader (services/graph `graphFromListChannels`, so the daemon judges
 * exactly the graph `hivebox plan` would), `getinfo` block height, `feerates perkb` opening rate,
 * our channels and forwards (`listpeerchannels` + `listforwards` → channel health), on-chain funds
 * (`listfunds`), CLBoss presence (`plugin list`), the members with their gossiped topology, and
 * the targets locked by pending intents. Required calls failing make the cycle wait; optional
 * ones degrade to the safe value (feerate unknown blocks opens; no funds; CLBoss absent).
 */
import type { Graph } from '../../core/graph/graph.ts';
import { lockedTargets } from '../../core/machines/intent-lock.ts';
import type { FleetState } from '../../core/fleet/index.ts';
import { channelHealth, type MemberLiquidity } from '../../core/planner/channel-health.ts';
import type { PlannerConfig } from '../../core/planner/config.ts';
import type { CycleInput } from '../../core/planner/cycle.ts';
import type { FleetMember } from '../../core/planner/share.ts';
import { clnBackend, type NodeBackend, type NodeResult } from '../../core/ports.ts';
import { err, ok, type Result } from '../../core/result.ts';
import { negotiatedFeatures } from '../../core/ticket/features.ts';
import { describeGraphLoadError, graphFromListChannels, nodeNamesFromListNodes } from '../../../services/graph/index.ts';

/** A cycle input plus what the loop reports about how it was read. */
export interface GatheredInput {
  readonly input: CycleInput;
  /** Optional reads that failed (`feerates: …`), for the status and log. */
  readonly degraded: readonly string[];
}

/**
 * The public graph kept resident from lightningd's own gossip_store (services/graph/gossip-store-file.ts):
 * brought up to date and returned, an error text when the file is unusable, or null when there is
 * none (then `listchannels` + `listnodes` are asked instead).
 */
export type PublicGraphSource = () => Result<Graph, string> | null;

/** Why the inputs could not be read (the cycle waits and retries). */
export interface GatherError {
  readonly call: string;
  readonly message: string;
}

/** CLN's plugin names are paths; CLBoss's executable is `clboss`. */
const CLBOSS_RE = /(^|\/)clboss[^/]*$/;

/**
 * The planner's members: every member of the hive with its tier and its topology — ours is our
 * public channels in the graph (facts, not claims); another member's is its last non-stale
 * GOSSIP, and without one it contributes no capacity (topology []): stale or never-heard claims
 * are not trusted (spec 003 §3.1). Capacity comes from the public graph only (the largest public
 * channel member–target), so a gossiped capacity can never raise a share.
 */
export function plannerMembers(fleet: FleetState): FleetMember[] {
  const us = fleet.config.our_node_id;
  return [...fleet.membership.members.values()].map((m) => {
    if (m.node_id === us) return { node_id: m.node_id, tier: m.tier };
    const row = fleet.tables.states.get(m.node_id);
    return { node_id: m.node_id, tier: m.tier, topology: row && row.stale === 0 ? row.topology : [] };
  });
}

/** Build the public graph from lightningd's `listchannels` and `listnodes` answers. */
export function graphFromNode(channels: readonly unknown[], nodes: readonly unknown[] | null): Result<Graph, GatherError> {
  const names = nodes === null ? null : nodeNamesFromListNodes({ nodes });
  const g = graphFromListChannels({ channels }, names?.ok ? { names: names.value } : {});
  return g.ok ? ok(g.value) : err({ call: 'listchannels', message: describeGraphLoadError(g.error) });
}

function failed(call: string, r: NodeResult<unknown>): GatherError | null {
  return r.ok ? null : { call, message: `${r.error.code}: ${r.error.message}` };
}

/**
 * Read one cycle's inputs.
 * @param now unix seconds (forwards are judged over [now − health_window_s, now]).
 * @param publicGraph the resident gossip_store graph, when the daemon has one: `listchannels` and
 *   `listnodes` (≈ 39 MB of JSON on mainnet) are then not asked for.
 * @returns the input, or the first required call that failed (listchannels, getinfo, listpeerchannels).
 */
export async function gatherCycleInput(
  backend: NodeBackend,
  fleet: FleetState,
  cfg: PlannerConfig,
  now: number,
  healthWindowS: number,
  publicGraph?: PublicGraphSource,
): Promise<Result<GatheredInput, GatherError>> {
  const resident = publicGraph?.() ?? null;
  const fromStore = resident?.ok === true;
  const skipped = Promise.resolve({ ok: true, value: [] } as NodeResult<never[]>);
  const [channels, nodes, info, feerates, peerChannels, forwards, funds, plugins] = await Promise.all([
    fromStore ? skipped : backend.listchannels(),
    fromStore ? skipped : backend.listnodes(),
    backend.getinfo(),
    backend.feerates('perkb'),
    backend.listpeerchannels(),
    backend.listforwards(),
    backend.listfunds(),
    clnBackend(backend)?.call('plugin', { subcommand: 'list' }) ?? Promise.resolve({ ok: true as const, value: { plugins: [] } }),
  ]);
  const required = failed('listchannels', channels) ?? failed('getinfo', info) ?? failed('listpeerchannels', peerChannels);
  if (required || !channels.ok || !info.ok || !peerChannels.ok) return err(required!);
  const degraded: string[] = [];
  const note = (call: string, r: NodeResult<unknown>) => {
    if (!r.ok) degraded.push(`${call}: ${r.error.message}`);
  };
  [['listnodes', nodes], ['feerates', feerates], ['listforwards', forwards], ['listfunds', funds], ['plugin list', plugins]].forEach(([c, r]) => note(c as string, r as NodeResult<unknown>));

  if (resident && !resident.ok) degraded.push(`gossip_store: ${resident.error}; used listchannels`);
  const graph = resident?.ok ? resident : graphFromNode(channels.value, nodes.ok ? nodes.value : null);
  if (!graph.ok) return graph;
  const perkb = feerates.ok ? (feerates.value.perkb?.opening ?? feerates.value.perkb?.min_acceptable ?? null) : null;
  const onchain = funds.ok ? funds.value.outputs.filter((o) => o.status === 'confirmed' && !o.reserved).reduce((s, o) => s + Math.floor(o.amount_msat / 1000), 0) : 0;
  const pluginList = plugins.ok ? ((plugins.value as { plugins?: { name?: unknown }[] }).plugins ?? []) : [];
  const clboss = pluginList.some((p) => typeof p.name === 'string' && CLBOSS_RE.test(p.name));
  const self = info.value.id;
  const health: MemberLiquidity = {
    member: self,
    splice_capable: negotiatedFeatures(info.value.our_features?.init ?? '')?.has('splice') === true,
    channels: channelHealth(peerChannels.value, forwards.ok ? forwards.value : [], { now_s: now, window_s: healthWindowS }, cfg),
  };
  return ok({
    input: {
      graph: graph.value,
      self_node_id: self,
      members: plannerMembers(fleet),
      blockheight: info.value.blockheight,
      feerate_perkb: perkb,
      clboss_present: clboss,
      onchain_available_sat: onchain,
      our_peer_ids: [...new Set(peerChannels.value.map((c) => c.peer_id))],
      pending_intent_targets: lockedTargets(fleet, now),
      liquidity: [health],
    },
    degraded,
  });
}
