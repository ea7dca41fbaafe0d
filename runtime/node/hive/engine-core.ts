/**
 * What the `hive-*` commands may use of the engine: the node state (handshake and fleet over one
 * membership), the driver, atomic membership writes, the fleet signer's approvals, join waiters
 * and event reporting. New commands (the fleet layer's `hive-actions`, `hive-revoke`, …) are
 * written against this same surface.
 */
import type { HiveNodeInput, HiveNodeState, FleetCommand, FleetReject } from '../../core/fleet/index.ts';
import type { HandshakeReject } from '../../core/machines/handshake-types.ts';
import type { StoreWrite } from '../../core/machines/membership.ts';
import type { NodeBackend } from '../../core/ports.ts';
import type { Result } from '../../core/result.ts';
import type { NodeId } from '../../core/types.ts';
import type { LogFn } from '../engine.ts';
import type { StoreError } from '../../../services/store/index.ts';
import type { Approvals } from './approvals.ts';
import type { ChannelMonitor } from './channel-monitor.ts';
import type { HiveSettings } from './config.ts';
import type { EngineEvent } from '../events.ts';
import type { JoinWaiters } from './join-waiters.ts';
import type { PlannerLoop } from '../planner/planner-loop.ts';
import type { RandomSource } from '../random.ts';

/** The engine surface commands work through. */
export interface EngineCore {
  readonly our_node_id: NodeId;
  /** Our BOLT 9 init features (getinfo `our_features.init`), hex; '' when lightningd does not say. */
  readonly our_features_hex: string;
  readonly settings: HiveSettings;
  readonly backend: NodeBackend;
  readonly approvals: Approvals;
  readonly joins: JoinWaiters;
  readonly log: LogFn;
  readonly random: RandomSource;
  /** The clock, unix seconds. */
  now(): number;
  /** Current node state; `state().fleet.membership` is the membership. */
  state(): HiveNodeState;
  /**
   * Run one input through `hiveStep`: commit its writes in one transaction, adopt the state, carry
   * out the effects (awaiting the whole chain of node answers).
   * @returns the step's reject (null when accepted), or the store error (then nothing changed).
   * @throws RangeError only for driver misuse (see handshakeStep).
   */
  step(input: HiveNodeInput): Promise<Result<HandshakeReject | FleetReject | null, StoreError>>;
  /**
   * Run an operator command (`{kind:'command'}`) and the chain it starts (node or admin signature,
   * our own handler): the first local refusal anywhere in that chain — the command's own rule, or
   * `signer_failed` when the signature did not come — is returned, so an RPC can name it.
   * @returns the refusal (null when the command went through), or the store error (nothing changed).
   */
  command(cmd: FleetCommand): Promise<Result<HandshakeReject | FleetReject | null, StoreError>>;
  /** Commit membership writes made outside the machines (genesis) together with the fleet's reaction; nothing changes on failure. */
  applyMembership(writes: readonly StoreWrite[]): Promise<Result<void, StoreError>>;
  /** External peers on the fleet's global ignore list. */
  ignoredPeers(): readonly string[];
  /** Messages of Hive types we do not implement, counted per type (unhandled-types.ts). */
  unhandledTypes(): Record<string, number>;
  /** Report an event (log + observer). */
  emit(event: EngineEvent): void;
  /** The planner loop: its log, explanations, status and the one queue of pending actions. */
  readonly planner: PlannerLoop;
  /** Channel health readings and liquidity alerts (`hive-channels`). */
  readonly channels: ChannelMonitor;
}
