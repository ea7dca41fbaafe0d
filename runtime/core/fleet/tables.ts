/**
 * The fleet's durable tables (issue 4; clhive-protocol.md §10 `hive_state`, `intent_locks`,
 * `pending_actions`, `ban_proposals`, `proto_events`, `proto_outbox`): one row type per table, a
 * descriptor naming each table's key and JSON columns, the `FleetWrite` a machine returns and the
 * one pure reducer that applies it.
 *
 * Same contract as the membership state (machines/membership.ts): machines never mutate; they
 * return `persist_fleet` effects carrying `FleetWrite`s plus the state the reducer produced, and
 * services/store/fleet-store.ts applies the very same writes to SQLite in one transaction, so the
 * durable copy and the in-memory copy cannot drift (tests/fleet/store.test.ts checks it).
 */
import type { NodeId } from '../types.ts';

/** One member's fleet state (cl-hive `HivePeerState`, §4.1), ours included. Sats, unix seconds. */
export interface StateRow {
  readonly peer_id: NodeId;
  readonly capacity_sats: number;
  readonly available_sats: number;
  readonly fee_policy: Readonly<Record<string, number>>;
  /** External peers the member has channels with, sorted. */
  readonly topology: readonly string[];
  /** Strictly increasing per member. */
  readonly version: number;
  /** The gossip `timestamp` this entry came from (the fleet hash's `timestamp`). */
  readonly last_update: number;
  /** The member's fleet hash when it gossiped (bound by the spec-framing signature). */
  readonly state_hash: string;
  readonly addresses: readonly string[];
  readonly capabilities: readonly string[];
  /** External peer → claimed capacity clamped to the public channels between them (spec 003 §3.1). */
  readonly verified_capacity: Readonly<Record<string, number>>;
  /** The member's spec-framing GOSSIP signature over this entry ("" when unknown), so FULL_SYNC can prove it. */
  readonly signature: string;
  /** 1 once `last_update` is older than the stale threshold (3,600 s); not trusted by readers. */
  readonly stale: 0 | 1;
}

/** Intent lifecycle (clhive-protocol.md §5): pending → committed | aborted | expired; committed → done | failed. */
export type IntentStatus = 'pending' | 'committed' | 'aborted' | 'expired' | 'done' | 'failed';

/** Intent types of the Intent Lock Protocol (spec 003 §4). */
export type IntentType = 'channel_open' | 'rebalance' | 'ban_peer';

/** One of our own intents. */
export interface IntentRow {
  readonly intent_id: string;
  readonly intent_type: IntentType;
  readonly target: string;
  readonly initiator: NodeId;
  /** Unix seconds when announced; the hold counts from here. */
  readonly timestamp: number;
  readonly expires_at: number;
  readonly status: IntentStatus;
  readonly amount_sats: number | null;
  /** 1 when the operator (or autonomous mode) already approved: commit as soon as the hold passes. */
  readonly approved: 0 | 1;
  readonly reason: string;
  readonly updated_at: number;
}

/** Pending action lifecycle (advisor mode; clhive-protocol.md §6.7). */
export type ActionStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'superseded';

/** A ready intent waiting for the operator (`hivebox actions`, `approve ID`, `reject ID`). */
export interface ActionRow {
  readonly action_id: string;
  readonly intent_id: string;
  readonly intent_type: IntentType;
  readonly target: string;
  readonly amount_sats: number | null;
  readonly created_at: number;
  readonly expires_at: number;
  readonly status: ActionStatus;
  readonly decided_at: number | null;
  readonly reason: string;
}

/** A neophyte's promotion request (PROMOTION_REQUEST). */
export interface PromotionRequestRow {
  readonly target_pubkey: NodeId;
  readonly request_id: string;
  readonly timestamp: number;
}

/** A verified VOUCH (kept as evidence for PROMOTION; valid 7 days). */
export interface VouchRow {
  readonly target_pubkey: NodeId;
  readonly request_id: string;
  readonly voucher_pubkey: NodeId;
  readonly timestamp: number;
  readonly sig: string;
}

/** Ban proposal lifecycle. */
export type BanStatus = 'pending' | 'approved' | 'rejected' | 'expired';

/** A BAN_PROPOSAL against a member (live 7 days). */
export interface BanProposalRow {
  readonly proposal_id: string;
  readonly target_peer_id: NodeId;
  readonly proposer_peer_id: NodeId;
  readonly reason: string;
  readonly timestamp: number;
  readonly expires_at: number;
  readonly status: BanStatus;
  readonly decided_at: number | null;
  readonly signature: string;
}

/** One member's vote on a proposal (one per voter; a second is a duplicate). */
export interface BanVoteRow {
  readonly proposal_id: string;
  readonly voter_peer_id: NodeId;
  readonly vote: 'approve' | 'reject';
  readonly timestamp: number;
  readonly signature: string;
}

/** An admin revocation, kept for good (spec 000 §5.2). */
export interface RevocationRow {
  readonly revocation_id: string;
  readonly hive_id: string;
  readonly node_id: NodeId;
  readonly admin_pubkey: NodeId;
  readonly reason: string;
  readonly timestamp: number;
  readonly signature: string;
  readonly received_at: number;
}

/** An entry of the global ignore list with its evidence (spec 000 §3.3, §5.1). */
export interface PeerBanRow {
  readonly ban_id: string;
  readonly hive_id: string;
  readonly peer_id: NodeId;
  readonly reporter_id: NodeId;
  readonly reason: string;
  readonly evidence: readonly string[];
  readonly timestamp: number;
  readonly signature: string;
  readonly received_at: number;
}

/** A member that left, was banned or revoked: FULL_SYNC must not bring it back. */
export interface DepartureRow {
  readonly node_id: NodeId;
  readonly departed_at: number;
  readonly how: 'left' | 'banned' | 'revoked';
  readonly reason: string;
}

/** An applied event id (clhive-protocol.md §3.6 `proto_events`; 30-day retention). */
export interface EventRow {
  readonly event_id: string;
  readonly msg_type: string;
  readonly sender_id: string;
  readonly received_at: number;
}

/** One reliable message to one peer (clhive-protocol.md §3.6 `proto_outbox`). */
export interface OutboxRow {
  /** The message's event id (also MSG_ACK `ack_msg_id`). */
  readonly msg_id: string;
  readonly peer_id: NodeId;
  readonly msg_type: string;
  /** The signed payload as last sent. */
  readonly payload: Readonly<Record<string, unknown>>;
  readonly created_at: number;
  readonly next_retry_at: number;
  readonly retries: number;
  readonly expires_at: number;
}

/** The policy a channel had before it went to 0 fee with a member (restored when the member goes). */
export interface SavedFeeRow {
  readonly scid: string;
  readonly peer_id: NodeId;
  readonly prev_base_msat: number;
  readonly prev_ppm: number;
  readonly saved_at: number;
}

/** A fee change made on a fleet suggestion (the per-day limit counts these). */
export interface FeeChangeRow {
  readonly change_id: string;
  readonly scid: string;
  readonly changed_at: number;
  readonly base_msat: number;
  readonly ppm: number;
}

/**
 * The framing a member speaks (spec 001 §1.1): learned in the handshake (the framing of its
 * HELLO / our WELCOME) and from every admitted message after it; everything we send to that
 * member uses it, also after a restart (cl-hive drops spec-framed messages, real-cln-facts.md).
 */
export interface FramingRow {
  readonly peer_id: NodeId;
  readonly framing: 'spec' | 'clhive';
  /** Unix seconds. */
  readonly learned_at: number;
}

/** Row type per table. */
export interface FleetRows {
  states: StateRow;
  intents: IntentRow;
  actions: ActionRow;
  promotion_requests: PromotionRequestRow;
  vouches: VouchRow;
  ban_proposals: BanProposalRow;
  ban_votes: BanVoteRow;
  revocations: RevocationRow;
  peer_bans: PeerBanRow;
  departures: DepartureRow;
  events: EventRow;
  outbox: OutboxRow;
  saved_fees: SavedFeeRow;
  fee_changes: FeeChangeRow;
  framings: FramingRow;
}

/** A table name. */
export type TableName = keyof FleetRows;

/** How a table is stored: SQL name, key columns (joined with `|` for the map key), JSON columns. */
export interface TableSpec<T extends TableName> {
  readonly sql: string;
  readonly key: readonly (keyof FleetRows[T] & string)[];
  readonly json: readonly (keyof FleetRows[T] & string)[];
}

/** Every table's storage descriptor (services/store/fleet-schema.ts creates them). */
export const TABLES: { readonly [T in TableName]: TableSpec<T> } = {
  states: { sql: 'fleet_states', key: ['peer_id'], json: ['fee_policy', 'topology', 'addresses', 'capabilities', 'verified_capacity'] },
  intents: { sql: 'fleet_intents', key: ['intent_id'], json: [] },
  actions: { sql: 'fleet_actions', key: ['action_id'], json: [] },
  promotion_requests: { sql: 'fleet_promotion_requests', key: ['target_pubkey', 'request_id'], json: [] },
  vouches: { sql: 'fleet_vouches', key: ['target_pubkey', 'request_id', 'voucher_pubkey'], json: [] },
  ban_proposals: { sql: 'fleet_ban_proposals', key: ['proposal_id'], json: [] },
  ban_votes: { sql: 'fleet_ban_votes', key: ['proposal_id', 'voter_peer_id'], json: [] },
  revocations: { sql: 'fleet_revocations', key: ['revocation_id'], json: [] },
  peer_bans: { sql: 'fleet_peer_bans', key: ['ban_id'], json: ['evidence'] },
  departures: { sql: 'fleet_departures', key: ['node_id'], json: [] },
  events: { sql: 'fleet_events', key: ['event_id'], json: [] },
  outbox: { sql: 'fleet_outbox', key: ['msg_id', 'peer_id'], json: ['payload'] },
  saved_fees: { sql: 'fleet_saved_fees', key: ['scid'], json: [] },
  fee_changes: { sql: 'fleet_fee_changes', key: ['change_id'], json: [] },
  framings: { sql: 'fleet_framings', key: ['peer_id'], json: [] },
};

/** Every table's rows keyed by {@link rowKey}. */
export type FleetTables = { readonly [T in TableName]: ReadonlyMap<string, FleetRows[T]> };

/** One change to a fleet table. */
export type FleetWrite = {
  [T in TableName]: { readonly op: 'put'; readonly table: T; readonly row: FleetRows[T] } | { readonly op: 'delete'; readonly table: T; readonly key: string };
}[TableName];

/** An effect asking the driver to apply a fleet write (with the step's other writes, in one transaction). */
export interface PersistFleetEffect {
  readonly kind: 'persist_fleet';
  readonly write: FleetWrite;
}

/** The map key of `row` in `table`: its key columns joined with `|`. */
export function rowKey<T extends TableName>(table: T, row: FleetRows[T]): string {
  return TABLES[table].key.map((k) => String(row[k])).join('|');
}

/** Build a key from key column values (in descriptor order). */
export function keyOf(...parts: readonly (string | number)[]): string {
  return parts.join('|');
}

/** Tables with nothing in them. */
export const EMPTY_TABLES: FleetTables = Object.fromEntries(Object.keys(TABLES).map((t) => [t, new Map()])) as unknown as FleetTables;

/** Apply one write (returns a new tables object; untouched tables are shared). */
export function applyFleetWrite(tables: FleetTables, w: FleetWrite): FleetTables {
  const next = new Map(tables[w.table] as ReadonlyMap<string, unknown>);
  if (w.op === 'put') next.set(rowKey(w.table, w.row as never), w.row);
  else next.delete(w.key);
  return { ...tables, [w.table]: next };
}

/** Apply writes in order. */
export function applyFleetWrites(tables: FleetTables, writes: readonly FleetWrite[]): FleetTables {
  return writes.reduce(applyFleetWrite, tables);
}
