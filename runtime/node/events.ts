/**
 * What the engine reports as it works, for operators and demos (each handshake step as it
 * happens) and for tests: one plain object per step, ids as fields. The engine also writes each
 * one to the daemon log; `hivebox demo` prints them as lines.
 */
import type { RejectReason } from '../core/machines/handshake-types.ts';
import type { SignerPurpose } from '../core/ports.ts';
import type { BindingStatement } from '../core/swarm/index.ts';
import type { Framing } from '../core/wire/index.ts';

/** One engine event. */
export type EngineEvent =
  /** A Hive message from `peer_id` decoded and passed the size, type, freshness and signature checks. */
  | { readonly kind: 'received'; readonly peer_id: string; readonly type: string; readonly framing: Framing }
  /** A Hive message is being handed to lightningd's `sendcustommsg`. */
  | { readonly kind: 'sent'; readonly peer_id: string; readonly type: string; readonly framing: Framing }
  /** lightningd refused a `sendcustommsg` (peer gone, not connected); `error` is its message. */
  | { readonly kind: 'send_failed'; readonly peer_id: string; readonly type: string; readonly error: string }
  /** Inbound Hive traffic dropped before any machine saw it (malformed, stale, bad signature, no handler). */
  | { readonly kind: 'dropped'; readonly peer_id: string; readonly reason: string; readonly type?: string; readonly detail?: string }
  /** A machine refused an input; nothing changed. */
  | { readonly kind: 'rejected'; readonly reason: RejectReason | string; readonly peer_id?: string; readonly type?: string; readonly fields?: Readonly<Record<string, unknown>> }
  /** Member side: what lightningd says about a HELLO sender (listpeers features, listpeerchannels states). */
  | { readonly kind: 'peer_facts'; readonly peer_id: string; readonly features_hex: string | null; readonly channel_states: readonly string[] }
  /** The node key signed something through lightningd's `signmessage`. */
  | { readonly kind: 'node_signed'; readonly purpose: string; readonly ok: boolean }
  /** Member side: `peer_id` was admitted as neophyte. */
  | { readonly kind: 'member_admitted'; readonly peer_id: string; readonly via: 'ticket' | 'channel' }
  /** Candidate side: we joined `hive_id` through `member_id`. */
  | { readonly kind: 'joined'; readonly hive_id: string; readonly member_id: string }
  /** Candidate side: a join ended without WELCOME. */
  | { readonly kind: 'join_failed'; readonly member_id: string; readonly reason: string; readonly detail?: string }
  /** An operator-facing fleet event (member promoted, revoked, left; peer ignored; intent committed; action pending …). */
  | { readonly kind: 'fleet_event'; readonly name: string; readonly fields: Readonly<Record<string, unknown>> }
  /**
   * A GOSSIP from `sender_id` that the fleet admitted carried `hivebox_swarm_binding` (issue 10 §2).
   * Only its shape is checked here; the swarm gate verifies hive, freshness and signature.
   */
  | { readonly kind: 'swarm_binding'; readonly sender_id: string; readonly statement: BindingStatement }
  /** The fleet signer is waiting for the button (`seconds_left` counts down), or stopped waiting. */
  | { readonly kind: 'approval'; readonly state: 'waiting' | 'done'; readonly purpose: SignerPurpose; readonly prompt: string; readonly seconds_left?: number; readonly outcome?: string };

/** Receives engine events; must not throw (a throw is caught and ignored). */
export type EngineEventSink = (event: EngineEvent) => void;
