/**
 * cln-plugin: the thin Core Lightning plugin (`hivebox plugin`, wrapper `hivebox-plugin`).
 * README.md describes what lightningd sees; plugin.ts holds the protocol logic.
 */
export { PLUGIN_RPC_ERROR } from './errors.ts';
export { classifyPayload, custommsgFilters } from './hive-traffic.ts';
export { buildManifest, DEFAULT_DAEMON_SOCKET, DEFAULT_RPC_TIMEOUT_S, PLUGIN_OPTIONS } from './manifest.ts';
export { HiveboxPlugin, OPENCHANNEL_REFUSAL, type DaemonLink, type DaemonLinkFactory, type PluginIo } from './plugin.ts';
export { HIVE_RPC_METHODS, nameParams, usageOf, type HiveRpcMethod, type HiveRpcParam } from './rpc-methods.ts';
export { HIVEBOX_PLUGIN_EXECUTABLE } from './executable.ts';
export { runPlugin } from './stdio.ts';
