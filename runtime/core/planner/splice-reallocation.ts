/**
 * Splice reallocation (spec 000 §3.4 "Dynamic Splicing Optimization"): capital sitting in a "loser"
 * channel (yield ≤ the loser bound) is spliced out and spliced into a "winner" channel on another
 * member (yield ≥ the winner bound and short of outbound liquidity), without closing either. Both
 * members must support splicing. The loser keeps at least `min_channel_sat`; the winner grows to at
 * most `max_channel_sat`. On-chain, so the feerate gate applies (the cycle checks it).
 */
import type { SpliceProposal } from './actions.ts';
import { externalChannels, type MemberLiquidity } from './channel-health.ts';
import type { PlannerConfig } from './config.ts';
import { formatSat, type LiquidityDecision, type LiquidityItem } from './decision-log.ts';

/** A decision per winner channel considered, with a proposal on at most `limit` of them. */
export function spliceStep(
  members: readonly MemberLiquidity[],
  cfg: PlannerConfig,
  busyScids: ReadonlySet<string>,
  limit: number,
): LiquidityItem<SpliceProposal>[] {
  const all = externalChannels(members, busyScids);
  const winners = all
    .filter((l) => l.ch.yield_ppm_year >= cfg.splice_winner_min_yield_ppm_year && l.ch.liquidity_ratio < cfg.health_low_ratio_below)
    .sort((a, b) => b.ch.yield_ppm_year - a.ch.yield_ppm_year || a.ch.short_channel_id.localeCompare(b.ch.short_channel_id));
  const losers = all
    .filter((l) => l.splice && l.ch.yield_ppm_year <= cfg.splice_loser_max_yield_ppm_year && l.ch.local_sat - cfg.min_channel_sat >= cfg.splice_min_amount_sat)
    .sort((a, b) => a.ch.yield_ppm_year - b.ch.yield_ppm_year || b.ch.local_sat - a.ch.local_sat || a.ch.short_channel_id.localeCompare(b.ch.short_channel_id));
  const used = new Set<string>();
  const items: LiquidityItem<SpliceProposal>[] = [];
  let proposed = 0;
  for (const w of winners) {
    const head = `winner: yield ${Math.round(w.ch.yield_ppm_year)} ppm/yr, liquidity ratio ${w.ch.liquidity_ratio.toFixed(2)}`;
    const skip = (rule: string) => items.push({ decision: { kind: 'splice_reallocation', member: w.member, short_channel_id: w.ch.short_channel_id, proposed: false, rule: `${head}; ${rule}` } });
    if (proposed >= limit) {
      skip('liquidity proposal cap for this cycle reached');
      continue;
    }
    if (!w.splice) {
      skip('its member does not support splicing');
      continue;
    }
    const room = cfg.max_channel_sat - w.ch.capacity_sat;
    if (room < cfg.splice_min_amount_sat) {
      skip(`already at ${formatSat(w.ch.capacity_sat)}, max channel size ${formatSat(cfg.max_channel_sat)}`);
      continue;
    }
    const l = losers.find((x) => x.member !== w.member && !used.has(x.ch.short_channel_id));
    if (!l) {
      skip('no splice-capable loser channel on another member');
      continue;
    }
    const amount = Math.floor(Math.min(l.ch.local_sat - cfg.min_channel_sat, room));
    used.add(l.ch.short_channel_id);
    proposed++;
    const proposal: SpliceProposal = {
      kind: 'splice_reallocation',
      loser_member: l.member,
      loser_scid: l.ch.short_channel_id,
      winner_member: w.member,
      winner_scid: w.ch.short_channel_id,
      amount_sat: amount,
      loser_yield_ppm_year: l.ch.yield_ppm_year,
      winner_yield_ppm_year: w.ch.yield_ppm_year,
    };
    const decision: LiquidityDecision = {
      kind: 'splice_reallocation',
      member: w.member,
      short_channel_id: w.ch.short_channel_id,
      proposed: true,
      rule: `${head}; splice ${formatSat(amount)} out of ${l.ch.short_channel_id} (yield ${Math.round(l.ch.yield_ppm_year)} ppm/yr) into it`,
    };
    items.push({ decision, proposal });
  }
  return items;
}
