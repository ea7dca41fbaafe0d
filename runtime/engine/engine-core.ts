/**
 * What message handlers and `hive-*` commands may use of the engine: the current state, the
 * handshake driver, atomic membership writes, sending and node-key signing through lightningd,
 * the fleet signer, and event reporting. The fleet layer's machines (gossip, intents, governance)
 * plug in as more handlers against this same surface.
 */
import type { HandshakeInput, HandshakeReject, HandshakeState } from '../core/machines/handshake-types.ts';
import type { StoreWrite } from '../core/machines/membership.ts';
import type { NodeBackend } from '../core/ports.ts';
import type { Result } from '../core/result.ts';
import type { NodeId } from '../core/types.ts';
import type { PayloadInput } from '../core/wire/encode.ts';
import type { MsgType } from '../core/wire/message-types.ts';
import type { LogFn } from '../daemon/engine.ts';
import type { StoreError } from '../../services/store/index.ts';
import type { Approvals } from './approvals.ts';
import type { HiveSettings } from './config.ts';
import type { EngineEvent } from './events.ts';
import type { JoinWaiters } from './join-waiters.ts';
import type { RandomSource } from './random.ts';

/** The engine surface handlers and commands work through. */
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
  /** Current handshake state (membership included). */
  state(): HandshakeState;
  /**
   * Run one handshake input: step, commit its writes in one transaction, adopt the state, carry
   * out the effects (awaiting the whole chain of node answers).
   * @returns the step's reject (null when accepted), or the store error when its writes could not
   *   be committed (then nothing changed).
   * @throws RangeError only for driver misuse (see handshakeStep).
   */
  handshake(input: HandshakeInput): Promise<Result<HandshakeReject | null, StoreError>>;
  /** Apply `writes` in one store transaction and adopt them in memory; nothing changes on failure. */
  applyMembership(writes: readonly StoreWrite[]): Result<void, StoreError>;
  /** Encode `payload` as `type` in the peer's framing and `sendcustommsg` it. @returns false when it could not be sent. */
  send(peer_id: string, type: MsgType, payload: PayloadInput): Promise<boolean>;
  /** Sign `text` (exact signed text) with the node key via lightningd `signmessage`; null when it failed or did not recover to us. */
  nodeSign(text: string, purpose: string): Promise<string | null>;
  /** Report an event (log + observer). */
  emit(event: EngineEvent): void;
}
