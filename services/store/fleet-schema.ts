/**
 * Schema v2: the fleet tables (issue 4) next to the membership tables of v1. One table per
 * `TABLES` entry of runtime/core/fleet/tables.ts (same names and columns; JSON columns hold
 * arrays/objects as text), plus `fleet_action_decisions`, the operator's inbox that `hivebox
 * approve|reject` writes and the daemon drains on its tick. Appended to `MIGRATIONS` in schema.ts.
 */
import type { Migration } from './schema.ts';

/** The fleet migration. */
export const FLEET_MIGRATION: Migration = {
  version: 2,
  description: 'fleet: states, intents, pending actions and decisions, promotion, bans, revocations, global ignore list, events, outbox, fee policies',
  sql: [
    `CREATE TABLE fleet_states (
       peer_id TEXT PRIMARY KEY,
       capacity_sats INTEGER NOT NULL,
       available_sats INTEGER NOT NULL,
       fee_policy TEXT NOT NULL,
       topology TEXT NOT NULL,
       version INTEGER NOT NULL,
       last_update INTEGER NOT NULL,
       state_hash TEXT NOT NULL,
       addresses TEXT NOT NULL,
       capabilities TEXT NOT NULL,
       verified_capacity TEXT NOT NULL,
       signature TEXT NOT NULL,
       stale INTEGER NOT NULL CHECK (stale IN (0, 1))
     ) STRICT`,
    `CREATE TABLE fleet_intents (
       intent_id TEXT PRIMARY KEY,
       intent_type TEXT NOT NULL CHECK (intent_type IN ('channel_open', 'rebalance', 'ban_peer')),
       target TEXT NOT NULL,
       initiator TEXT NOT NULL,
       timestamp INTEGER NOT NULL,
       expires_at INTEGER NOT NULL,
       status TEXT NOT NULL CHECK (status IN ('pending', 'committed', 'aborted', 'expired', 'done', 'failed')),
       amount_sats INTEGER,
       approved INTEGER NOT NULL CHECK (approved IN (0, 1)),
       reason TEXT NOT NULL,
       updated_at INTEGER NOT NULL
     ) STRICT`,
    `CREATE TABLE fleet_actions (
       action_id TEXT PRIMARY KEY,
       intent_id TEXT NOT NULL,
       intent_type TEXT NOT NULL,
       target TEXT NOT NULL,
       amount_sats INTEGER,
       created_at INTEGER NOT NULL,
       expires_at INTEGER NOT NULL,
       status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired', 'superseded')),
       decided_at INTEGER,
       reason TEXT NOT NULL
     ) STRICT`,
    `CREATE TABLE fleet_action_decisions (
       seq INTEGER PRIMARY KEY,
       action_id TEXT NOT NULL,
       decision TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
       reason TEXT NOT NULL,
       decided_at INTEGER NOT NULL
     ) STRICT`,
    `CREATE TABLE fleet_promotion_requests (
       target_pubkey TEXT NOT NULL,
       request_id TEXT NOT NULL,
       timestamp INTEGER NOT NULL,
       PRIMARY KEY (target_pubkey, request_id)
     ) STRICT`,
    `CREATE TABLE fleet_vouches (
       target_pubkey TEXT NOT NULL,
       request_id TEXT NOT NULL,
       voucher_pubkey TEXT NOT NULL,
       timestamp INTEGER NOT NULL,
       sig TEXT NOT NULL,
       PRIMARY KEY (target_pubkey, request_id, voucher_pubkey)
     ) STRICT`,
    `CREATE TABLE fleet_ban_proposals (
       proposal_id TEXT PRIMARY KEY,
       target_peer_id TEXT NOT NULL,
       proposer_peer_id TEXT NOT NULL,
       reason TEXT NOT NULL,
       timestamp INTEGER NOT NULL,
       expires_at INTEGER NOT NULL,
       status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired')),
       decided_at INTEGER,
       signature TEXT NOT NULL
     ) STRICT`,
    `CREATE TABLE fleet_ban_votes (
       proposal_id TEXT NOT NULL,
       voter_peer_id TEXT NOT NULL,
       vote TEXT NOT NULL CHECK (vote IN ('approve', 'reject')),
       timestamp INTEGER NOT NULL,
       signature TEXT NOT NULL,
       PRIMARY KEY (proposal_id, voter_peer_id)
     ) STRICT`,
    `CREATE TABLE fleet_revocations (
       revocation_id TEXT PRIMARY KEY,
       hive_id TEXT NOT NULL,
       node_id TEXT NOT NULL,
       admin_pubkey TEXT NOT NULL,
       reason TEXT NOT NULL,
       timestamp INTEGER NOT NULL,
       signature TEXT NOT NULL,
       received_at INTEGER NOT NULL
     ) STRICT`,
    `CREATE TABLE fleet_peer_bans (
       ban_id TEXT PRIMARY KEY,
       hive_id TEXT NOT NULL,
       peer_id TEXT NOT NULL,
       reporter_id TEXT NOT NULL,
       reason TEXT NOT NULL,
       evidence TEXT NOT NULL,
       timestamp INTEGER NOT NULL,
       signature TEXT NOT NULL,
       received_at INTEGER NOT NULL
     ) STRICT`,
    `CREATE TABLE fleet_departures (
       node_id TEXT PRIMARY KEY,
       departed_at INTEGER NOT NULL,
       how TEXT NOT NULL CHECK (how IN ('left', 'banned', 'revoked')),
       reason TEXT NOT NULL
     ) STRICT`,
    `CREATE TABLE fleet_events (
       event_id TEXT PRIMARY KEY,
       msg_type TEXT NOT NULL,
       sender_id TEXT NOT NULL,
       received_at INTEGER NOT NULL
     ) STRICT`,
    `CREATE TABLE fleet_outbox (
       msg_id TEXT NOT NULL,
       peer_id TEXT NOT NULL,
       msg_type TEXT NOT NULL,
       payload TEXT NOT NULL,
       created_at INTEGER NOT NULL,
       next_retry_at INTEGER NOT NULL,
       retries INTEGER NOT NULL,
       expires_at INTEGER NOT NULL,
       PRIMARY KEY (msg_id, peer_id)
     ) STRICT`,
    `CREATE TABLE fleet_saved_fees (
       scid TEXT PRIMARY KEY,
       peer_id TEXT NOT NULL,
       prev_base_msat INTEGER NOT NULL,
       prev_ppm INTEGER NOT NULL,
       saved_at INTEGER NOT NULL
     ) STRICT`,
    `CREATE TABLE fleet_fee_changes (
       change_id TEXT PRIMARY KEY,
       scid TEXT NOT NULL,
       changed_at INTEGER NOT NULL,
       base_msat INTEGER NOT NULL,
       ppm INTEGER NOT NULL
     ) STRICT`,
  ],
};
