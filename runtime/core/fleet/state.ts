/**
 * Building a fleet state: from a loaded store (tables + membership) at start-up, or empty. The
 * memory-only parts (remote intents, FULL_SYNC cooldowns, framings, pending signatures, gossip
 * bookkeeping) start empty, which is what a restart means: the first local status broadcasts with
 * version = stored version + 1.
 */
import { EMPTY_ANTI_ENTROPY } from '../machines/anti-entropy.ts';
import { EMPTY_MEMBERSHIP, type MembershipState } from '../machines/membership.ts';
import type { FleetConfig } from './config.ts';
import { EMPTY_TABLES, type FleetTables } from './tables.ts';
import type { FleetState } from './types.ts';

/** A fleet state over loaded tables and membership (defaults: empty). */
export function initialFleetState(config: FleetConfig, membership: MembershipState = EMPTY_MEMBERSHIP, tables: FleetTables = EMPTY_TABLES): FleetState {
  return {
    config,
    membership,
    tables,
    remote_intents: new Map(),
    full_sync_sent: new Map(),
    full_sync_seen: new Map(),
    pending_gossip: new Map(),
    membership_changed_at: null,
    cooldown_waived: new Map(),
    full_sync_rounds: new Map(),
    pending_signs: new Map(),
    gossip: { last_broadcast_at: null, last_sent: null },
    anti_entropy: EMPTY_ANTI_ENTROPY,
    local: null,
    next_seq: 1,
  };
}
