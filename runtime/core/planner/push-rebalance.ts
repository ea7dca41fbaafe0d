/**
 * Push rebalancing (spec 000 §3.2 "Inventory Load Balancing"): before a member's high-velocity
 * channel runs dry, another member with idle outbound liquidity pays a circular route out of its idle
 * channel and into the draining one, the funds returning to it over fleet hops that charge 0 fee.
 * Draining = forwards out ≥ the velocity floor, net outflow > 0, and empty within the horizon or below
 * the low liquidity ratio. Idle = above the high ratio and nearly no outflow. Amount = min(the idle
 * surplus above half, the draining deficit below half, the per-push cap, the smallest fleet hop).
 */
import type { PushRebalanceProposal } from './actions.ts';
import { externalChannels, type LocatedChannel, type MemberLiquidity } from './channel-health.ts';
import type { PlannerConfig } from './config.ts';
import { formatSat, type LiquidityDecision, type LiquidityItem } from './decision-log.ts';

/** Shortest fleet route from `from` to `to` over members' channels to each other, with the smallest sender-side balance. */
export function fleetRoute(members: readonly MemberLiquidity[], from: string, to: string): { route: string[]; min_local_sat: number } | null {
  const ids = new Set(members.map((m) => m.member));
  const edges = new Map<string, { peer: string; local: number }[]>();
  for (const m of members) edges.set(m.member, m.channels.filter((c) => ids.has(c.peer_id)).map((c) => ({ peer: c.peer_id, local: c.local_sat })));
  const prev = new Map<string, { node: string; local: number }>();
  const queue = [from];
  const seen = new Set([from]);
  while (queue.length) {
    const cur = queue.shift()!;
    if (cur === to) break;
    for (const e of edges.get(cur) ?? []) {
      if (seen.has(e.peer) || e.local <= 0) continue;
      seen.add(e.peer);
      prev.set(e.peer, { node: cur, local: e.local });
      queue.push(e.peer);
    }
  }
  if (!seen.has(to) || from === to) return null;
  const route = [to];
  let minLocal = Number.POSITIVE_INFINITY;
  for (let cur = to; cur !== from; ) {
    const p = prev.get(cur)!;
    minLocal = Math.min(minLocal, p.local);
    route.unshift(p.node);
    cur = p.node;
  }
  return { route, min_local_sat: minLocal };
}

/** The decision behind every draining channel, with a proposal on at most `limit` of them. */
export function pushRebalanceStep(
  members: readonly MemberLiquidity[],
  cfg: PlannerConfig,
  busyScids: ReadonlySet<string>,
  limit: number,
): LiquidityItem<PushRebalanceProposal>[] {
  const draining: (LocatedChannel & { days: number })[] = [];
  const idle: LocatedChannel[] = [];
  for (const located of externalChannels(members, busyScids)) {
    const ch = located.ch;
    const net = ch.net_out_sat_per_day;
    const days = net > 0 ? ch.local_sat / net : Number.POSITIVE_INFINITY;
    if (ch.out_sat_per_day >= cfg.push_min_velocity_sat_per_day && net > 0 && (days <= cfg.push_drain_horizon_days || ch.liquidity_ratio < cfg.health_low_ratio_below)) {
      draining.push({ ...located, days });
    } else if (ch.liquidity_ratio > cfg.health_high_ratio_above && ch.out_sat_per_day <= cfg.push_idle_max_velocity_sat_per_day) {
      idle.push(located);
    }
  }
  draining.sort((a, b) => a.days - b.days || a.ch.short_channel_id.localeCompare(b.ch.short_channel_id));
  idle.sort((a, b) => b.ch.local_sat - b.ch.capacity_sat / 2 - (a.ch.local_sat - a.ch.capacity_sat / 2) || a.ch.short_channel_id.localeCompare(b.ch.short_channel_id));
  const used = new Set<string>();
  const items: LiquidityItem<PushRebalanceProposal>[] = [];
  let proposed = 0;
  for (const d of draining) {
    const skip = (rule: string) => items.push({ decision: { kind: 'push_rebalance', member: d.member, short_channel_id: d.ch.short_channel_id, proposed: false, rule } });
    const head = `draining: ${formatSat(d.ch.out_sat_per_day)}/day out, empty in ${d.days.toFixed(1)} days`;
    if (proposed >= limit) {
      skip(`${head}; liquidity proposal cap for this cycle reached`);
      continue;
    }
    let best: { src: LocatedChannel; route: string[]; amount: number } | null = null;
    for (const src of idle) {
      if (src.member === d.member || used.has(src.ch.short_channel_id)) continue;
      const back = fleetRoute(members, d.member, src.member);
      if (!back) continue;
      const amount = Math.floor(
        Math.min(src.ch.local_sat - src.ch.capacity_sat / 2, d.ch.capacity_sat / 2 - d.ch.local_sat, cfg.push_max_amount_sat, back.min_local_sat),
      );
      if (!best || amount > best.amount) best = { src, route: back.route, amount };
    }
    if (!best) {
      skip(`${head}; no member with idle outbound and a 0-fee fleet route back`);
      continue;
    }
    if (best.amount < cfg.push_min_amount_sat) {
      skip(`${head}; best push ${formatSat(Math.max(best.amount, 0))} is below ${formatSat(cfg.push_min_amount_sat)}`);
      continue;
    }
    used.add(best.src.ch.short_channel_id);
    proposed++;
    const proposal: PushRebalanceProposal = {
      kind: 'push_rebalance',
      from_member: best.src.member,
      out_scid: best.src.ch.short_channel_id,
      to_member: d.member,
      in_scid: d.ch.short_channel_id,
      amount_sat: best.amount,
      fleet_route: best.route,
      days_to_empty: d.days,
      in_velocity_sat_per_day: d.ch.out_sat_per_day,
    };
    const decision: LiquidityDecision = {
      kind: 'push_rebalance',
      member: d.member,
      short_channel_id: d.ch.short_channel_id,
      proposed: true,
      rule: `${head}; push ${formatSat(best.amount)} from ${best.src.ch.short_channel_id} (ratio ${best.src.ch.liquidity_ratio.toFixed(2)}) back over ${best.route.length - 1} fleet hop(s) at 0 fee`,
    };
    items.push({ decision, proposal });
  }
  return items;
}
