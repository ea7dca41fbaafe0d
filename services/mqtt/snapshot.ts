/**
 * The retained `state` JSON (issue 6 §4) and the event kinds, with their zod schemas. The daemon
 * supplies a snapshot through a provider function, so the publisher never depends on the engine;
 * a snapshot that fails the schema is not published (the last good one stays retained).
 */
import { z } from 'zod';

/** Health states as published (runtime/core/health/health-machine.ts `HealthStatus`). */
export const HEALTH_STATES = ['starting', 'healthy', 'degraded', 'failed'] as const;

const nodeId = z.string().regex(/^0[23][0-9a-f]{64}$/);

/** One channel-open target and the Hive's share of its public capacity (clhive-protocol.md §planner: hive_capacity / public_capacity). */
export const HiveShareTargetSchema = z.object({
  node_id: nodeId,
  alias: z.string().max(64).optional(),
  /** 0..1. */
  hive_share: z.number().min(0).max(1),
  public_capacity_sat: z.number().int().nonnegative().optional(),
});

/** What `hivebox/<prefix>/state` holds. Field names are the Hive's snake_case; units in the names. */
export const StatusSnapshotSchema = z.object({
  health: z.enum(HEALTH_STATES),
  /** One line per affected component (`plugin: not in plugin list`); empty when healthy. */
  health_reasons: z.array(z.string().max(200)).max(16),
  node_id: nodeId,
  /** null when this node is in no hive yet. */
  hive_id: z.string().max(128).nullable(),
  /** `member` / `neophyte` (cl-hive tiers), null outside a hive. */
  tier: z.string().max(32).nullable(),
  members_count: z.number().int().nonnegative(),
  /** 64-hex fleet state hash (STATE_HASH `fleet_hash`), null before the first sync. */
  fleet_hash: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  /** Operator approvals waiting on the signer's button. */
  pending_approvals: z.number().int().nonnegative(),
  signer_connected: z.boolean(),
  lightningd_up: z.boolean(),
  /** Seconds since the last Hive gossip was received, null if none yet. */
  last_gossip_age_s: z.number().nonnegative().nullable(),
  /** Highest-priority hive_share targets, at most 5. */
  top_hive_share_targets: z.array(HiveShareTargetSchema).max(5),
  /** Inbound custom messages dropped by the daemon's budgets since it started (services/daemon-ipc/inbound-budget.ts). */
  inbound_dropped_total: z.number().int().nonnegative(),
  /** The same per reason (`peer_msgs_budget`, `peer_bytes_budget`, `nonmember_total_budget`, `queue_full`). */
  inbound_dropped: z.record(z.string().max(32), z.number().int().nonnegative()),
});

/** A state snapshot as the provider returns it. */
export type StatusSnapshot = z.infer<typeof StatusSnapshotSchema>;

/** The published JSON: the snapshot plus publish time and software version. */
export type PublishedState = StatusSnapshot & { readonly updated_at: number; readonly sw_version: string };

/** Kinds of `event/<kind>` messages. */
export const EVENT_KINDS = [
  'member_joined',
  'member_left',
  'invite_approved',
  'invite_rejected',
  'ban',
  'revocation',
  'intent_won',
  'intent_lost',
  'channel_alert',
  'channel_alert_cleared',
] as const;

/** One event kind. */
export type EventKind = (typeof EVENT_KINDS)[number];

/** Largest event payload published (bytes of JSON). */
export const EVENT_MAX_BYTES = 4096;
