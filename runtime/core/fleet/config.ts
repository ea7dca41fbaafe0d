/**
 * Fleet settings and protocol constants (issue 4), each constant with the source of its number:
 * clhive-protocol.md §3.6 (outbox), §4 (gossip, anti-entropy), §5 (intent lock), §6 (governance),
 * spec 003 §2.3 (storm guards) and spec 000 §6 "logic bounds" (local fee safety).
 * `fleetConfig(partial)` validates operator values and returns a typed error for a bad one.
 */
import { err, ok, type Result } from '../result.ts';
import type { NodeId } from '../types.ts';
import type { Framing } from '../wire/framing.ts';

/** Fixed protocol numbers. */
export const FLEET_LIMITS = {
  /** `DEFAULT_HEARTBEAT_INTERVAL`: gossip at least this often (s). */
  heartbeat_s: 300,
  /** `CAPACITY_CHANGE_THRESHOLD`: a capacity change above 10 % triggers gossip. */
  capacityChangeRatio: 0.1,
  /** `STALE_STATE_THRESHOLD`: a state not updated for this long is stale (s). */
  staleAfter_s: 3_600,
  /** `FULL_SYNC_COOLDOWN`: at most one FULL_SYNC per peer per 60 s, each way. */
  fullSyncCooldown_s: 60,
  /** Hivebox (issue 13): GOSSIP kept for a later look (machines/pending-gossip.ts), in all, per delivering peer, and for how long (s). */
  pendingGossipTotal: 64,
  pendingGossipPerPeer: 4,
  pendingGossipTtl_s: 300,
  /** Bytes a FULL_SYNC may use (65,535 wire cap minus framing/envelope headroom). */
  fullSyncBudgetBytes: 60_000,
  /** `MAX_REMOTE_INTENTS`: remote intents kept in memory. */
  maxRemoteIntents: 200,
  /** Remote intents are forgotten this long after they expire (s). */
  remoteIntentRetention_s: 3_600,
  /** Longest intent lifetime a remote may announce (`intent_expire_seconds` max). */
  maxIntentTtl_s: 3_600,
  /** Intents stuck in `committed` longer than this become `failed` (s). */
  committedTimeout_s: 300,
  /** Terminal intents and decided actions are deleted this long after they ended (s). */
  terminalRetention_s: 86_400,
  /** `pending_actions` expiry (s). */
  actionTtl_s: 86_400,
  /** spec 003 §2.3: the planner loop never runs faster than this (s). */
  minPlannerInterval_s: 300,
  /** `VOUCH_TTL_SECONDS`. */
  vouchTtl_s: 7 * 86_400,
  /** `ACTIVE_MEMBER_WINDOW_SECONDS` for the promotion quorum. */
  promotionActiveWindow_s: 86_400,
  /** Ban voters must have been seen within 7 days. */
  banActiveWindow_s: 7 * 86_400,
  /** `BAN_PROPOSAL_TTL_SECONDS`. */
  banProposalTtl_s: 7 * 86_400,
  /** `BAN_COOLDOWN_SECONDS` per target. */
  banCooldown_s: 7 * 86_400,
  /** Hivebox: BAN_PEER reports accepted per reporter per day (global ignore list flood guard). */
  banPeerPerReporterPerDay: 10,
  /** `proto_events` retention; also the oldest timestamp accepted for types without a freshness rule. */
  eventRetention_s: 30 * 86_400,
  /** Outbox (§3.6): first retry after 30 s, doubling, capped at 3,600 s, plus 0–25 % jitter. */
  outboxBase_s: 30,
  outboxMaxBackoff_s: 3_600,
  outboxJitter: 0.25,
  /** `MAX_RETRIES`. */
  outboxMaxRetries: 20,
  /** Outbox TTL (24 h). */
  outboxTtl_s: 86_400,
  /** Fee changes on fleet suggestions are counted over this window (s). */
  feeChangeWindow_s: 86_400,
} as const;

/** Who decides when a ready intent commits (clhive-protocol.md §6.7; spec 003 §3). */
export type GovernanceMode = 'advisor' | 'autonomous';

/** Operator-settable fleet behaviour. Seconds, sats, msat, ppm as named. */
export interface FleetConfig {
  /** This node's id (getinfo `id`). */
  readonly our_node_id: NodeId;
  /** Framing for members never heard from yet (Hivebox peers: `spec`). */
  readonly default_framing: Framing;
  /** `intent_hold_seconds`: 60, range 10–600. */
  readonly intent_hold_s: number;
  /** `intent_expire_seconds`: 300, range 60–3,600. */
  readonly intent_ttl_s: number;
  /** Planner loop interval; the effective value is max(this, 300). One new intent per interval. */
  readonly planner_interval_s: number;
  /** `advisor` (default): a ready intent becomes a pending action; `autonomous`: it commits itself. */
  readonly governance_mode: GovernanceMode;
  /** `hive-planner-enable-expansions` (default false): planner channel_open intents are refused. */
  readonly planner_enable_expansions: boolean;
  /** Vouch automatically for a neophyte whose probation is over (default false). */
  readonly auto_vouch: boolean;
  /** Probation before auto-vouching (s); cl-hive `probation_days = 90`. */
  readonly probation_s: number;
  /** Fee floor toward non-members, applied to every restore and every fleet suggestion. */
  readonly fee_floor_base_msat: number;
  readonly fee_floor_ppm: number;
  /** Fee changes per channel per day accepted from fleet suggestions. */
  readonly max_fee_changes_per_day: number;
  /** `max_members` (cl-hive default 50; range 2–`MAX_MEMBERS_LIMIT`; cl-hive reports it, Hivebox enforces it). */
  readonly max_members: number;
  /**
   * Anti-entropy: a STATE_HASH to one random connected member every this many seconds, plus 0–25 %
   * jitter (default 120, range 10–3,600). Below 60 s the answering FULL_SYNC is still limited to one
   * per member per 60 s (`fullSyncCooldown_s`), so repairs take at least that long.
   */
  readonly anti_entropy_interval_s: number;
}

/**
 * Highest `max_members` (cl-hive allows 2–100): a fleet this large still gets every member row and
 * every state of members with up to 150 public channels (≈ 11 kB each, 5 per 60 kB part) into one
 * FULL_SYNC round of `FULL_SYNC_MAX_PARTS` (64) parts, so a newcomer's first round brings all of it
 * (issue 19 §5 measures fleets of 200).
 */
export const MAX_MEMBERS_LIMIT = 250;

/** Defaults (cl-hive's where it has one). `our_node_id` has none. */
export const DEFAULT_FLEET_CONFIG: Omit<FleetConfig, 'our_node_id'> = {
  default_framing: 'spec',
  intent_hold_s: 60,
  intent_ttl_s: 300,
  planner_interval_s: 3_600,
  governance_mode: 'advisor',
  planner_enable_expansions: false,
  auto_vouch: false,
  probation_s: 90 * 86_400,
  fee_floor_base_msat: 0,
  fee_floor_ppm: 1,
  max_fee_changes_per_day: 4,
  max_members: 50,
  anti_entropy_interval_s: 120,
};

/** A setting outside its range. */
export interface FleetConfigError {
  readonly field: keyof FleetConfig;
  readonly reason: string;
}

const RANGES: readonly [keyof FleetConfig, number, number][] = [
  ['intent_hold_s', 10, 600],
  ['intent_ttl_s', 60, 3_600],
  ['planner_interval_s', 0, 86_400 * 7],
  ['probation_s', 0, 365 * 86_400],
  ['fee_floor_base_msat', 0, 10_000_000],
  ['fee_floor_ppm', 0, 100_000],
  ['max_fee_changes_per_day', 0, 1_000],
  ['max_members', 2, MAX_MEMBERS_LIMIT],
  ['anti_entropy_interval_s', 10, 3_600],
];

/**
 * Build a config from defaults and operator overrides.
 * @returns the config, or the first field out of range (integers only; hold < TTL).
 */
export function fleetConfig(over: Partial<FleetConfig> & { our_node_id: NodeId }): Result<FleetConfig, FleetConfigError> {
  const c: FleetConfig = { ...DEFAULT_FLEET_CONFIG, ...over };
  for (const [field, lo, hi] of RANGES) {
    const v = c[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) return err({ field, reason: `must be an integer in ${lo}..${hi}` });
  }
  if (c.intent_hold_s >= c.intent_ttl_s) return err({ field: 'intent_hold_s', reason: 'must be shorter than intent_ttl_s' });
  if (c.governance_mode !== 'advisor' && c.governance_mode !== 'autonomous') return err({ field: 'governance_mode', reason: 'advisor or autonomous' });
  return ok(c);
}

/** spec 003 §2.3 hard timer: the planner interval actually used, max(configured, 300 s). */
export function effectivePlannerInterval(c: FleetConfig): number {
  return Math.max(c.planner_interval_s, FLEET_LIMITS.minPlannerInterval_s);
}
