/**
 * The performance payment model (spec 002 §2 "Performance-Based Payment"): a routing-revenue
 * baseline (7 days of settled forward fees from `listforwards`) recorded when a credential starts,
 * and at expiry/renewal `bonus = max(0, current − baseline) × performance_share`.
 */
import { DAY_S } from './time.ts';

/** Length of the revenue windows, seconds (spec 002: "7-day average routing revenue"). */
export const REVENUE_WINDOW_S = 7 * DAY_S;

/** The `listforwards` fields revenue needs (CLN doc/schemas/listforwards.json). */
export interface ForwardFee {
  readonly status: string;
  readonly fee_msat?: number;
  readonly received_time: number;
  readonly resolved_time?: number;
}

/** Sum of `fee_msat` of settled forwards resolved in `(end − window_s, end]`, msat. */
export function routingRevenueMsat(forwards: Iterable<ForwardFee>, end: number, window_s = REVENUE_WINDOW_S): number {
  let sum = 0;
  for (const f of forwards) {
    const t = f.resolved_time ?? f.received_time;
    if (f.status === 'settled' && t > end - window_s && t <= end) sum += f.fee_msat ?? 0;
  }
  return sum;
}

/** Settlement of a performance credential, msat. */
export interface PerformanceSettlement {
  readonly baseline_msat: number;
  readonly current_msat: number;
  readonly delta_msat: number;
  readonly share_pct: number;
  readonly bonus_msat: number;
}

/** `bonus = max(0, current − baseline) × share_pct / 100`, floored to whole msat. */
export function performanceBonus(baseline_msat: number, current_msat: number, share_pct: number): PerformanceSettlement {
  const delta_msat = current_msat - baseline_msat;
  return { baseline_msat, current_msat, delta_msat, share_pct, bonus_msat: Math.floor((Math.max(0, delta_msat) * share_pct) / 100) };
}

/** Revenue change in percent, clamped to cl-hive's `revenue_delta_pct` range −100..1000. */
export function revenueDeltaPct(baseline_msat: number, current_msat: number): number {
  if (baseline_msat <= 0) return current_msat > 0 ? 1000 : 0;
  const pct = ((current_msat - baseline_msat) * 100) / baseline_msat;
  return Math.max(-100, Math.min(1000, Math.round(pct * 10) / 10));
}
