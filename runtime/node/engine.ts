/**
 * The contract between the daemon's I/O shell (plugin IPC, lightning-rpc, timers) and the Hive
 * engine that drives the sans-IO core. The shell calls these; the engine runs the core machines,
 * commits state to the store and executes effects through the NodeBackend and Signer ports.
 *
 * Every call must be safe to make with arbitrary peer input: the engine never throws for a peer's
 * fault (it logs and drops), and it never blocks the shell for longer than one store transaction.
 */
import type { NodeBackend } from '../core/ports.ts';
import type { TrafficClass } from '../core/wire/index.ts';
import type { DeliveryPath } from '../core/swarm/index.ts';

/** The Hive engine as the daemon shell drives it (see the file header for its duties). */
export interface HiveEngine {
  /**
   * A Hive message: `payloadHex` includes the 2-byte BOLT type (CLN v26.06). `via` says which way it
   * came: `lightning` (the plugin's `custommsg` hook, the default) or `swarm` (services/swarm).
   */
  onCustomMsg(peerId: string, payloadHex: string, via?: DeliveryPath): Promise<void>;
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
  /** Graceful shutdown (SIGTERM): flush and close the store; called once, after the last event. */
  close?(): Promise<void>;
  /**
   * External peers on the fleet's global ignore list (spec 000 §3.3). The daemon pushes the list
   * to the plugin, whose `openchannel` hooks refuse them. Absent: no ignore list.
   */
  ignoredPeers?(): readonly string[];
  /** True when `peerId` is a member of this node's hive; the daemon gives members a larger inbound budget. Absent: nobody is. */
  isMember?(peerId: string): boolean;
  /** The members' node ids (pushed to the plugin with the budgets). Absent: none. */
  memberIds?(): readonly string[];
}

/** An engine that owns part of the traffic. */
export interface SubEngine extends HiveEngine {
  /** The traffic classes this engine handles. */
  readonly traffic: readonly TrafficClass[];
  /** `hive-*` commands this engine answers. */
  readonly rpcMethods: readonly string[];
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

/** Structured log sink the daemon hands to the engine: one event name plus fields (ids as fields, no formatted text). */
export type LogFn = (level: 'debug' | 'info' | 'warn' | 'error', event: string, fields?: Record<string, unknown>) => void;

/**
 * What the daemon gives an engine when it builds it: the node, the log and the clock. An engine's
 * own settings (its config sections) are bound where it is composed (runtime/node/compose/engine-factory.ts),
 * never the whole configuration.
 */
export interface EngineContext {
  /** The Lightning node (lightning-rpc on a real node, simnet's socket in simulation). */
  readonly backend: NodeBackend;
  /** Structured logger (stderr JSON lines under `hivebox run`). */
  readonly log: LogFn;
  /** The daemon's clock, unix ms (tests inject a fixed one). */
  readonly now_ms: () => number;
}

/** How the daemon obtains its engine; the composition root (CLI or simnet fleet) passes one in. */
export type EngineFactory = (ctx: EngineContext) => Promise<HiveEngine>;
