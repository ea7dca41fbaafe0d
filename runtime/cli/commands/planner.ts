/**
 * `hivebox planner log|explain|status|expansions`: the daemon's planner (`hive-planner-log`,
 * `hive-planner-explain`, `hive-planner-status`, `hive-planner-enable-expansions` over the daemon
 * socket): its last decision log, "why not this one?", its timer and switches. With `--graph FILE`
 * `log` and `explain` run instead one fresh offline cycle on a graph file (advisor mode, defaults,
 * expansions as given by --enable-expansions, CLBoss absent, the given feerate) — the same cycle
 * the daemon runs, without a daemon.
 */
import type { Command } from 'commander';
import { runCycle, type CycleOutput } from '../../core/planner/cycle.ts';
import { plannerConfig } from '../../core/planner/config.ts';
import { explain, formatSat, formatShare, type DecisionLog, type Explanation, type TargetDecision } from '../../core/planner/decision-log.ts';
import { INITIAL_PLANNER_STATE } from '../../core/planner/state.ts';
import { isNodeId } from '../../core/types.ts';
import type { EnableExpansionsResult, PlannerLogResult } from '../../node/hive/rpc/planner.ts';
import type { PlannerStatus } from '../../node/planner/planner-status.ts';
import { runDaemonCommand, withDaemonOptions, type DaemonCliOptions } from '../daemon-rpc.ts';
import { EXIT } from '../exit-codes.ts';
import { CliFailure, loadGraphWithProgress, positiveInt, resolveBlockheight, resolveMembers, runCommand } from './plan-graph.ts';

/** Options shared by both subcommands (offline cycle when `graph` is given). */
interface CycleOptions extends DaemonCliOptions {
  graph?: string;
  nodes?: string;
  members?: string;
  self?: string;
  blockheight?: string;
  feerate?: string;
  onchain: string;
  enableExpansions?: boolean;
}

async function offlineCycle(opts: CycleOptions & { graph: string }): Promise<{ out: CycleOutput; minCapacity: number; graph: Awaited<ReturnType<typeof loadGraphWithProgress>> }> {
  const cfg = plannerConfig(opts.enableExpansions ? { planner_enable_expansions: true } : {});
  if (!cfg.ok) throw new CliFailure(`${cfg.error.key}: ${cfg.error.reason}`, EXIT.usage);
  const graph = await loadGraphWithProgress(opts.graph, opts.nodes);
  const members = resolveMembers(graph, opts.members);
  const self = opts.self ?? members[0]!.node_id;
  if (!isNodeId(self)) throw new CliFailure(`--self: "${self}" is not a 66-hex node id`, EXIT.usage);
  const feerate = opts.feerate === undefined ? null : Number(opts.feerate);
  if (feerate !== null && !(feerate >= 0)) throw new CliFailure(`--feerate: "${opts.feerate}" is not a feerate in sat/kB`, EXIT.usage);
  const onchain = Number(opts.onchain);
  if (!(onchain >= 0)) throw new CliFailure(`--onchain: "${opts.onchain}" is not an amount in sat`, EXIT.usage);
  const input = {
    graph,
    self_node_id: self,
    members,
    blockheight: resolveBlockheight(graph, opts.blockheight),
    feerate_perkb: feerate,
    clboss_present: false,
    onchain_available_sat: onchain,
  };
  const result = runCycle(INITIAL_PLANNER_STATE, input, cfg.value, 0);
  if (!result.ok) throw new CliFailure(result.error.kind === 'BadCycleInput' ? `${result.error.field}: ${result.error.reason}` : result.error.kind, EXIT.usage);
  return { out: result.value, minCapacity: cfg.value.underserved_min_target_capacity_sat, graph };
}

function line(t: TargetDecision): string {
  const age = t.age_days === null ? 'age unknown' : `${t.age_days.toFixed(0)} d`;
  return `${t.node_id} ${(t.alias || '-').slice(0, 20).padEnd(20)} share ${formatShare(t.hive_share).padStart(8)}  public ${formatSat(t.public_capacity_sat).padStart(12)}  ${age.padEnd(11)}  ${t.reason}: ${t.rule}`;
}

/** The log as text: header, gates, then up to `limit` targets, highest hive_share first. */
function renderLog(log: DecisionLog, limit: number, total = log.targets.length): string {
  const order = [...log.targets].sort((a, b) => b.hive_share - a.hive_share || b.public_capacity_sat - a.public_capacity_sat);
  const lines = [`cycle ${log.cycle_id}: ${log.outcome}; ${JSON.stringify(log.counts)}`, `gates: ${JSON.stringify(log.gates)}`, ...order.slice(0, limit).map(line)];
  for (const l of log.liquidity) lines.push(`${l.kind} ${l.member.slice(0, 16)}… ${l.short_channel_id}: ${l.proposed ? `proposed ${l.action_id}` : 'not proposed'}: ${l.rule}`);
  if (total > limit) lines.push(`… ${total - limit} more (--limit, --json)`);
  return lines.join('\n');
}

function renderExplanation(e: Explanation): string {
  return e.found === 'decision' ? line(e.decision) : `${e.node_id}: ${e.rule}`;
}

function renderStatus(s: PlannerStatus): string {
  const at = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
  const last = s.last_cycle;
  const lines = [
    `mode      ${s.governance_mode}, expansions ${s.expansions_enabled ? 'enabled' : 'disabled'}, CLBoss ${s.clboss_present ? 'present' : 'absent'}`,
    `timer     every ${s.effective_interval_s} s (configured ${s.planner_interval_s} s) + up to ${s.jitter_max_s} s jitter; next ${at(s.next_run_at)}; ${s.cycles_run} cycles run`,
    last ? `last      ${last.cycle_id ?? '-'} at ${at(last.at)}: ${last.outcome}${last.error ? ` (${last.error})` : ''}; inputs ${Math.round(last.gather_ms)} ms, cycle ${Math.round(last.cycle_ms)} ms${s.last_persist_ms === null ? '' : `, stored ${Math.round(s.last_persist_ms)} ms`}${last.counts ? `; ${JSON.stringify(last.counts)}` : ''}` : 'last      no cycle yet',
    `actions   ${s.pending_actions} pending, ${s.guarded_targets} targets guarded, ${s.rejections_in_backoff} in rejection backoff`,
    ...s.mass_saturation.map((e) => `breaker   ${at(e.at)} ${e.cycle_id}: mass saturation detected (${e.guard_actions} guard actions > ${e.limit}; ${e.new_saturated} new saturated), cycle aborted`),
    ...s.degraded_inputs.map((d) => `degraded  ${d}`),
    ...s.top_targets.map((t) => `top       ${t.node_id} ${(t.alias || '-').slice(0, 20).padEnd(20)} ${formatShare(t.hive_share).padStart(8)} of ${formatSat(t.public_capacity_sat)}`),
  ];
  return lines.join('\n');
}

function withCycleOptions(cmd: Command): Command {
  return withDaemonOptions(cmd)
    .option('--graph <file>', 'offline: run one cycle on this graph file instead of asking the daemon')
    .option('--nodes <file>', 'node map / listnodes file (default: found beside the graph)')
    .option('--members <ids>', 'comma-separated fleet member node ids (default: the three best-connected nodes)')
    .option('--self <id>', 'the node the planner runs on (default: the first member)')
    .option('--blockheight <n>', 'current block height (default: the graph\'s newest scid)')
    .option('--feerate <perkb>', 'opening feerate in sat/kB (default: unknown, which blocks opens)')
    .option('--onchain <sat>', 'our on-chain funds in sat', '0')
    .option('--enable-expansions', 'let the cycle propose expansions (planner_enable_expansions)');
}

/** Register `hivebox planner` with `log` and `explain`. */
export function registerPlanner(program: Command): void {
  const planner = program.command('planner').description("the daemon planner's decision log, explanations, status and expansions switch (log/explain offline with --graph)");
  withCycleOptions(planner.command('log').description('print the last cycle\'s decisions with their figures and rule (--graph: run one offline cycle)'))
    .option('--limit <n>', 'decisions to print', '40')
    .action(async (opts: CycleOptions & { limit: string }) => {
      if (opts.graph === undefined) {
        const limit = Number(opts.limit);
        await runDaemonCommand('planner log', opts, (d) => d.call<PlannerLogResult>('hive-planner-log', { limit }), (r) =>
          r.log ? renderLog(r.log, limit, r.total_targets) : `no cycle yet; the first runs at ${new Date(r.next_run_at * 1000).toISOString()}`,
        );
        return;
      }
      const graph = opts.graph;
      await runCommand(async () => {
        const limit = positiveInt('--limit', opts.limit);
        const { out } = await offlineCycle({ ...opts, graph });
        console.log(opts.json ? JSON.stringify(out.log) : renderLog(out.log, limit));
      });
    });
  withCycleOptions(planner.command('explain').description('why the planner did or did not act on NODE_ID').argument('<node_id>'))
    .action(async (nodeId: string, opts: CycleOptions) => {
      const id = nodeId.toLowerCase();
      if (opts.graph === undefined) {
        await runDaemonCommand('planner explain', opts, (d) => d.call<Explanation>('hive-planner-explain', { node_id: id }), renderExplanation);
        return;
      }
      const graph = opts.graph;
      await runCommand(async () => {
        if (!isNodeId(id)) throw new CliFailure(`"${nodeId}" is not a 66-hex node id`, EXIT.usage);
        const { out, graph: g, minCapacity } = await offlineCycle({ ...opts, graph });
        const e = explain(out.log, id, g, minCapacity);
        console.log(opts.json ? JSON.stringify(e) : renderExplanation(e));
      });
    });
  withDaemonOptions(planner.command('status').description("the planner's timer, switches, last cycle, mass-saturation events and top targets")).action((opts: DaemonCliOptions) =>
    runDaemonCommand('planner status', opts, (d) => d.call<PlannerStatus>('hive-planner-status', {}), renderStatus),
  );
  withDaemonOptions(planner.command('expansions').description('show, or switch on/off, channel-open proposals (default off)').argument('[on|off]')).action((value: string | undefined, opts: DaemonCliOptions) => {
    if (value !== undefined && value !== 'on' && value !== 'off') {
      console.error('hivebox planner expansions: expected on or off');
      process.exitCode = EXIT.usage;
      return;
    }
    return runDaemonCommand('planner expansions', opts, (d) => d.call<EnableExpansionsResult>('hive-planner-enable-expansions', value === undefined ? {} : { enabled: value === 'on' }), (r) =>
      `expansions ${r.expansions_enabled ? 'enabled' : 'disabled'}${r.previous === r.expansions_enabled ? '' : ` (were ${r.previous ? 'enabled' : 'disabled'})`}`,
    );
  });
}
