/**
 * Channel liquidity alerts with hysteresis (spec 004 "Channel Health Monitoring": alert when the
 * liquidity ratio falls below 0.2 — low outbound — or rises above 0.8 — low inbound). An alert is
 * raised when a channel crosses its threshold and cleared only once it is back by `hysteresis`
 * (0.25 / 0.75 with the defaults), so a channel hovering at the threshold does not raise and clear
 * on every reading. Plus the node-wide summary the operator sees (`hivebox channels`, MQTT, Home
 * Assistant). Pure: health readings in, alert state and transitions out.
 */
import type { ChannelHealth } from '../planner/channel-health.ts';

/** A liquidity alert kind. */
export type ChannelAlert = 'low_outbound' | 'low_inbound';

/** Thresholds (ratios of local ÷ capacity). */
export interface ChannelAlertConfig {
  /** Raise `low_outbound` below this ratio (spec 004: 0.2). */
  readonly low_below: number;
  /** Raise `low_inbound` above this ratio (spec 004: 0.8). */
  readonly high_above: number;
  /** How far back past the threshold a channel must come before its alert clears. */
  readonly hysteresis: number;
}

/** Spec 004's thresholds with a 0.05 hysteresis band. */
export const DEFAULT_CHANNEL_ALERTS: ChannelAlertConfig = { low_below: 0.2, high_above: 0.8, hysteresis: 0.05 };

/** Alerts in force, by short_channel_id. */
export type ChannelAlertState = ReadonlyMap<string, ChannelAlert>;

/** One alert raised or cleared. */
export interface ChannelAlertChange {
  readonly short_channel_id: string;
  readonly peer_id: string | null;
  readonly alert: ChannelAlert;
  readonly liquidity_ratio: number | null;
  readonly change: 'raised' | 'cleared';
}

/** The alert `h` deserves given the alert it had (`prev`). */
function alertOf(h: ChannelHealth, prev: ChannelAlert | undefined, cfg: ChannelAlertConfig): ChannelAlert | null {
  const r = h.liquidity_ratio;
  if (prev === 'low_outbound' && r < cfg.low_below + cfg.hysteresis) return 'low_outbound';
  if (prev === 'low_inbound' && r > cfg.high_above - cfg.hysteresis) return 'low_inbound';
  return r < cfg.low_below ? 'low_outbound' : r > cfg.high_above ? 'low_inbound' : null;
}

/**
 * Apply one reading of every channel. Channels no longer reported (closed) drop their alert.
 * @returns the alerts now in force and the changes, raised and cleared, in scid order.
 */
export function stepChannelAlerts(prev: ChannelAlertState, health: readonly ChannelHealth[], cfg: ChannelAlertConfig = DEFAULT_CHANNEL_ALERTS): { state: ChannelAlertState; changes: ChannelAlertChange[] } {
  const state = new Map<string, ChannelAlert>();
  const changes: ChannelAlertChange[] = [];
  const seen = new Set<string>();
  for (const h of health) {
    seen.add(h.short_channel_id);
    const was = prev.get(h.short_channel_id);
    const now_s = alertOf(h, was, cfg);
    if (now_s) state.set(h.short_channel_id, now_s);
    const base = { short_channel_id: h.short_channel_id, peer_id: h.peer_id, liquidity_ratio: h.liquidity_ratio };
    if (was && was !== now_s) changes.push({ ...base, alert: was, change: 'cleared' });
    if (now_s && was !== now_s) changes.push({ ...base, alert: now_s, change: 'raised' });
  }
  for (const [scid, alert] of prev) if (!seen.has(scid)) changes.push({ short_channel_id: scid, peer_id: null, alert, liquidity_ratio: null, change: 'cleared' });
  changes.sort((a, b) => a.short_channel_id.localeCompare(b.short_channel_id) || (a.change === 'cleared' ? -1 : 1));
  return { state, changes };
}

/** The node-wide figures of one reading. */
export interface ChannelHealthSummary {
  readonly channels: number;
  readonly channels_in_alert: number;
  readonly low_outbound: number;
  readonly low_inbound: number;
  /** The ratio furthest from 0.5 (the least balanced channel), null without channels. */
  readonly worst_liquidity_ratio: number | null;
  readonly worst_short_channel_id: string | null;
  /** Settled ÷ attempted forwards over all channels in the window, null without attempts. */
  readonly forward_success_rate: number | null;
  readonly fees_earned_msat: number;
  readonly window_days: number;
}

/** Summarise `health` under the alerts in `state`. */
export function channelHealthSummary(health: readonly ChannelHealth[], state: ChannelAlertState, window_days: number): ChannelHealthSummary {
  let worst: ChannelHealth | null = null;
  let ok = 0;
  let tried = 0;
  for (const h of health) {
    if (!worst || Math.abs(h.liquidity_ratio - 0.5) > Math.abs(worst.liquidity_ratio - 0.5)) worst = h;
    ok += h.forwards_out;
    tried += h.forwards_out_attempted;
  }
  const alerts = [...state.values()];
  return {
    channels: health.length,
    channels_in_alert: alerts.length,
    low_outbound: alerts.filter((a) => a === 'low_outbound').length,
    low_inbound: alerts.filter((a) => a === 'low_inbound').length,
    worst_liquidity_ratio: worst?.liquidity_ratio ?? null,
    worst_short_channel_id: worst?.short_channel_id ?? null,
    forward_success_rate: tried > 0 ? ok / tried : null,
    fees_earned_msat: health.reduce((s, h) => s + h.fees_earned_msat, 0),
    window_days,
  };
}
