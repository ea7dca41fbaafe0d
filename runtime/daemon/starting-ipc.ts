/**
 * The IPC socket while `hivebox run` starts: it listens from the first second, before lightningd
 * answers and before the node store is open, and answers every `hive-*` command (from the CLI or a
 * plugin) with the `starting` error carrying the start-up line systemd's STATUS= shows ("starting:
 * waiting for lightningd at …"). The daemon takes the socket over when the engine is built
 * (runtime/daemon/daemon.ts `beforeListen`). Plugin events that arrive meanwhile are dropped: nothing
 * could handle them yet, and lightningd re-reports connections to the real daemon.
 */
import { listenIpc, type IpcServer } from '../../services/daemon-ipc/index.ts';
import type { HiveboxConfig } from '../config/schema.ts';
import { RPC_ERROR } from '../engine/rpc/errors.ts';
import type { LogFn } from './engine.ts';

/**
 * Listen on `[daemon] ipc_socket` answering `starting` with `line()`.
 * @throws Error when another process holds the socket (as `startDaemon`).
 */
export function listenWhileStarting(config: HiveboxConfig, line: () => string, log: LogFn): Promise<IpcServer> {
  return listenIpc(
    config.daemon.ipc_socket,
    {
      onEvent: (ev) => log('debug', 'ipc_event_while_starting', { op: ev.op }),
      onRpc: async () => ({ error: { code: RPC_ERROR.starting, message: line() } }),
      onHello: (h) => {
        log('info', 'plugin_connected_while_starting', { plugin_version: h.plugin_version });
        return [];
      },
      onReject: (reason) => log('warn', 'ipc_line_rejected', { reason }),
    },
    config.daemon.ipc_socket_mode,
  );
}
