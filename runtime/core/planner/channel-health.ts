/**
 * Channel health per channel (spec 004 "Channel Health Monitoring"; LND operators' expectations):
 * liquidity ratio = local ÷ capacity with alerts below 0.2 (low outbound) and above 0.8 (low inbound),
 * forwards in / out, volumes per day, fees earned, forward success rate and annualised yield — from
 * CLN `listpeerchannels` and `listforwards` shapes (runtime/core/ports.ts). Pure.
 */
import type { NodeForward, NodePeerChannel } from '../ports.ts';
import type { PlannerConfig } from './config.ts';
import type { UnixSeconds } from '../types.ts';

/** Health of one channel over a window. Amounts in sat unless the name says msat. */
export interface ChannelHealth {
  readonly short_channel_id: string;
  readonly peer_id: string;
  readonly capacity_sat: number;
  readonly local_sat: number;
  /** local_sat ÷ capacity_sat. */
  readonly liquidity_ratio: number;
  readonly alert: 'low_outbound' | 'low_inbound' | null;
  readonly forwards_out: number;
  /** Forwards out through it that were tried: settled, failed or local_failed. */
  readonly forwards_out_attempted: number;
  readonly forwards_in: number;
  readonly out_sat_per_day: number;
  readonly in_sat_per_day: number;
  /** Outflow minus inflow per day (> 0: the local side drains). */
  readonly net_out_sat_per_day: number;
  /** Fees of settled forwards that left through this channel. */
  readonly fees_earned_msat: number;
  /** Settled ÷ (settled + failed + local_failed) of forwards out through it; null with none. */
  readonly success_rate: number | null;
  /** fees earned per capacity, annualised (ppm of capacity per year). */
  readonly yield_ppm_year: number;
  readonly window_days: number;
}

/** A member's channels as reported (ours from our node; others' from their reports). */
export interface MemberLiquidity {
  readonly member: string;
  /** The member's node negotiates splicing (cl-hive capability "splice"). */
  readonly splice_capable: boolean;
  readonly channels: readonly ChannelHealth[];
}

/**
 * Health of every normal channel with a short_channel_id, from forwards received in
 * [now − window_s, now]. Channels in other states (opening, closing) are left out.
 */
export function channelHealth(
  channels: readonly NodePeerChannel[],
  forwards: readonly NodeForward[],
  opts: { readonly now_s: UnixSeconds; readonly window_s: number },
  cfg: Pick<PlannerConfig, 'health_low_ratio_below' | 'health_high_ratio_above'>,
): ChannelHealth[] {
  const windowDays = Math.max(opts.window_s, 1) / 86_400;
  const from = opts.now_s - opts.window_s;
  type Acc = { outN: number; inN: number; outMsat: number; inMsat: number; fees: number; ok: number; tried: number };
  const acc = new Map<string, Acc>();
  const get = (scid: string) => {
    let a = acc.get(scid);
    if (!a) acc.set(scid, (a = { outN: 0, inN: 0, outMsat: 0, inMsat: 0, fees: 0, ok: 0, tried: 0 }));
    return a;
  };
  for (const f of forwards) {
    if (f.received_time < from || f.received_time > opts.now_s) continue;
    if (f.status === 'settled') {
      const inA = get(f.in_channel);
      inA.inN++;
      inA.inMsat += f.in_msat;
      if (f.out_channel) {
        const outA = get(f.out_channel);
        outA.outN++;
        outA.outMsat += f.out_msat ?? 0;
        outA.fees += f.fee_msat ?? 0;
        outA.ok++;
        outA.tried++;
      }
    } else if ((f.status === 'failed' || f.status === 'local_failed') && f.out_channel) {
      get(f.out_channel).tried++;
    }
  }
  const out: ChannelHealth[] = [];
  for (const ch of channels) {
    if (ch.state !== 'CHANNELD_NORMAL' || !ch.short_channel_id || !ch.total_msat) continue;
    const a = get(ch.short_channel_id);
    const capacity = ch.total_msat / 1000;
    const local = (ch.to_us_msat ?? 0) / 1000;
    const ratio = local / capacity;
    const outPerDay = a.outMsat / 1000 / windowDays;
    const inPerDay = a.inMsat / 1000 / windowDays;
    out.push({
      short_channel_id: ch.short_channel_id,
      peer_id: ch.peer_id,
      capacity_sat: capacity,
      local_sat: local,
      liquidity_ratio: ratio,
      alert: ratio < cfg.health_low_ratio_below ? 'low_outbound' : ratio > cfg.health_high_ratio_above ? 'low_inbound' : null,
      forwards_out: a.outN,
      forwards_out_attempted: a.tried,
      forwards_in: a.inN,
      out_sat_per_day: outPerDay,
      in_sat_per_day: inPerDay,
      net_out_sat_per_day: outPerDay - inPerDay,
      fees_earned_msat: a.fees,
      success_rate: a.tried ? a.ok / a.tried : null,
      yield_ppm_year: ((a.fees / 1000 / capacity) * 1e6 * 365) / windowDays,
      window_days: windowDays,
    });
  }
  return out;
}

/** A member's channel, located. */
export interface LocatedChannel {
  readonly member: string;
  readonly ch: ChannelHealth;
  readonly splice: boolean;
}

/** Every member channel to a non-member peer that no pending action uses (`busyScids`). */
export function externalChannels(members: readonly MemberLiquidity[], busyScids: ReadonlySet<string>): LocatedChannel[] {
  const ids = new Set(members.map((m) => m.member));
  return members.flatMap((m) =>
    m.channels.filter((c) => !ids.has(c.peer_id) && !busyScids.has(c.short_channel_id)).map((ch) => ({ member: m.member, ch, splice: m.splice_capable })),
  );
}
