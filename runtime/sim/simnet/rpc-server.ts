/**
 * A simulated node's `lightning-rpc` unix socket (CLN v26.06 lightningd/jsonrpc.c framing):
 * requests are read as a stream of concatenated JSON objects (any read boundaries), executed
 * concurrently, and each response is written as one JSON object followed by "\n\n" — the framing
 * pyln-client and lightning-cli rely on. Unparseable input gets an error and the connection is closed.
 */
import { existsSync, unlinkSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { describeFrameError, JsonFrameReader } from '../../../services/lightning-rpc/json-frames.ts';
import { executeRequest } from './commands.ts';
import { SIMNET_LIMITS } from './limits.ts';
import type { SimNode } from './node.ts';
import { CLN_ERROR } from '../../../services/lightning-rpc/errors.ts';

/** A listening RPC socket. */
export interface RpcServer {
  /** Stop accepting and drop every client connection (lightningd exiting). */
  close(): Promise<void>;
}

/** Listen on `node.rpcPath`. */
export async function startRpcServer(node: SimNode): Promise<RpcServer> {
  if (existsSync(node.rpcPath)) unlinkSync(node.rpcPath);
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setEncoding('utf8');
    const reader = new JsonFrameReader(SIMNET_LIMITS.max_plugin_frame_chars);
    socket.on('data', (chunk: string) => {
      const { frames, error } = reader.push(chunk);
      for (const f of frames) {
        void executeRequest(node, f).then((res) => {
          if (res && !socket.destroyed) socket.write(`${JSON.stringify(res)}\n\n`);
        });
      }
      if (error) {
        socket.end(`${JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: CLN_ERROR.INVALID_REQUEST, message: `Invalid request: ${describeFrameError(error)}` } })}\n\n`);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(node.rpcPath, () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          if (existsSync(node.rpcPath)) unlinkSync(node.rpcPath);
          resolve();
        });
      }),
  };
}
