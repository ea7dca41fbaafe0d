/**
 * `[planner]`: the daemon's planner loop (issue 7; runtime/node/planner/planner-loop.ts). Three keys of
 * the loop itself, plus any threshold of the pure planner (runtime/core/planner/config.ts, e.g.
 * `planner_interval_s`, `planner_enable_expansions`, `max_expansion_feerate_perkb`,
 * `min_channel_sat`), validated by `plannerConfig` so each range lives in one place and a bad
 * key is reported by name. Security floors stay floors: `planner_interval_s = 60` still runs
 * every 300 s at most.
 */
import { z } from 'zod';
import { plannerConfig, type PlannerConfig } from '../../core/planner/config.ts';

/** Keys of the loop itself and the CLI's graph file (not thresholds of the pure planner). */
const LoopKeys = z.object({
  /** Delay of the first cycle after the daemon starts, seconds (cl-hive: 45). */
  first_cycle_delay_s: z.number().int().min(0).max(3_600).default(45),
  /** Each cycle starts up to this many seconds after the interval, drawn at random (cl-hive: 300). Never earlier. */
  jitter_max_s: z.number().int().min(0).max(3_600).default(300),
  /** Window of `listforwards` history that channel health reads, seconds (7 days). */
  health_window_s: z.number().int().min(3_600).max(90 * 86_400).default(7 * 86_400),
  /** After a cycle could not read its inputs (lightningd down), wait this long before trying again, seconds. */
  retry_after_failure_s: z.number().int().min(1).max(3_600).default(60),
  /** Fee cap of an approved push rebalance, ppm of its amount (the route's public hops; fleet hops are 0-fee). */
  rebalance_max_fee_ppm: z.number().int().min(0).max(10_000).default(500),
  /** How long an approved push rebalance waits for its payment to settle (`waitsendpay` timeout), seconds. */
  rebalance_timeout_s: z.number().int().min(5).max(600).default(60),
  /**
   * Graph file `hivebox plan` and `hivebox demo` read when `--graph` is not given (gossmap-compressed
   * or listchannels JSON). Empty: the copy embedded in the binary, else ../shared/data in a checkout.
   */
  graph: z.string().default(''),
});

const LOOP_KEYS = new Set(Object.keys(LoopKeys.shape));
/** `plannerConfig`'s reason for a key it does not know. */
const UNKNOWN_SETTING = 'unknown planner setting';

/** `[planner]` section: the loop keys plus planner thresholds by name. */
export const PlannerSection = LoopKeys.catchall(z.union([z.number(), z.boolean(), z.string()])).superRefine((v, ctx) => {
  const r = plannerConfig(thresholdsOf(v));
  if (r.ok) return;
  if (r.error.reason === UNKNOWN_SETTING) ctx.addIssue({ code: 'unrecognized_keys', keys: [r.error.key], path: [], message: `unknown planner setting ${r.error.key}` });
  else ctx.addIssue({ code: 'custom', path: [r.error.key], message: r.error.reason });
});

/** Validated `[planner]` section. */
export type PlannerSettings = z.infer<typeof PlannerSection>;

/** The defaults of every `[planner]` key (thresholds at the pure planner's defaults; parsed once, at import: without zod's JIT, which would compile a parser first). */
export const DEFAULT_PLANNER_SETTINGS: PlannerSettings = PlannerSection.parse({}, { jitless: true });

function thresholdsOf(v: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(v).filter(([k]) => !LOOP_KEYS.has(k)));
}

/**
 * The pure planner's configuration these settings select.
 * @throws Error only for settings that did not pass `PlannerSection` (programming error).
 */
export function plannerConfigOf(s: PlannerSettings): PlannerConfig {
  const r = plannerConfig(thresholdsOf(s));
  if (!r.ok) throw new Error(`[planner] ${r.error.key}: ${r.error.reason}`);
  return r.value;
}
