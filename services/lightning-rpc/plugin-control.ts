/**
 * lightningd's `plugin` command (CLN v26.06 lightning-plugin(7)) as the supervisor's `PluginRpc`
 * (services/systemd/components.ts): `plugin list`, and `plugin start PATH` with the plugin's
 * options as keyword params, so a restarted plugin gets the same `hivebox-socket` whatever
 * lightningd remembers from its config file.
 */
import type { PluginListEntry, PluginRpc } from '../systemd/components.ts';
import type { LightningRpcClient } from './client.ts';

/**
 * `PluginRpc` over `client`.
 * @param startOptions `name=value` plugin options passed with every `plugin start`.
 */
export function clnPluginRpc(client: LightningRpcClient, startOptions: Readonly<Record<string, string | number | boolean>> = {}): PluginRpc {
  return {
    pluginList: () => client.call<{ plugins: readonly PluginListEntry[] }>('plugin', { subcommand: 'list' }),
    pluginStart: (path) => client.call('plugin', { ...startOptions, subcommand: 'start', plugin: path }, { timeoutMs: 90_000 }),
  };
}
