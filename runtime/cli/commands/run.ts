/**
 * `hivebox run [--config FILE]`: the long-lived daemon (systemd runs it). Loads the configuration
 * (file ← HIVEBOX_* env ← flags), starts the daemon shell with the engine factory the composition
 * root supplies, and stops gracefully on SIGTERM/SIGINT.
 */
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import type { EngineFactory } from '../../daemon/engine.ts';
import { EXIT } from '../exit-codes.ts';

interface RunFlags {
  config?: string;
  set: string[];
  rpcFile?: string;
  socket?: string;
}

/**
 * Register `hivebox run`.
 * @param engineFactory the Hive engine to drive; without one, `run` refuses to start (exit 1)
 *   because a daemon without an engine would accept plugin traffic and drop it.
 */
export function registerRun(program: Command, engineFactory?: EngineFactory): void {
  program
    .command('run')
    .description('run the hivebox daemon: engine, plugin IPC socket, lightning-rpc client')
    .option('--config <file>', 'TOML configuration file (default: $HIVEBOX_CONFIG, else built-in defaults)')
    .option('--set <section.key=value>', 'override one config key (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--rpc-file <path>', 'lightningd lightning-rpc socket (= --set lightning.rpc_file=PATH)')
    .option('--socket <path>', 'IPC socket for the plugin (= --set daemon.ipc_socket=PATH)')
    .addHelpText('after', '\nEvery config key can also be set as HIVEBOX_<SECTION>_<KEY>, e.g. HIVEBOX_DAEMON_TICK_MS=500.\nExit codes: 0 stopped by signal, 1 failure, 64 bad configuration.')
    .action(async (flags: RunFlags) => {
      const sets = [...flags.set];
      if (flags.rpcFile !== undefined) sets.push(`lightning.rpc_file=${JSON.stringify(flags.rpcFile)}`);
      if (flags.socket !== undefined) sets.push(`daemon.ipc_socket=${JSON.stringify(flags.socket)}`);
      const cfg = loadConfig({ file: flags.config, env: process.env, sets, home: process.env.HOME });
      if (!cfg.ok) {
        console.error(`hivebox run: ${cfg.error.message}`);
        process.exit(EXIT.usage);
      }
      if (!engineFactory) {
        console.error('hivebox run: this build has no Hive engine wired in (runtime/cli/registry.ts passes none to registerRun)');
        process.exit(EXIT.failure);
      }
      const { startDaemon } = await import('../../daemon/daemon.ts');
      const daemon = await startDaemon({ config: cfg.value, engineFactory });
      const stop = () => void daemon.stop().then(() => process.exit(EXIT.ok));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}
