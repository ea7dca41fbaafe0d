/**
 * The contract between the daemon's I/O shell (plugin IPC, lightning-rpc, timers) and the Hive
 * engine that drives the sans-IO core. The shell calls these; the engine runs the core machines,
 * commits state to the store and executes effects through the NodeBackend and Signer ports.
 *
 * Every call must be safe to make with arbitrary peer input: the engine never throws for a peer's
 * fault (it logs and drops), and it never blocks the shell for longer than one store transaction.
 */
export interface HiveEngine {
  /** A `custommsg` hook delivery: `payloadHex` includes the 2-byte BOLT type (CLN v26.06). */
  onCustomMsg(peerId: string, payloadHex: string): Promise<void>;
  /** `connect` notification / `peer_connected` hook for `peerId`. */
  onPeerConnected(peerId: string): Promise<void>;
  /** `disconnect` notification. */
  onPeerDisconnected(peerId: string): Promise<void>;
  /** Periodic tick from the daemon's loop (timers: challenge expiry, gossip heartbeat, outbox). */
  onTick(nowMs: number): Promise<void>;
  /**
   * A `hive-*` RPC (from lightning-cli through the plugin, or from the hivebox CLI).
   * @returns the JSON result; throws `RpcFailure` for an operator-facing error (code + message).
   */
  rpc(method: string, params: Record<string, unknown>): Promise<unknown>;
}

/** An operator-facing RPC error: becomes a JSON-RPC error object with this code and message. */
export class RpcFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}
