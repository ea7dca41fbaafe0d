/**
 * `hivebox demo [--graph FILE] [--nodes FILE] [--config FILE] [--top N] [--dir DIR] [--wait-factor N] [--json] [--mixed]`: watch a three-node
 * fleet form on the real 2026-02-03 mainnet graph in simnet, over the real plugin protocol, then
 * the planner's view of it (runtime/demo/run-demo.ts); `--mixed` makes C a simulated LND node. Commentary goes to stdout (stderr with
 * `--json`, whose stdout is the one summary object). Exit 0 when the fleet formed, 1 otherwise
 * with the reason, 64 for bad options.
 */
import type { Command } from 'commander';
import { runDemo } from '../../demo/run-demo.ts';
import { EXIT } from '../exit-codes.ts';
import { CliFailure, resolveGraphSource } from './plan-graph.ts';

interface DemoFlags {
  graph?: string;
  config?: string;
  nodes?: string;
  top: string;
  dir?: string;
  waitFactor: string;
  json?: boolean;
  mixed?: boolean;
}

/** Register `hivebox demo`. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('form a three-node fleet in a simulated Lightning network on the real mainnet graph, then show the planner\'s view')
    .option('--graph <file>', 'graph: CLN gossmap-compressed snapshot or listchannels JSON (gzip/xz/plain); default: [planner] graph, else the embedded 2026-02-03 mainnet graph')
    .option('--config <file>', 'hivebox TOML configuration for [planner] graph (default: $HIVEBOX_CONFIG)')
    .option('--nodes <file>', 'node map / listnodes file (default: found beside the graph)')
    .option('--top <n>', 'entries per planner list', '10')
    .option('--dir <dir>', 'keep the nodes\' state here (default: a temporary directory, removed at the end)')
    .option('--wait-factor <n>', 'multiply every wait bound (signer start 15 s, plugins 10 s, member lists 30 s, join 60 s) by n, 1-10, for a slow or emulated machine', '1')
    .option('--json', 'print one JSON summary object at the end (commentary goes to stderr)')
    .option('--mixed', 'a mixed fleet: A and B simulated Core Lightning, C a simulated LND node (no plugin, gRPC)')
    .addHelpText('after', '\nExit codes: 0 the fleet formed, 1 it did not (the reason is printed), 64 bad usage.')
    .action(async (flags: DemoFlags) => {
      const top = Number(flags.top);
      if (!Number.isInteger(top) || top <= 0) program.error(`--top must be a positive integer, got ${JSON.stringify(flags.top)}`, { exitCode: EXIT.usage });
      // At most 10: the join waits 60 s × n, and the daemon's join_wait_s allows 600 s.
      const waitFactor = Number(flags.waitFactor);
      if (!Number.isFinite(waitFactor) || waitFactor < 1 || waitFactor > 10) program.error(`--wait-factor must be a number from 1 to 10, got ${JSON.stringify(flags.waitFactor)}`, { exitCode: EXIT.usage });
      let source: { graph: string; nodes?: string };
      try {
        source = resolveGraphSource(flags);
      } catch (e) {
        if (!(e instanceof CliFailure)) throw e;
        return program.error(`hivebox demo: ${e.message}`, { exitCode: e.exitCode });
      }
      const abort = new AbortController();
      const interrupt = () => abort.abort();
      process.once('SIGINT', interrupt);
      process.once('SIGTERM', interrupt);
      const say = flags.json ? (line: string) => void process.stderr.write(`${line}\n`) : (line: string) => console.log(line);
      const { summary, report } = await runDemo({
        graphPath: source.graph,
        ...(source.nodes ? { nodesPath: source.nodes } : {}),
        ...(flags.dir ? { dir: flags.dir } : {}),
        top,
        wait_factor: waitFactor,
        say,
        progress: (text) => void process.stderr.write(text),
        signal: abort.signal,
        mixed: flags.mixed === true,
      });
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      if (flags.json) console.log(JSON.stringify(summary));
      else if (report !== null) console.log(`\nThe planner's view of the fleet on the real graph (read through A's listchannels):\n\n${report}\n\nDone in ${summary.seconds} s.`);
      if (!summary.formed) {
        console.error(`hivebox demo: the fleet did not form: ${summary.reason}`);
        process.exitCode = EXIT.failure;
      }
    });
}
