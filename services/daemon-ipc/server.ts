/**
 * Daemon side of the plugin IPC: a unix socket server (README.md in this folder). Each plugin
 * connection is read line by line; events go to `onEvent` in arrival order, requests to
 * `onRequest` (concurrently) and their answers are written back with the same id. A stale socket
 * file left by a crashed daemon is removed; a live one (another daemon) is an error.
 */
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { LineReader } from './line-reader.ts';
import { IPC_LIMITS, IPC_PROTOCOL_VERSION } from './limits.ts';
import { encodeLine, type DaemonPush, type IpcResponse } from './daemon-lines.ts';
import { decodePluginLine, type IpcEvent, type IpcRequest } from './protocol.ts';

/** What the daemon does with plugin traffic. Handlers must not throw; a throw is logged and answered as an internal error. */
export interface IpcHandlers {
  /** One forwarded hook/notification; called in the order lines arrived on a connection. */
  onEvent(event: IpcEvent): void;
  /** An `rpc` request; resolve with `{result}` or `{error}`. `hello` is answered by the server itself. */
  onRpc(method: string, params: Record<string, unknown>): Promise<{ result: unknown } | { error: { code: number; message: string; data?: unknown } }>;
  /** A plugin (re)connected and said hello (its lightningd configuration); the pushes returned follow the answer on that connection. */
  onHello?(hello: Extract<IpcRequest, { op: 'hello' }>): readonly DaemonPush[] | void;
  /** A line was rejected (bad JSON, schema violation, oversize); the text is for logs. */
  onReject?(reason: string): void;
}

/** A listening IPC server. */
export interface IpcServer {
  /** The socket path. */
  readonly path: string;
  /** Number of plugin connections open now. */
  connections(): number;
  /** Send `push` to every connected plugin (ignored by connections that are closing). */
  broadcast(push: DaemonPush): void;
  /** Stop listening, close plugin connections, remove the socket file. */
  close(): Promise<void>;
}

/** JSON-RPC codes the server answers with on its own. */
export const IPC_SERVER_ERROR = {
  invalidRequest: -32600,
  internal: -32603,
  protocolMismatch: -32010,
} as const;

function socketAlive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * Listen on `path` for the hivebox plugin.
 * @param mode file mode of the socket (default 0o660: lightningd's user and the daemon's group).
 * @throws Error when another process is already listening on `path` (startup error, not a peer fault).
 */
export async function listenIpc(path: string, handlers: IpcHandlers, mode = 0o660): Promise<IpcServer> {
  if (existsSync(path)) {
    if (await socketAlive(path)) throw new Error(`IPC socket ${path} is in use by another process`);
    unlinkSync(path);
  }
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => serveConnection(socket, handlers, sockets));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, mode);
  return {
    path,
    connections: () => sockets.size,
    broadcast(push) {
      const line = encodeLine(push);
      for (const s of sockets) if (!s.destroyed) s.write(line);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          if (existsSync(path)) unlinkSync(path);
          resolve();
        });
      }),
  };
}

function serveConnection(socket: Socket, handlers: IpcHandlers, sockets: Set<Socket>): void {
  sockets.add(socket);
  socket.setEncoding('utf8');
  const reader = new LineReader(IPC_LIMITS.max_line_chars);
  const reply = (r: IpcResponse | DaemonPush) => {
    if (!socket.destroyed) socket.write(encodeLine(r));
  };
  socket.on('data', (chunk: string) => {
    const { lines, oversize } = reader.push(chunk);
    for (const line of lines) handleLine(line, handlers, reply);
    if (oversize) {
      handlers.onReject?.(`line longer than ${IPC_LIMITS.max_line_chars} characters; connection closed`);
      socket.destroy();
    }
  });
  socket.on('error', () => {});
  socket.on('close', () => sockets.delete(socket));
}

function handleLine(line: string, handlers: IpcHandlers, reply: (r: IpcResponse | DaemonPush) => void): void {
  const d = decodePluginLine(line);
  if (!d.ok) {
    handlers.onReject?.(d.reason);
    if (d.id !== undefined) reply({ id: d.id, error: { code: IPC_SERVER_ERROR.invalidRequest, message: `invalid request: ${d.reason}` } });
    return;
  }
  if (d.value.kind === 'event') {
    handlers.onEvent(d.value.event);
    return;
  }
  const req = d.value.request;
  if (req.op === 'hello') {
    if (req.protocol !== IPC_PROTOCOL_VERSION) {
      reply({ id: req.id, error: { code: IPC_SERVER_ERROR.protocolMismatch, message: `daemon speaks IPC protocol ${IPC_PROTOCOL_VERSION}, plugin sent ${req.protocol}` } });
      return;
    }
    const pushes = handlers.onHello?.(req);
    reply({ id: req.id, result: { protocol: IPC_PROTOCOL_VERSION } });
    if (Array.isArray(pushes)) for (const p of pushes) reply(p);
    return;
  }
  handlers.onRpc(req.method, req.params).then(
    (r) => reply('error' in r ? { id: req.id, error: r.error } : { id: req.id, result: r.result ?? null }),
    (e: unknown) => reply({ id: req.id, error: { code: IPC_SERVER_ERROR.internal, message: `daemon error: ${e instanceof Error ? e.message : String(e)}` } }),
  );
}
