/**
 * The handshake machines' shared vocabulary: state, inputs, effects and rejects
 * (spec 001 §2.2, spec 000 §4.2–4.3, issue 2 §6). Both sides live in one `HandshakeState` because
 * they share the membership state (a node is a candidate until it joins, a member after).
 *
 * Driver contract (runtime/daemon, built by the coordinator) for every effect:
 * - `send`: encode with `encodeHiveMessage(type, payload, framing)` and `sendcustommsg` to `peer_id`.
 * - `sign`: call `NodeBackend.signmessage(text)` (node key in lightningd's HSM; `text` is already
 *   the exact T) and feed back `{kind: 'signed', request_id, result}`.
 * - `fetch_facts`: call `listpeers(peer_id)` and `listpeerchannels(peer_id)`, feed back
 *   `{kind: 'peer_facts', request_id, peer_id, facts, nonce_bytes}` with 32 fresh random bytes.
 * - `persist`: apply all of one step's persist effects in ONE store transaction
 *   (`MembershipStore.commit(effects)`); only if it commits, adopt the returned state and run the
 *   other effects. If it fails, keep the old state and drop the effects.
 * - `log` / `event`: structured records for the log and for other subsystems (fee policy,
 *   FULL_SYNC broadcast after `member_admitted`, settlement offer after `joined`).
 */
import type { TicketErrorCode } from '../ticket/errors.ts';
import type { NodeId } from '../types.ts';
import type { PayloadInput } from '../wire/encode.ts';
import type { MemberEntry } from '../wire/payloads/welcome.ts';
import type { Framing } from '../wire/framing.ts';
import type { FramingConfig, PeerFraming } from '../wire/framing-choice.ts';
import type { HiveMessage } from '../wire/decode.ts';
import type { InviteTicket } from '../ticket/ticket.ts';
import type { Admission } from '../wire/payloads/admission.ts';
import type { MembershipState, PersistEffect } from './membership.ts';

/** Static settings of the handshake. */
export interface HandshakeConfig {
  /** This node's id (getinfo `id`). */
  readonly our_node_id: NodeId;
  /** Our manifest `version`, e.g. `"hivebox v0.1.0"`. */
  readonly our_version: string;
  /** First-contact strategy for `auto` joins (HELLO in spec framing, then cl-hive framing). */
  readonly framing: FramingConfig;
  /**
   * Accept cl-hive's ticketless join (an open CHANNELD_NORMAL channel as proof of stake) from a
   * peer speaking cl-hive framing. Default off (issue 2 §6 joining rules).
   */
  readonly accept_clhive_channel_join: boolean;
  /** `[hive] max_members`: no HELLO is answered and nobody admitted once the hive has this many members. */
  readonly max_members: number;
}

/** What a member learned about a HELLO sender from its node (CLN v26.06). */
export interface PeerFacts {
  /** `listpeers` → `features`: hex of the peer's BOLT 9 init features; null when not connected. */
  readonly features_hex: string | null;
  /** `listpeerchannels` → `channels[].state` for this peer (e.g. `CHANNELD_NORMAL`). */
  readonly channel_states: readonly string[];
}

/** A HELLO the member accepted for processing and for which it asked the node for facts. */
export interface PendingHello {
  readonly request_id: string;
  readonly framing: Framing;
  /** The verified ticket, or null for a cl-hive channel join. */
  readonly ticket: InviteTicket | null;
  /** Unix seconds. */
  readonly received_at: number;
}

/** How a candidate frames its HELLO: one framing, or `auto` (core's first-contact strategy). */
export type JoinFraming = Framing | 'auto';

/** A candidate's join with one member, by phase. */
export type CandidateJoin =
  | {
      readonly phase: 'hello_sent';
      readonly member_id: NodeId;
      /** First-contact framing state (core wire/framing-choice.ts drives the HELLO retries). */
      readonly framing: PeerFraming;
      /** Framings we sent HELLO in; a CHALLENGE is answered only in one of them. */
      readonly hello_framings: readonly Framing[];
      readonly ticket: InviteTicket | null;
      readonly ticket_text: string | null;
      readonly features: readonly string[];
      /** Unix seconds of the first HELLO. */
      readonly started_at: number;
    }
  | {
      readonly phase: 'signing' | 'attested';
      readonly member_id: NodeId;
      readonly ticket: InviteTicket | null;
      readonly started_at: number;
      readonly framing: Framing;
      readonly hive_id: string;
      readonly manifest: { pubkey: string; version: string; features: string[]; timestamp: number; nonce: string };
      readonly nonce_request: { readonly request_id: string; readonly text: string; readonly zbase: string | null };
      readonly manifest_request: { readonly request_id: string; readonly text: string; readonly zbase: string | null };
      /** Unix seconds the ATTEST last went out (phase `attested`); it is re-sent until WELCOME comes. */
      readonly attest_sent_at?: number;
      /** The parts of a WELCOME sent in several (`hivebox_part`) received so far: their count, the whole `member_count`, rows by index. */
      readonly welcome_parts?: { readonly count: number; readonly member_count: number; readonly members: ReadonlyMap<number, readonly MemberEntry[]> };
    };

/**
 * Member side: an ATTEST that passed the audit, waiting for our node's signature on the admission
 * proof (wire/payloads/admission.ts). Memory only: the open challenge stays in the store until the
 * admission commits, so after a restart the candidate's retried ATTEST starts it again.
 */
export interface PendingAdmission {
  readonly request_id: string;
  /** The exact text given to `signmessage`. */
  readonly text: string;
  readonly peer_id: NodeId;
  readonly framing: Framing;
  readonly joined_at: number;
  readonly admission: Omit<Admission, 'sig'>;
  /** From the audited manifest, for the `member_admitted` event. */
  readonly version: string;
  readonly features: readonly string[];
}

/** Everything both handshake machines read and return. Immutable; every step returns a new one. */
export interface HandshakeState {
  readonly config: HandshakeConfig;
  readonly membership: MembershipState;
  /** Member side: HELLOs waiting for node facts, by peer. Not persisted (lost on restart, by design). */
  readonly pending: ReadonlyMap<NodeId, PendingHello>;
  /** Member side: unix seconds of the last HELLO processed per peer (rate limit, not persisted). */
  readonly hello_at: ReadonlyMap<NodeId, number>;
  /** Member side: admissions waiting for their signature, by candidate. Not persisted. */
  readonly admitting: ReadonlyMap<NodeId, PendingAdmission>;
  /** Candidate side: joins in progress, by member. Not persisted. */
  readonly joins: ReadonlyMap<NodeId, CandidateJoin>;
  /** Fleet hash WELCOME reports as `state_hash` (64 hex; all zeros until the gossip layer sets it). */
  readonly fleet_hash: string;
  /** Counter for request ids of `sign` / `fetch_facts` effects. */
  readonly next_request: number;
}

/** Inputs of the handshake machines. `now_s` is passed separately (unix seconds). */
export type HandshakeInput =
  /** A decoded, schema-valid Hive message from `peer_id` (the BOLT 8 authenticated sender). */
  | { readonly kind: 'message'; readonly peer_id: string; readonly message: HiveMessage }
  /** Answer to `fetch_facts`: `facts` null when the node could not say; `nonce_bytes` 32 random bytes. */
  | { readonly kind: 'peer_facts'; readonly request_id: string; readonly peer_id: string; readonly facts: PeerFacts | null; readonly nonce_bytes: Uint8Array }
  /** Operator command `hive-join`: ask `member_id` to admit us. `features` is what we claim. */
  | {
      readonly kind: 'join';
      readonly member_id: string;
      readonly framing: JoinFraming;
      readonly ticket?: string;
      readonly features: readonly string[];
    }
  /** Answer to `sign`: the node's `signmessage` zbase, or why it failed. */
  | { readonly kind: 'signed'; readonly request_id: string; readonly result: { readonly ok: true; readonly zbase: string } | { readonly ok: false; readonly reason: string } }
  /** The gossip layer's current fleet hash (64 hex), reported in WELCOME. */
  | { readonly kind: 'fleet_hash'; readonly fleet_hash: string }
  /** Timer: expire challenges, pending facts requests and joins; first-contact framing fallback. */
  | { readonly kind: 'tick' };

/** Handshake message types a machine sends. */
export type HandshakeMsgType = 'HELLO' | 'CHALLENGE' | 'ATTEST' | 'WELCOME' | 'JOIN_REFUSED';

/** Send a Hive message to a peer in a framing. */
export interface SendEffect {
  readonly kind: 'send';
  readonly peer_id: NodeId;
  readonly framing: Framing;
  readonly type: HandshakeMsgType;
  readonly payload: PayloadInput;
}

/** Sign `text` with the node key (NodeBackend.signmessage); answer with a `signed` input. */
export interface SignEffect {
  readonly kind: 'sign';
  readonly request_id: string;
  readonly text: string;
  readonly purpose: 'challenge' | 'manifest' | 'admission';
}

/** Ask the node about a peer (listpeers + listpeerchannels); answer with a `peer_facts` input. */
export interface FetchFactsEffect {
  readonly kind: 'fetch_facts';
  readonly request_id: string;
  readonly peer_id: NodeId;
}

/** A structured log record; ids and evidence are fields, never formatted into text. */
export interface LogEffect {
  readonly kind: 'log';
  readonly level: 'info' | 'warn';
  readonly event: string;
  readonly peer_id?: string;
  readonly reason?: RejectReason;
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** Something other subsystems react to. */
export type EventEffect =
  /** Member side: `peer_id` was admitted as neophyte (set its fee policy, broadcast FULL_SYNC). */
  | { readonly kind: 'event'; readonly name: 'member_admitted'; readonly peer_id: NodeId; readonly via: 'ticket' | 'channel'; readonly version: string; readonly features: readonly string[] }
  /** Candidate side: we joined `hive_id` as neophyte through `member_id`. */
  | { readonly kind: 'event'; readonly name: 'joined'; readonly hive_id: string; readonly member_id: NodeId }
  /** Candidate side: a join ended without WELCOME; `detail` is the member's own words when it refused (JOIN_REFUSED). */
  | { readonly kind: 'event'; readonly name: 'join_failed'; readonly member_id: NodeId; readonly reason: RejectReason; readonly detail?: string };

/** Any handshake effect. */
export type HandshakeEffect = SendEffect | SignEffect | FetchFactsEffect | PersistEffect | LogEffect | EventEffect;

/** Why a handshake input was refused. One reason per rule; each appears in exactly one check. */
export type RejectReason =
  // member side, HELLO
  | 'not_admitting'
  | 'pubkey_mismatch'
  | 'banned'
  | 'already_member'
  | 'rate_limited'
  | 'busy'
  | 'ticket_required'
  | 'channel_join_disabled'
  | `ticket_${TicketErrorCode}`
  // member side, node facts
  | 'unexpected_facts'
  | 'facts_unavailable'
  | 'no_channel'
  // member side, ATTEST
  | 'no_challenge'
  | 'challenge_expired'
  | 'framing_mismatch'
  | 'hive_mismatch'
  | 'member_mismatch'
  | 'nonce_mismatch'
  | 'stale_manifest'
  | 'bad_nonce_signature'
  | 'bad_manifest_signature'
  | 'fraudulent_manifest'
  | 'hive_full'
  | 'admission_pending'
  // candidate side
  | 'invalid_join'
  | 'already_in_hive'
  | 'unsolicited_challenge'
  | 'unexpected_challenge'
  | 'bad_nonce'
  | 'unexpected_signature'
  | 'signer_failed'
  | 'bad_signer_output'
  | 'unsolicited_welcome'
  | 'unsolicited_refusal'
  | 'welcome_before_attest'
  | 'membership_hash_mismatch'
  | 'welcome_parts_mismatch'
  | 'join_timeout'
  | 'no_answer'
  // either side
  | 'unexpected_message';

/**
 * A refused input. Nothing is persisted and the membership state is unchanged; the only state a
 * refused HELLO may advance is its in-memory rate-limit stamp (so refusals are rate limited too).
 */
export interface HandshakeReject {
  readonly reason: RejectReason;
  readonly peer_id?: string;
  readonly msg_type?: string;
  /** Evidence for the log (e.g. claimed vs negotiated features). */
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** Result of one step. `reject` is set when the input was refused (see {@link HandshakeReject}). */
export interface HandshakeStep {
  readonly state: HandshakeState;
  readonly effects: readonly HandshakeEffect[];
  readonly reject: HandshakeReject | null;
}

/** Refuse an input: the given state, a warn log with the evidence, no other effect. */
export function refuse(state: HandshakeState, reject: HandshakeReject): HandshakeStep {
  const log: LogEffect = {
    kind: 'log',
    level: 'warn',
    event: 'handshake_reject',
    reason: reject.reason,
    ...(reject.peer_id === undefined ? {} : { peer_id: reject.peer_id }),
    fields: { ...(reject.msg_type === undefined ? {} : { msg_type: reject.msg_type }), ...reject.fields },
  };
  return { state, effects: [log], reject };
}

/** All-zero 64-hex: cl-hive's `state_hash` when a node has no fleet state yet. */
export const ZERO_HASH = '0'.repeat(64);

/** A fresh handshake state over a loaded membership state. */
export function initialHandshakeState(config: HandshakeConfig, membership: MembershipState): HandshakeState {
  return { config, membership, pending: new Map(), hello_at: new Map(), admitting: new Map(), joins: new Map(), fleet_hash: ZERO_HASH, next_request: 1 };
}
