/**
 * lightning-rpc: the daemon's way to lightningd (CLN v26.06 `lightning-rpc` unix socket,
 * JSON-RPC 2.0). `createLightningBackend` is the factory the daemon uses; the pieces are exported
 * for simnet and tests.
 */
import { ClnNodeBackend } from './backend.ts';
import { LightningRpcClient, type LightningRpcClientOptions } from './client.ts';

export { ClnNodeBackend } from './backend.ts';
export { LightningRpcClient, type CallOptions, type LightningRpcClientOptions } from './client.ts';
export { clnPluginRpc } from './plugin-control.ts';
export { CLIENT_ERROR, CLN_ERROR } from './errors.ts';
export { describeFrameError, JsonFrameReader, type FrameError } from './json-frames.ts';
export { signmessageParamsJson } from './signmessage-request.ts';

/** A `NodeBackend` on lightningd's socket plus the client underneath (close it on shutdown). */
export function createLightningBackend(opts: LightningRpcClientOptions): { backend: ClnNodeBackend; client: LightningRpcClient } {
  const client = new LightningRpcClient(opts);
  return { backend: new ClnNodeBackend(client), client };
}
