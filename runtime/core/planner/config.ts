/**
 * Planner configuration: every threshold is named after what it bounds, with the defaults of spec 003
 * and cl-hive's planner (clhive-protocol.md §7, §9.2). `plannerConfig(overrides)` validates ranges and
 * returns a typed error naming the bad key; the security floors (300 s loop, 1 intent per cycle, caps
 * 5 / 10) can be tightened but never loosened.
 */
import { err, ok, type Result } from '../result.ts';

/** Governance mode (clhive-protocol.md §6.7): advisor queues everything; failsafe runs saturation guards itself. */
export type GovernanceMode = 'advisor' | 'failsafe';

/** The loop never runs more often than this, whatever the configuration says (003 §2.3 hard timer). */
export const PLANNER_MIN_INTERVAL_S = 300;
/** At most this many expansion intents leave one cycle (003 §2.3 MAX_INTENTS_PER_CYCLE). */
export const MAX_EXPANSION_INTENTS_PER_CYCLE = 1;
/** Blocks per day used to turn short_channel_id block heights into ages. */
export const BLOCKS_PER_DAY = 144;
/** First mainnet block a Lightning funding output can be in (segwit activation, block 481,824). */
export const MAINNET_FIRST_CHANNEL_BLOCK = 481_824;

/** All planner settings (units in the names: _sat, _s, _days, _perkb; shares are fractions 0..1). */
export interface PlannerConfig {
  /** hive_share at or above which a target is saturated (cl-hive `market_share_cap_pct`). */
  readonly saturation_share_min: number;
  /** A guarded target is released only when its hive_share falls below this (hysteresis). */
  readonly saturation_release_share_below: number;
  /** Targets with less public capacity are never called saturated. */
  readonly saturation_min_target_capacity_sat: number;
  /** New saturation actions allowed per cycle (003 §2.1 ignore cap). */
  readonly saturation_max_new_actions_per_cycle: number;
  /** More guard actions (guards + releases, after the per-cycle cap) than this in one cycle aborts it ("mass saturation detected", 003 §3). */
  readonly saturation_abort_above_new_targets: number;
  /** hive_share below which a target is underserved. */
  readonly underserved_share_below: number;
  /** Minimum public capacity of an underserved target (003 §2.2 min capacity). */
  readonly underserved_min_target_capacity_sat: number;
  /** Minimum time in the graph of an underserved target, from its oldest channel's scid (003 §2.2 age check). */
  readonly underserved_min_target_age_days: number;
  /** Skip targets to which this fraction of members or more already has a channel. */
  readonly underserved_max_member_coverage: number;
  /** Scids below this block cannot be real channels; their age is unknown (0 on regtest). */
  readonly min_plausible_scid_block: number;
  /** Configured loop interval; the effective one is max(this, 300). */
  readonly planner_interval_s: number;
  /** Expansion proposals are made only when true (cl-hive `hive-planner-enable-expansions`, default false). */
  readonly planner_enable_expansions: boolean;
  readonly governance_mode: GovernanceMode;
  /** No channel-open or splice proposal while the opening feerate (sat/kB) is above this; 0 disables the gate. */
  readonly max_expansion_feerate_perkb: number;
  /** Channel size bounds and default (cl-hive planner_{min,default,max}_channel_sats). */
  readonly min_channel_sat: number;
  readonly default_channel_sat: number;
  readonly max_channel_sat: number;
  /** On-chain funds kept back when sizing a channel (cl-hive: 500,000 reserve + 100,000 fee buffer). */
  readonly onchain_reserve_sat: number;
  /** A rejected target is not proposed again for this long. */
  readonly rejection_backoff_s: number;
  /** A pending action not decided within this expires. */
  readonly pending_action_ttl_s: number;
  /** Channel health alert bounds on the local liquidity ratio (spec 004: rebalance below 0.2 / above 0.8). */
  readonly health_low_ratio_below: number;
  readonly health_high_ratio_above: number;
  /** Push rebalancing: a channel is draining when it would run dry within this many days. */
  readonly push_drain_horizon_days: number;
  /** …and forwards out at least this much per day (high velocity). */
  readonly push_min_velocity_sat_per_day: number;
  /** An outbound channel is idle when it forwards out less than this per day. */
  readonly push_idle_max_velocity_sat_per_day: number;
  /** Bounds of one push (cl-hive: single rebalance ≤ 10,000,000 sat). */
  readonly push_min_amount_sat: number;
  readonly push_max_amount_sat: number;
  /** Splice reallocation: a loser earns at most this (ppm of capacity per year) … */
  readonly splice_loser_max_yield_ppm_year: number;
  /** … a winner at least this … */
  readonly splice_winner_min_yield_ppm_year: number;
  /** … and a move is worth proposing from this amount on. */
  readonly splice_min_amount_sat: number;
  /** Liquidity proposals (push + splice) per cycle. */
  readonly liquidity_max_proposals_per_cycle: number;
  /** Spec-003 floors lowered by an explicit `unsafe_<key>` setting (empty normally); logs and status flag them. */
  readonly unsafe_floors: readonly SpecFloorKey[];
}

/**
 * Sybil mitigations of spec 003 §2.2 ("Min Capacity Threshold: > 1 BTC", "Age Check: > 30 days"): the
 * plain keys cannot go below these; only `unsafe_underserved_min_target_capacity_sat` /
 * `unsafe_underserved_min_target_age_days` can (e.g. on regtest), and the planner then reports
 * `unsafe_floors` in its status and logs.
 */
export const SPEC_003_FLOORS = { underserved_min_target_capacity_sat: 100_000_000, underserved_min_target_age_days: 30 } as const;
/** A setting with a spec-003 floor. */
export type SpecFloorKey = keyof typeof SPEC_003_FLOORS;
/** The prefix of the keys that lower a spec-003 floor. */
export const UNSAFE_PREFIX = 'unsafe_';

/** Defaults (spec 003, cl-hive planner, spec 004 health bounds). */
export const DEFAULT_PLANNER_CONFIG: PlannerConfig = {
  saturation_share_min: 0.2,
  saturation_release_share_below: 0.15,
  saturation_min_target_capacity_sat: 100_000_000,
  saturation_max_new_actions_per_cycle: 5,
  saturation_abort_above_new_targets: 10,
  underserved_share_below: 0.05,
  underserved_min_target_capacity_sat: 100_000_000,
  underserved_min_target_age_days: 30,
  underserved_max_member_coverage: 0.5,
  min_plausible_scid_block: MAINNET_FIRST_CHANNEL_BLOCK,
  planner_interval_s: 3600,
  planner_enable_expansions: false,
  governance_mode: 'advisor',
  max_expansion_feerate_perkb: 5000,
  min_channel_sat: 1_000_000,
  default_channel_sat: 5_000_000,
  max_channel_sat: 50_000_000,
  onchain_reserve_sat: 600_000,
  rejection_backoff_s: 86_400,
  pending_action_ttl_s: 86_400,
  health_low_ratio_below: 0.2,
  health_high_ratio_above: 0.8,
  push_drain_horizon_days: 3,
  push_min_velocity_sat_per_day: 200_000,
  push_idle_max_velocity_sat_per_day: 20_000,
  push_min_amount_sat: 100_000,
  push_max_amount_sat: 10_000_000,
  splice_loser_max_yield_ppm_year: 100,
  splice_winner_min_yield_ppm_year: 1000,
  splice_min_amount_sat: 1_000_000,
  liquidity_max_proposals_per_cycle: 3,
  unsafe_floors: [],
};

/** A configuration value that is unknown, of the wrong type or outside its range. */
export interface PlannerConfigError {
  readonly kind: 'BadPlannerConfig';
  readonly key: string;
  readonly reason: string;
}

type Rule = readonly [min: number, max: number, integer: boolean];
const RANGES: Readonly<Record<Exclude<keyof PlannerConfig, 'planner_enable_expansions' | 'governance_mode' | 'unsafe_floors'>, Rule>> = {
  saturation_share_min: [0.01, 1, false],
  saturation_release_share_below: [0, 1, false],
  saturation_min_target_capacity_sat: [0, 2_100_000_000_000_000, true],
  saturation_max_new_actions_per_cycle: [0, 5, true],
  saturation_abort_above_new_targets: [0, 10, true],
  underserved_share_below: [0, 1, false],
  underserved_min_target_capacity_sat: [SPEC_003_FLOORS.underserved_min_target_capacity_sat, 2_100_000_000_000_000, true],
  underserved_min_target_age_days: [SPEC_003_FLOORS.underserved_min_target_age_days, 3650, false],
  underserved_max_member_coverage: [0, 1, false],
  min_plausible_scid_block: [0, 16_777_215, true],
  planner_interval_s: [0, 86_400, true],
  max_expansion_feerate_perkb: [0, 100_000, true],
  min_channel_sat: [20_000, 1e9, true],
  default_channel_sat: [20_000, 1e9, true],
  max_channel_sat: [20_000, 1e10, true],
  onchain_reserve_sat: [0, 1e10, true],
  rejection_backoff_s: [0, 30 * 86_400, true],
  pending_action_ttl_s: [60, 30 * 86_400, true],
  health_low_ratio_below: [0, 1, false],
  health_high_ratio_above: [0, 1, false],
  push_drain_horizon_days: [0, 365, false],
  push_min_velocity_sat_per_day: [0, 1e12, true],
  push_idle_max_velocity_sat_per_day: [0, 1e12, true],
  push_min_amount_sat: [1, 1e10, true],
  push_max_amount_sat: [1, 1e10, true],
  splice_loser_max_yield_ppm_year: [0, 1e9, false],
  splice_winner_min_yield_ppm_year: [0, 1e9, false],
  splice_min_amount_sat: [1, 1e10, true],
  liquidity_max_proposals_per_cycle: [0, 50, true],
};

/**
 * Defaults overridden by `overrides` (e.g. parsed TOML / flags), validated.
 * `unsafe_<floor key>` (see `SPEC_003_FLOORS`) sets that key below its spec-003 floor (from 0) and wins
 * over the plain key; it is listed in `unsafe_floors`.
 * @returns the config, or BadPlannerConfig naming the first bad key (unknown key, wrong type, out of
 *   range, a spec-003 floor undercut without `unsafe_`, or inconsistent pairs such as release ≥
 *   saturation or min > max channel size).
 */
export function plannerConfig(overrides: Readonly<Record<string, unknown>> = {}): Result<PlannerConfig, PlannerConfigError> {
  const out: Record<string, unknown> = { ...DEFAULT_PLANNER_CONFIG };
  const unsafe: [SpecFloorKey, unknown][] = [];
  for (const [key, value] of Object.entries(overrides)) {
    const bad = (reason: string) => err<PlannerConfigError>({ kind: 'BadPlannerConfig', key, reason });
    const floorKey = key.startsWith(UNSAFE_PREFIX) ? key.slice(UNSAFE_PREFIX.length) : '';
    if (Object.hasOwn(SPEC_003_FLOORS, floorKey)) {
      unsafe.push([floorKey as SpecFloorKey, value]);
      continue;
    }
    if (Object.hasOwn(SPEC_003_FLOORS, key) && typeof value === 'number' && value < SPEC_003_FLOORS[key as SpecFloorKey]) {
      return bad(`spec 003 §2.2 floor is ${SPEC_003_FLOORS[key as SpecFloorKey]}; set ${UNSAFE_PREFIX}${key} to go below it`);
    }
    if (key === 'planner_enable_expansions') {
      if (typeof value !== 'boolean') return bad('must be true or false');
    } else if (key === 'governance_mode') {
      if (value !== 'advisor' && value !== 'failsafe') return bad('must be "advisor" or "failsafe"');
    } else {
      const rule = Object.hasOwn(RANGES, key) ? (RANGES as Record<string, Rule>)[key] : undefined;
      if (!rule) return bad('unknown planner setting');
      const [min, max, integer] = rule;
      if (typeof value !== 'number' || !Number.isFinite(value)) return bad('must be a number');
      if (integer && !Number.isInteger(value)) return bad('must be an integer');
      if (value < min || value > max) return bad(`must be between ${min} and ${max}`);
    }
    out[key] = value;
  }
  for (const [key, value] of unsafe) {
    const rule = RANGES[key];
    const bad = (reason: string) => err<PlannerConfigError>({ kind: 'BadPlannerConfig', key: `${UNSAFE_PREFIX}${key}`, reason });
    if (typeof value !== 'number' || !Number.isFinite(value)) return bad('must be a number');
    if (rule[2] && !Number.isInteger(value)) return bad('must be an integer');
    if (value < 0 || value > rule[1]) return bad(`must be between 0 and ${rule[1]}`);
    out[key] = value;
  }
  out.unsafe_floors = unsafe.map(([k]) => k).sort();
  const cfg = out as unknown as PlannerConfig;
  const pair = (key: string, ok_: boolean, reason: string) => (ok_ ? null : err<PlannerConfigError>({ kind: 'BadPlannerConfig', key, reason }));
  const inconsistent =
    pair('saturation_release_share_below', cfg.saturation_release_share_below <= cfg.saturation_share_min, 'must not exceed saturation_share_min') ??
    pair('underserved_share_below', cfg.underserved_share_below <= cfg.saturation_release_share_below, 'must not exceed saturation_release_share_below') ??
    pair('saturation_abort_above_new_targets', cfg.saturation_abort_above_new_targets >= cfg.saturation_max_new_actions_per_cycle, 'must be at least saturation_max_new_actions_per_cycle') ??
    pair('default_channel_sat', cfg.min_channel_sat <= cfg.default_channel_sat && cfg.default_channel_sat <= cfg.max_channel_sat, 'must lie between min_channel_sat and max_channel_sat') ??
    pair('health_high_ratio_above', cfg.health_low_ratio_below < cfg.health_high_ratio_above, 'must exceed health_low_ratio_below') ??
    pair('push_max_amount_sat', cfg.push_min_amount_sat <= cfg.push_max_amount_sat, 'must be at least push_min_amount_sat');
  return inconsistent ?? ok(cfg);
}
