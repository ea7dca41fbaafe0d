/**
 * The IPC socket from `hivebox run`'s first second: it listens before lightningd answers and before
 * the node store is open, and answers every `hive-*` command (from the CLI or a plugin) with the
 * `starting` error carrying the start-up line systemd's STATUS= shows ("starting: waiting for
 * lightningd at …"). When the engine is built the daemon takes the same socket over
 * (`handOver`, runtime/daemon/daemon.ts): connections stay open, so nothing in flight is lost.
 * Plugin events that arrive before the hand-over are dropped: nothing could handle them yet, and
 * lightningd reports connections again later.
 */
import { listenIpc, type IpcHandlers, type IpcServer } from '../../services/daemon-ipc/index.ts';
import type { HiveboxConfig } from '../config/schema.ts';
import { RPC_ERROR } from '../node/hive/rpc/errors.ts';
import type { LogFn } from '../node/engine.ts';

/** The socket, listening since start-up, and the switch that gives its lines to the daemon. */
export interface StartupListener {
  readonly server: IpcServer;
  /** From now on every line goes to `handlers`. */
  handOver(handlers: IpcHandlers): void;
}

/**
 * Listen on `[daemon] ipc_socket` answering `starting` with `line()` until `handOver`.
 * @throws Error when another process holds the socket.
 */
export async function listenWhileStarting(config: HiveboxConfig, line: () => string, log: LogFn): Promise<StartupListener> {
  let current: IpcHandlers = {
    onEvent: (ev) => log('debug', 'ipc_event_while_starting', { op: ev.op }),
    onRpc: async () => ({ error: { code: RPC_ERROR.starting, message: line() } }),
    onHello: (h) => void log('info', 'plugin_connected_while_starting', { plugin_version: h.plugin_version }),
    onReject: (reason) => log('warn', 'ipc_line_rejected', { reason }),
  };
  const server = await listenIpc(
    config.daemon.ipc_socket,
    {
      onEvent: (ev) => current.onEvent(ev),
      onRpc: (method, params) => current.onRpc(method, params),
      onHello: (h) => current.onHello?.(h),
      onReject: (reason) => current.onReject?.(reason),
    },
    config.daemon.ipc_socket_mode,
  );
  return {
    server,
    handOver: (handlers) => {
      current = handlers;
    },
  };
}
