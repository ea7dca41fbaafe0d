/**
 * `hivebox plan [--graph FILE] [--nodes FILE] [--config FILE] [--members ID,...] [--top N] [--blockheight N] [--json]`:
 * hive_share of every node of a real graph file for the given fleet (members' topology = their public
 * channels in the graph), and the report of top, saturated and underserved targets (spec 003, issue 7).
 * The graph: `--graph`, else `[planner] graph`, else the binary's embedded copy (plan-graph.ts).
 */
import type { Command } from 'commander';
import { analyze } from '../../core/planner/analysis.ts';
import { DEFAULT_PLANNER_CONFIG } from '../../core/planner/config.ts';
import { buildPlanReport, renderPlanReport } from '../../core/planner/report.ts';
import { loadGraphWithProgress, positiveInt, resolveBlockheight, resolveGraphSource, resolveMembers, runCommand } from './plan-graph.ts';

/** Options of `hivebox plan`. */
interface PlanOptions {
  graph?: string;
  config?: string;
  nodes?: string;
  members?: string;
  top: string;
  blockheight?: string;
  json?: boolean;
}

/** Register `hivebox plan`. */
export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('report hive_share of every target on a real Lightning graph for a fleet: top, saturated (≥ 20 %) and underserved (< 5 %, ≥ 1 BTC) targets')
    .option('--graph <file>', 'CLN gossmap-compressed snapshot or listchannels JSON (gzip/xz/plain); default: [planner] graph, else the embedded 2026-02-03 mainnet graph')
    .option('--config <file>', 'hivebox TOML configuration for [planner] graph (default: $HIVEBOX_CONFIG)')
    .option('--nodes <file>', 'node map / listnodes file (default: found beside the graph)')
    .option('--members <ids>', 'comma-separated fleet member node ids (default: the three best-connected nodes)')
    .option('--top <n>', 'entries per list', '10')
    .option('--blockheight <n>', 'current block height for target ages (default: the graph\'s newest scid)')
    .option('--json', 'print the report as JSON')
    .action((opts: PlanOptions) =>
      runCommand(async () => {
        const top = positiveInt('--top', opts.top);
        const source = resolveGraphSource(opts);
        const graph = await loadGraphWithProgress(source.graph, source.nodes);
        const members = resolveMembers(graph, opts.members);
        const blockheight = resolveBlockheight(graph, opts.blockheight);
        const report = buildPlanReport(analyze(graph, members, DEFAULT_PLANNER_CONFIG, blockheight), DEFAULT_PLANNER_CONFIG, top);
        console.log(opts.json ? JSON.stringify(report) : renderPlanReport(report));
      }),
    );
}
