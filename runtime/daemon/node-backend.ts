/**
 * The daemon's node when the caller passes none: LND over gRPC when `[lnd] enabled` (services/lnd),
 * else lightningd's `lightning-rpc` (services/lightning-rpc). `close` releases the connection.
 * The LND adapter (the `lightning` package: @grpc/grpc-js, protobufjs, LND's protos; ~0.5 MB of JS)
 * is imported only when `[lnd] enabled`, so a CLN daemon never loads it (issue 19 §4).
 */
import type { HiveboxConfig } from '../config/schema.ts';
import type { NodeBackend } from '../core/ports.ts';
import { createLightningBackend } from '../../services/lightning-rpc/index.ts';

/** A node backend the daemon owns. */
export interface OwnedBackend {
  readonly backend: NodeBackend;
  close(): void;
}

/**
 * Open the configured node.
 * @throws Error at start-up when `[lnd]` names a certificate or macaroon that cannot be read or is malformed (the message names key and file).
 */
export async function openNodeBackend(config: HiveboxConfig): Promise<OwnedBackend> {
  if (config.lnd.enabled) {
    const [{ LndNodeBackend }, { connectLnd, describeLndConfigError }] = await Promise.all([import('../../services/lnd/backend.ts'), import('../../services/lnd/client.ts')]);
    const lnd = connectLnd(config.lnd);
    if (!lnd.ok) throw new Error(`[lnd] ${describeLndConfigError(lnd.error)}`);
    return { backend: new LndNodeBackend(lnd.value, config.lnd.rpc_timeout_ms), close: lnd.value.close };
  }
  const { backend, client } = createLightningBackend({ socketPath: config.lightning.rpc_file, callTimeoutMs: config.lightning.rpc_timeout_ms });
  return { backend, close: () => client.close() };
}
