/**
 * A simulated LND member of a sim fleet (sim-fleet.ts): a simulated LND in the same simnet
 * (runtime/sim/simlnd), the daemon's LND backend on its gRPC endpoint (TLS + admin.macaroon), and —
 * as LND has no lightning-cli route to a plugin — the operator's `hive-*` commands sent to the
 * daemon's IPC socket, as `hivebox <command>` does.
 */
import type { NodeResult } from '../core/ports.ts';
import { startCliClient } from '../../services/daemon-ipc/cli-client.ts';
import type { CallOptions } from '../../services/lightning-rpc/client.ts';
import { LndNodeBackend } from '../../services/lnd/backend.ts';
import { connectLnd, describeLndConfigError } from '../../services/lnd/client.ts';
import type { SimNetwork } from './simnet/index.ts';
import { addLndNode, type SimLndNode } from './simlnd/node.ts';

/** How the operator reaches a fleet member's `hive-*` commands. */
export interface FleetCli {
  /** `options.timeoutMs`: how long to wait for the answer (default 60 s). */
  call<T>(method: string, params?: Record<string, unknown> | unknown[], options?: CallOptions): Promise<NodeResult<T>>;
  close(): void;
}

/** lnd.conf `protocol.custom-message` entries a Hivebox LND node sets (README "Running Hivebox on LND"): cl-hive framing's 18505. */
export const HIVEBOX_LND_CUSTOM_MESSAGES: readonly number[] = [18505];

/** Add a simulated LND node configured as README tells an LND operator, and the LND backend to it. */
export async function addLndMember(network: SimNetwork, spec: { name: string; alias?: string; features?: string }): Promise<{ node: SimLndNode; backend: LndNodeBackend; close(): void }> {
  const node = await addLndNode(network, { ...spec, customMessages: HIVEBOX_LND_CUSTOM_MESSAGES });
  const e = node.endpoint;
  const lnd = connectLnd({ host: e.host, port: e.port, tls_cert_path: e.tlsCertPath, macaroon_path: e.macaroonPath });
  if (!lnd.ok) throw new Error(`sim fleet: ${describeLndConfigError(lnd.error)}`);
  return { node, backend: new LndNodeBackend(lnd.value), close: lnd.value.close };
}

/** `hive-*` commands over the daemon's IPC socket at `path`. */
export function daemonCli(path: string): FleetCli {
  const client = startCliClient(path, 'sim', 15_000);
  return {
    async call<T>(method: string, params: Record<string, unknown> | unknown[] = {}, options: CallOptions = {}): Promise<NodeResult<T>> {
      if (Array.isArray(params)) return { ok: false, error: { code: -32602, message: 'the daemon takes named parameters only', method } };
      const out = await client.request(method, params, options.timeoutMs ?? 60_000);
      if ('result' in out) return { ok: true, value: out.result as T };
      if ('error' in out) return { ok: false, error: { code: out.error.code, message: out.error.message, method, data: out.error.data } };
      return { ok: false, error: { code: -1, message: out.failure.kind === 'timeout' ? `no answer within ${out.failure.after_ms} ms` : out.failure.kind, method } };
    },
    close: () => client.stop(),
  };
}
