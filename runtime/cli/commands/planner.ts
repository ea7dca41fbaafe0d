/**
 * `hivebox planner log|explain`: the planner's decision log and "why not this one?" without a daemon.
 * Both run one fresh cycle on a graph file (advisor mode, the configured defaults, expansions as given
 * by --enable-expansions, CLBoss absent, the given feerate) and print its decisions — the same cycle
 * the daemon runs (its own log is served by `hive-planner-log` once the daemon wires the planner).
 */
import type { Command } from 'commander';
import { runCycle, type CycleOutput } from '../../core/planner/cycle.ts';
import { plannerConfig } from '../../core/planner/config.ts';
import { explain, formatSat, formatShare, type TargetDecision } from '../../core/planner/decision-log.ts';
import { INITIAL_PLANNER_STATE } from '../../core/planner/state.ts';
import { isNodeId } from '../../core/types.ts';
import { EXIT } from '../exit-codes.ts';
import { CliFailure, DEFAULT_GRAPH_PATH, loadGraphWithProgress, positiveInt, resolveBlockheight, resolveMembers, runCommand } from './plan-graph.ts';

/** Options shared by both subcommands. */
interface CycleOptions {
  graph: string;
  nodes?: string;
  members?: string;
  self?: string;
  blockheight?: string;
  feerate?: string;
  onchain: string;
  enableExpansions?: boolean;
  json?: boolean;
}

async function offlineCycle(opts: CycleOptions): Promise<{ out: CycleOutput; minCapacity: number; graph: Awaited<ReturnType<typeof loadGraphWithProgress>> }> {
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

function withCycleOptions(cmd: Command): Command {
  return cmd
    .option('--graph <file>', 'graph file', DEFAULT_GRAPH_PATH)
    .option('--nodes <file>', 'node map / listnodes file (default: found beside the graph)')
    .option('--members <ids>', 'comma-separated fleet member node ids (default: the three best-connected nodes)')
    .option('--self <id>', 'the node the planner runs on (default: the first member)')
    .option('--blockheight <n>', 'current block height (default: the graph\'s newest scid)')
    .option('--feerate <perkb>', 'opening feerate in sat/kB (default: unknown, which blocks opens)')
    .option('--onchain <sat>', 'our on-chain funds in sat', '0')
    .option('--enable-expansions', 'let the cycle propose expansions (planner_enable_expansions)')
    .option('--json', 'print JSON');
}

/** Register `hivebox planner` with `log` and `explain`. */
export function registerPlanner(program: Command): void {
  const planner = program.command('planner').description('the planner\'s decision log and explanations, from one offline cycle on a graph file');
  withCycleOptions(planner.command('log').description('run one planner cycle and print every decision with its figures and rule'))
    .option('--limit <n>', 'decisions to print (text mode)', '40')
    .action((opts: CycleOptions & { limit: string }) =>
      runCommand(async () => {
        const limit = positiveInt('--limit', opts.limit);
        const { out } = await offlineCycle(opts);
        const log = out.log;
        if (opts.json) return console.log(JSON.stringify(log));
        console.log(`cycle ${log.cycle_id}: ${log.outcome}; ${JSON.stringify(log.counts)}`);
        console.log(`gates: ${JSON.stringify(log.gates)}`);
        const order = [...log.targets].sort((a, b) => b.hive_share - a.hive_share || b.public_capacity_sat - a.public_capacity_sat);
        for (const t of order.slice(0, limit)) console.log(line(t));
        if (order.length > limit) console.log(`… ${order.length - limit} more (--limit, --json)`);
      }),
    );
  withCycleOptions(planner.command('explain').description('why the planner did or did not act on NODE_ID').argument('<node_id>'))
    .action((nodeId: string, opts: CycleOptions) =>
      runCommand(async () => {
        const id = nodeId.toLowerCase();
        if (!isNodeId(id)) throw new CliFailure(`"${nodeId}" is not a 66-hex node id`, EXIT.usage);
        const { out, graph, minCapacity } = await offlineCycle(opts);
        const e = explain(out.log, id, graph, minCapacity);
        if (opts.json) return console.log(JSON.stringify(e));
        console.log(e.found === 'decision' ? line(e.decision) : `${id}: ${e.rule}`);
      }),
    );
}
