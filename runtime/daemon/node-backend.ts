/**
 * The daemon's node when the caller passes none: LND over gRPC when `[lnd] enabled` (services/lnd),
 * else lightningd's `lightning-rpc` (services/lightning-rpc). `close` releases the connection.
 */
import type { HiveboxConfig } from '../config/schema.ts';
import type { NodeBackend } from '../core/ports.ts';
import { createLightningBackend } from '../../services/lightning-rpc/index.ts';
import { LndNodeBackend } from '../../services/lnd/backend.ts';
import { connectLnd, describeLndConfigError } from '../../services/lnd/client.ts';

/** A node backend the daemon owns. */
export interface OwnedBackend {
  readonly backend: NodeBackend;
  close(): void;
}

/**
 * Open the configured node.
 * @throws Error at start-up when `[lnd]` names a certificate or macaroon that cannot be read or is malformed (the message names key and file).
 */
export function openNodeBackend(config: HiveboxConfig): OwnedBackend {
  if (config.lnd.enabled) {
    const lnd = connectLnd(config.lnd);
    if (!lnd.ok) throw new Error(`[lnd] ${describeLndConfigError(lnd.error)}`);
    return { backend: new LndNodeBackend(lnd.value, config.lnd.rpc_timeout_ms), close: lnd.value.close };
  }
  const { backend, client } = createLightningBackend({ socketPath: config.lightning.rpc_file, callTimeoutMs: config.lightning.rpc_timeout_ms });
  return { backend, close: () => client.close() };
}
