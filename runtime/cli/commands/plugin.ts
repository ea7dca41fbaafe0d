/**
 * `hivebox plugin`: the thin Core Lightning plugin. lightningd launches it (plugin=/path/to/
 * services/cln-plugin/hivebox-plugin) and speaks JSON-RPC on stdin/stdout; it relays to the
 * daemon over the IPC socket given by the `hivebox-socket` plugin option. The implementation is
 * loaded only when this command runs, so the plugin starts fast.
 */
import type { Command } from 'commander';

/** Register `hivebox plugin`. */
export function registerPlugin(program: Command): void {
  program
    .command('plugin')
    .description('run as a Core Lightning plugin (started by lightningd; JSON-RPC on stdin/stdout, relays to `hivebox run`)')
    .addHelpText(
      'after',
      '\nInstall: add `plugin=/path/to/hivebox/services/cln-plugin/hivebox-plugin` to the lightningd config.\nPlugin options: --hivebox-socket=PATH (default /run/hivebox/plugin.sock), --hivebox-rpc-timeout=SECONDS (default 300).',
    )
    // lightningd passes its own flags on the command line (`--developer`, `--dev-debug-self` in
    // developer mode, also through `plugin start`); a plugin that refused them would die before
    // getmanifest and lightningd would then reject the plugin's options in its config.
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async () => {
      const { runPlugin } = await import('../../../services/cln-plugin/stdio.ts');
      await runPlugin();
    });
}
