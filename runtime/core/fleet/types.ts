/**
 * The fleet engine's vocabulary (issue 4): state, inputs, commands, effects and rejects of
 * `fleetStep` (fleet/step.ts). Everything is a plain immutable value.
 *
 * Driver contract (runtime/daemon) per effect — the same pattern as the handshake
 * (machines/handshake-types.ts):
 * - `persist` / `persist_fleet`: apply ALL of one step's persist effects in ONE store transaction
 *   (`FleetStore.commit(effects)`); only if it commits adopt the returned state and run the rest.
 * - `send`: `encodeHiveMessage(type, payload, framing)` → `sendcustommsg(peer_id, hex)`.
 * - `sign`: `NodeBackend.signmessage(text)` (node key); feed back `{kind:'signed', request_id, result}`.
 * - `admin_sign`: `Signer.sign(text, {purpose:'revoke', summary})` (fleet admin key, physical
 *   approval); feed back `signed` likewise.
 * - `fetch_member_channels`: `listpeerchannels(peer_id)` → `{kind:'member_channels', …}` with each
 *   CHANNELD_NORMAL channel's scid and local fee (`updates.local`).
 * - `setchannel`: `setchannel {id: scid, feebase, feeppm}`.
 * - `ban_peer_apply`: add `node_id` to the plugin's refuse-list (CLN `openchannel` hook answers
 *   `reject`) and show it to operators (status, MQTT).
 * - `execute_intent`: carry out the committed intent (e.g. `fundchannel`), then feed back
 *   `{kind:'intent_result', intent_id, ok}`.
 * - `log` / `event`: structured records; `event`s are operator-facing (MQTT, `hivebox status`).
 */
import type { FullSyncRound } from './full-sync-parts.ts';
import type { PyJson } from '../canonical/python-json.ts';
import type { AntiEntropyMemory } from '../machines/anti-entropy.ts';
import type { MembershipState, PersistEffect } from '../machines/membership.ts';
import type { ApprovalSummary } from '../ports.ts';
import type { NodeId } from '../types.ts';
import type { DecodeOutcome } from '../wire/decode.ts';
import type { PayloadInput } from '../wire/encode.ts';
import type { Framing } from '../wire/framing.ts';
import type { MsgType } from '../wire/message-types.ts';
import type { FleetConfig } from './config.ts';
import type { FleetTables, IntentType, PersistFleetEffect } from './tables.ts';

/** What this node reports about itself in GOSSIP (the driver reads it from listpeerchannels/getinfo). */
export interface LocalStatus {
  /** Sum of CHANNELD_NORMAL channels with hive members (sat). */
  readonly capacity_sats: number;
  /** Our side of those channels (sat); ≤ capacity_sats. */
  readonly available_sats: number;
  /** `{base_fee, fee_rate, min_htlc, max_htlc, cltv_delta}` (cl-hive keys; msat / ppm / blocks). */
  readonly fee_policy: Readonly<Record<string, number>>;
  /** External (non-member) peers with CHANNELD_NORMAL channels. */
  readonly topology: readonly string[];
  /** `"host:port"` from getinfo. */
  readonly addresses: readonly string[];
  readonly capabilities: readonly string[];
}

/** Facts from the node the message handlers read (pure lookups; the driver builds them from listchannels). */
export interface NodeFacts {
  /** Total capacity (sat) of public channels between `a` and `b` in the local gossip; 0 when none. */
  publicCapacitySats(a: string, b: string): number;
}

/** A remote member's intent, kept in memory only (clhive-protocol.md §5). */
export interface RemoteIntent {
  readonly intent_type: IntentType;
  readonly target: string;
  readonly initiator: NodeId;
  readonly timestamp: number;
  readonly expires_at: number;
  readonly status: 'pending' | 'aborted';
  /** Insertion order, for eviction at the cap. */
  readonly seq: number;
}

/** A message waiting for its signature before it goes out. */
export interface PendingSign {
  readonly request_id: string;
  readonly type: MsgType;
  /** The payload without its signature field. */
  readonly payload: Readonly<Record<string, PyJson>>;
  readonly sig_field: 'signature' | 'sig';
  /** Whose key must have signed (our node id, or the fleet admin key for HIVE_REVOKE). */
  readonly signer: NodeId;
  readonly recipients: readonly NodeId[];
  readonly framing: Framing;
  /** Deliver through the outbox (retries until MSG_ACK). */
  readonly reliable: boolean;
  /** Run the message through our own handler once signed (our vote counts like anyone's). */
  readonly self_apply: boolean;
  /** Set when this is an outbox retry being re-signed with a fresh timestamp. */
  readonly retry_of: string | null;
}

/** Our gossip bookkeeping (memory: after a restart the first status broadcasts). */
export interface GossipMemory {
  readonly last_broadcast_at: number | null;
  readonly last_sent: LocalStatus | null;
}

/** Everything the fleet machines read. Immutable; every step returns a new one. */
export interface FleetState {
  readonly config: FleetConfig;
  /** The one membership state, shared with the handshake (sync with a `membership` input). */
  readonly membership: MembershipState;
  /** Durable tables (services/store/fleet-store.ts). */
  readonly tables: FleetTables;
  /** Remote intents, in memory, at most 200. */
  readonly remote_intents: ReadonlyMap<string, RemoteIntent>;
  /** Unix seconds we last sent / processed a FULL_SYNC, per peer (memory). */
  readonly full_sync_sent: ReadonlyMap<NodeId, number>;
  readonly full_sync_seen: ReadonlyMap<NodeId, number>;
  /** GOSSIP kept until membership or the public graph changes, by originator (machines/pending-gossip.ts; memory). */
  readonly pending_gossip: ReadonlyMap<NodeId, PendingGossip>;
  /**
   * Unix seconds the set of members last changed (memory): a FULL_SYNC cooldown that started
   * before it does not hold back the re-sync the change calls for (machines/state-sync.ts).
   */
  readonly membership_changed_at: number | null;
  /** `sent:<peer>` / `seen:<peer>` → the `membership_changed_at` whose cooldown waiver that peer used (one per change). */
  readonly cooldown_waived: ReadonlyMap<string, number>;
  /** Per peer, the FULL_SYNC round (its timestamp) whose parts we are taking (fleet/full-sync-parts.ts; memory). */
  readonly full_sync_rounds: ReadonlyMap<NodeId, FullSyncRound>;
  readonly pending_signs: ReadonlyMap<string, PendingSign>;
  readonly gossip: GossipMemory;
  /** Periodic STATE_HASH schedule and the peers known connected (machines/anti-entropy.ts; memory). */
  readonly anti_entropy: AntiEntropyMemory;
  /** Latest local status from the driver. */
  readonly local: LocalStatus | null;
  /** Counter for request and intent ids. */
  readonly next_seq: number;
}

/** A signed GOSSIP that could not be judged yet (machines/pending-gossip.ts). */
export interface PendingGossip {
  /** The originator (the GOSSIP's signer). */
  readonly sender_id: NodeId;
  /** The BOLT 8 peer that delivered it. */
  readonly peer_id: NodeId;
  readonly outcome: DecodeOutcome;
  /** Unix seconds it first arrived. */
  readonly received_at: number;
  /** Why it had to wait: `not_member` or `capacity_unverified`. */
  readonly reason: FleetRejectReason;
}

/** One channel with a member as `listpeerchannels` shows it. */
export interface MemberChannel {
  readonly scid: string;
  readonly fee_base_msat: number;
  readonly fee_ppm: number;
}

/** Operator or planner commands. Random bytes for ids come in with the command. */
export type FleetCommand =
  /** Announce an intent (planner: only with expansions enabled for channel_open). */
  | {
      readonly name: 'propose_intent';
      readonly intent_type: IntentType;
      readonly target: string;
      readonly amount_sats?: number;
      readonly source: 'planner' | 'operator';
      /** Already approved (e.g. the planner's approved action): commit right after the hold. */
      readonly approved?: boolean;
    }
  /** We are a neophyte: ask for promotion. `random`: 16 bytes for the request id. */
  | { readonly name: 'request_promotion'; readonly random: Uint8Array }
  | { readonly name: 'vouch'; readonly target_pubkey: string; readonly request_id: string }
  /** `random`: 16 bytes for the proposal id. */
  | { readonly name: 'propose_ban'; readonly target_peer_id: string; readonly reason: string; readonly random: Uint8Array }
  | { readonly name: 'vote_ban'; readonly proposal_id: string; readonly vote: 'approve' | 'reject' }
  /** Revoke a member with the fleet admin key `admin_pubkey` (Signer.publicKey('revoke')). */
  | { readonly name: 'revoke'; readonly node_id: string; readonly reason: string; readonly admin_pubkey: string; readonly random: Uint8Array }
  /** Add an external attacker to the global ignore list. */
  | { readonly name: 'ban_peer'; readonly peer_id: string; readonly reason: string; readonly evidence: readonly string[]; readonly random: Uint8Array }
  | { readonly name: 'leave'; readonly reason: string }
  /** A fee the fleet suggests for a channel with a non-member (local safety bounds apply). */
  | { readonly name: 'suggest_fee'; readonly peer_id: string; readonly scid: string; readonly fee_base_msat: number; readonly fee_ppm: number };

/** Answer to a `sign` / `admin_sign` effect. */
export type SignResult = { readonly ok: true; readonly zbase: string } | { readonly ok: false; readonly reason: string };

/** Inputs of `fleetStep`. `now_s` is passed separately (unix seconds). */
export type FleetInput =
  /** Custom-message bytes (2-byte type included) or an already decoded outcome, from BOLT 8 peer `peer_id`. */
  | { readonly kind: 'message'; readonly peer_id: string; readonly message: Uint8Array | DecodeOutcome }
  /** `connect` notification: a member gets our STATE_HASH. */
  | { readonly kind: 'peer_connected'; readonly peer_id: string }
  /** `disconnect` notification: the peer is no longer picked for anti-entropy. */
  | { readonly kind: 'peer_disconnected'; readonly peer_id: string }
  /** Our current status (gossip triggers are evaluated against it). */
  | { readonly kind: 'local_status'; readonly status: LocalStatus }
  /** Timer. `entropy`: ≥ 16 random bytes (outbox jitter, anti-entropy peer and jitter). */
  | { readonly kind: 'tick'; readonly entropy: Uint8Array }
  | { readonly kind: 'signed'; readonly request_id: string; readonly result: SignResult }
  /**
   * The membership changed elsewhere (handshake step). `admitted`: we just admitted this neophyte
   * (broadcast FULL_SYNC); `joined_via`: we just joined through this member (send it STATE_HASH).
   */
  | {
      readonly kind: 'membership';
      readonly membership: MembershipState;
      readonly admitted?: string;
      readonly joined_via?: string;
      /** The framing the handshake with `admitted` / `joined_via` ran in (kept for every later message). */
      readonly framing?: Framing;
    }
  /** The node's view of the public graph changed (driver): kept GOSSIP is judged again. */
  | { readonly kind: 'facts_changed' }
  /** Answer to `fetch_member_channels`. */
  | { readonly kind: 'member_channels'; readonly peer_id: string; readonly channels: readonly MemberChannel[] }
  /** Outcome of an `execute_intent`. */
  | { readonly kind: 'intent_result'; readonly intent_id: string; readonly ok: boolean; readonly detail?: string }
  /** An operator's decision on a pending action (`hivebox approve|reject ID`). */
  | { readonly kind: 'operator_decision'; readonly action_id: string; readonly decision: 'approve' | 'reject'; readonly reason?: string }
  | { readonly kind: 'command'; readonly command: FleetCommand };

/** Send a Hive message. */
export interface SendEffect {
  readonly kind: 'send';
  readonly peer_id: NodeId;
  readonly framing: Framing;
  readonly type: MsgType;
  readonly payload: PayloadInput;
}

/** What a signature is for (logs; `hive_revoke` is the fleet admin key's, the rest the node key's). */
export type SignPurpose = 'gossip' | 'state_hash' | 'full_sync' | 'intent_abort' | 'vouch' | 'ban_proposal' | 'ban_vote' | 'member_left' | 'ban_peer' | 'hive_revoke';

/** Operator-facing event names. */
export type FleetEventName =
  | 'member_promoted'
  | 'member_banned'
  | 'member_revoked'
  | 'member_left'
  | 'peer_banned'
  | 'intent_committed'
  | 'intent_aborted'
  | 'action_pending'
  | 'ban_proposed'
  | 'left_hive'
  | 'revoked_self'
  /** A member channel's fee was changed outside Hivebox and is put back to 0. */
  | 'member_fee_reset';

/** Any fleet effect (driver duties in the file header). */
export type FleetEffect =
  | PersistEffect
  | PersistFleetEffect
  | SendEffect
  | { readonly kind: 'sign'; readonly request_id: string; readonly text: string; readonly purpose: SignPurpose }
  | { readonly kind: 'admin_sign'; readonly request_id: string; readonly text: string; readonly admin_pubkey: NodeId; readonly summary: ApprovalSummary }
  | { readonly kind: 'setchannel'; readonly peer_id: NodeId; readonly scid: string; readonly feebase_msat: number; readonly feeppm: number }
  | { readonly kind: 'fetch_member_channels'; readonly peer_id: NodeId }
  | { readonly kind: 'ban_peer_apply'; readonly node_id: NodeId; readonly ban_id: string; readonly reason: string; readonly reporter_id: NodeId }
  | { readonly kind: 'execute_intent'; readonly intent_id: string; readonly intent_type: IntentType; readonly target: string; readonly amount_sats: number | null }
  | { readonly kind: 'event'; readonly name: FleetEventName; readonly fields: Readonly<Record<string, unknown>> }
  | {
      readonly kind: 'log';
      readonly level: 'info' | 'warn';
      readonly event: string;
      readonly reason?: FleetRejectReason;
      readonly peer_id?: string;
      readonly fields?: Readonly<Record<string, unknown>>;
    };

/** Why an input was refused. One reason per rule; each is produced by exactly one check. */
export type FleetRejectReason =
  // admission gate (machines/admit.ts)
  | 'malformed'
  | 'handshake_type'
  | 'unhandled_type'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'too_old'
  | 'bad_signature'
  | 'sender_mismatch'
  | 'relay_not_allowed'
  | 'not_member'
  | 'not_full_member'
  | 'banned'
  | 'not_admin'
  | 'duplicate'
  // state
  | 'own_state'
  | 'stale_version'
  | 'capacity_unverified'
  | 'rate_limited'
  | 'unknown_ack'
  // intents and actions
  | 'bad_intent_window'
  | 'unknown_intent'
  | 'intent_pending'
  | 'target_locked'
  | 'intent_rate_limited'
  | 'expansions_disabled'
  | 'unknown_action'
  | 'action_not_pending'
  | 'action_expired'
  | 'bad_transition'
  // governance
  | 'not_neophyte'
  | 'target_not_neophyte'
  | 'vouch_expired'
  | 'quorum_not_met'
  | 'unknown_request'
  | 'target_not_member'
  | 'unknown_proposal'
  | 'proposal_closed'
  | 'ban_cooldown'
  | 'target_cannot_vote'
  | 'hive_mismatch'
  | 'target_is_member'
  | 'last_member'
  // fees
  | 'member_channel'
  | 'fee_change_limit'
  // local commands and signatures
  | 'not_in_hive'
  | 'bad_command'
  | 'unexpected_signature'
  | 'signer_failed'
  | 'bad_signer_output';

/** A refused input: the state is returned unchanged (no persist effect), with one warn log. */
export interface FleetReject {
  readonly reason: FleetRejectReason;
  readonly peer_id?: string;
  readonly msg_type?: string;
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** Result of one step. */
export interface FleetStep {
  readonly state: FleetState;
  readonly effects: readonly FleetEffect[];
  readonly reject: FleetReject | null;
}
