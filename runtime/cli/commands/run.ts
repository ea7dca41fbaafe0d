/**
 * `hivebox run [--config FILE]`: the long-lived daemon (systemd runs it as hivebox.service,
 * Type=notify). Loads the configuration (file ← HIVEBOX_* env ← flags) and starts the appliance
 * (runtime/daemon/appliance.ts: engine, plugin IPC, sd_notify, supervisor, MQTT status). SIGTERM
 * or SIGINT stops it gracefully within `[supervisor] stop_timeout_s`; a `failed` health or a
 * startup error exits 1 so systemd's Restart= takes over.
 */
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { EXIT } from '../exit-codes.ts';

interface RunFlags {
  config?: string;
  set: string[];
  rpcFile?: string;
  socket?: string;
}

/** Register `hivebox run`. */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run the hivebox daemon: engine, plugin IPC socket, lightning-rpc client, systemd notifications, supervision, MQTT status')
    .option('--config <file>', 'TOML configuration file (default: $HIVEBOX_CONFIG, else built-in defaults)')
    .option('--set <section.key=value>', 'override one config key (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--rpc-file <path>', 'lightningd lightning-rpc socket (= --set lightning.rpc_file=PATH)')
    .option('--socket <path>', 'IPC socket for the plugin (= --set daemon.ipc_socket=PATH)')
    .addHelpText(
      'after',
      '\nEvery config key can also be set as HIVEBOX_<SECTION>_<KEY>, e.g. HIVEBOX_DAEMON_TICK_MS=500.\nSections: [lightning] [daemon] [log] [hive] [signer] [supervisor] [mqtt] [mgmt].\nExit codes: 0 stopped by signal, 1 failure, 64 bad configuration.',
    )
    .action(async (flags: RunFlags) => {
      const sets = [...flags.set];
      if (flags.rpcFile !== undefined) sets.push(`lightning.rpc_file=${JSON.stringify(flags.rpcFile)}`);
      if (flags.socket !== undefined) sets.push(`daemon.ipc_socket=${JSON.stringify(flags.socket)}`);
      const cfg = loadConfig({ file: flags.config, env: process.env, sets, home: process.env.HOME });
      if (!cfg.ok) {
        console.error(`hivebox run: ${cfg.error.message}`);
        process.exit(EXIT.usage);
      }
      const config = cfg.value;
      const { startAppliance } = await import('../../daemon/appliance.ts');
      let appliance: Awaited<ReturnType<typeof startAppliance>> | undefined;
      const stopWithin = (code: number, reason: string) => {
        setTimeout(() => process.exit(EXIT.failure), config.supervisor.stop_timeout_s * 1000).unref();
        void appliance?.stop(reason).then(() => process.exit(code));
      };
      try {
        appliance = await startAppliance({ config, onFailed: () => stopWithin(EXIT.failure, 'health failed') });
      } catch (e) {
        console.error(`hivebox run: ${e instanceof Error ? e.message : String(e)}`);
        process.exit(EXIT.failure);
      }
      process.once('SIGTERM', () => stopWithin(EXIT.ok, 'SIGTERM'));
      process.once('SIGINT', () => stopWithin(EXIT.ok, 'SIGINT'));
    });
}
