/**
 * The plugin's `getmanifest` answer (CLN v26.06 a-day-in-the-life-of-a-plugin.md, hooks.md).
 * Pure data: building it touches no file and no socket, as lightningd requires (getmanifest may
 * run before lightningd owns its directory, e.g. for `lightningd --help`).
 */
import { MANAGEMENT_TYPES } from '../../runtime/core/wire/traffic.ts';
import { custommsgFilters } from './hive-traffic.ts';
import { HIVE_RPC_METHODS, usageOf } from './rpc-methods.ts';

/** Default of the `hivebox-socket` option: where `hivebox run` listens (daemon config `[daemon] ipc_socket`). */
export const DEFAULT_DAEMON_SOCKET = '/run/hivebox/plugin.sock';
/** Default of `hivebox-rpc-timeout`, seconds: a hive-invite may wait for the signer button (≤ 120 s) plus margin. */
export const DEFAULT_RPC_TIMEOUT_S = 300;

/** Plugin options lightningd adds to its own command line / config file. */
export const PLUGIN_OPTIONS = [
  { name: 'hivebox-socket', type: 'string', default: DEFAULT_DAEMON_SOCKET, description: 'Unix socket of the hivebox daemon (hivebox run)', dynamic: false },
  { name: 'hivebox-rpc-timeout', type: 'int', default: DEFAULT_RPC_TIMEOUT_S, description: 'Seconds to wait for the hivebox daemon to answer a hive-* command', dynamic: false },
] as const;

/** The getmanifest result object. */
export function buildManifest(): Record<string, unknown> {
  return {
    options: PLUGIN_OPTIONS.map((o) => ({ ...o })),
    rpcmethods: HIVE_RPC_METHODS.map((m) => ({ name: m.name, usage: usageOf(m), description: m.description })),
    hooks: [{ name: 'custommsg', filters: custommsgFilters() }, { name: 'peer_connected' }, { name: 'openchannel' }, { name: 'openchannel2' }],
    subscriptions: ['connect', 'disconnect', 'shutdown'],
    custommessages: [...MANAGEMENT_TYPES],
    nonnumericids: true,
    dynamic: true,
  };
}
