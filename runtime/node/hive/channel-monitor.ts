/**
 * Channel health where the operator looks (spec 004 "Channel Health Monitoring"): every
 * `CHANNEL_HEALTH_INTERVAL_S` the engine reads `listpeerchannels` and `listforwards` from
 * lightningd, computes each channel's liquidity ratio, forwarding success rate and fees earned
 * (runtime/core/planner/channel-health.ts, over the planner's `health_window_s`), and steps the
 * alerts with hysteresis (runtime/core/health/channel-alerts.ts): a raised or cleared alert is an
 * engine event (`channel_alert` / `channel_alert_cleared`, published on MQTT), a steady one is not.
 * `hive-channels` and `hivebox channels` show the last reading; the MQTT publisher the summary.
 */
import { channelHealthSummary, stepChannelAlerts, type ChannelAlert, type ChannelAlertState, type ChannelHealthSummary } from '../../core/health/channel-alerts.ts';
import { channelHealth, type ChannelHealth } from '../../core/planner/channel-health.ts';
import type { NodeBackend } from '../../core/ports.ts';
import type { LogFn } from '../engine.ts';
import type { EngineEvent } from '../events.ts';

/** Seconds between two readings of the channels. */
export const CHANNEL_HEALTH_INTERVAL_S = 60;

/** Width of the hysteresis band around spec 004's 0.2 / 0.8 thresholds. */
export const CHANNEL_ALERT_HYSTERESIS = 0.05;

/** One channel as shown: its health, `alert` being the alert in force (with hysteresis). */
export type ChannelView = Omit<ChannelHealth, 'alert'> & { readonly alert: ChannelAlert | null };

/** The last reading (`hive-channels`). */
export interface ChannelsResult {
  /** Unix s of the reading, null before the first. */
  readonly read_at: number | null;
  readonly summary: ChannelHealthSummary | null;
  readonly channels: readonly ChannelView[];
  /** lightningd's error when the last reading failed (the previous reading is kept). */
  readonly error: string | null;
}

/** What the monitor needs from the engine. */
export interface ChannelMonitorHost {
  readonly backend: NodeBackend;
  readonly log: LogFn;
  now(): number;
  emit(event: EngineEvent): void;
  /** Thresholds and window, read per reading (the planner's health settings). */
  thresholds(): { readonly low_below: number; readonly high_above: number; readonly window_s: number };
}

/** Reads channel health on the engine's tick and keeps the alert state. */
export class ChannelMonitor {
  private alerts: ChannelAlertState = new Map();
  private last: ChannelsResult = { read_at: null, summary: null, channels: [], error: null };
  private reading: Promise<ChannelsResult> | null = null;

  constructor(private readonly host: ChannelMonitorHost) {}

  /** The engine's tick: read when the interval has passed. */
  async tick(): Promise<void> {
    if (this.last.read_at === null || this.host.now() - this.last.read_at >= CHANNEL_HEALTH_INTERVAL_S) await this.read();
  }

  /** The last reading. */
  view(): ChannelsResult {
    return this.last;
  }

  /** Read now (one reading at a time; a caller during a reading gets that reading). */
  read(): Promise<ChannelsResult> {
    this.reading ??= this.readOnce().finally(() => (this.reading = null));
    return this.reading;
  }

  private async readOnce(): Promise<ChannelsResult> {
    const now = this.host.now();
    const [channels, forwards] = await Promise.all([this.host.backend.listpeerchannels(), this.host.backend.listforwards()]);
    if (!channels.ok || !forwards.ok) {
      const error = !channels.ok ? `listpeerchannels: ${channels.error.message}` : !forwards.ok ? `listforwards: ${forwards.error.message}` : '';
      this.host.log('warn', 'channel_health_unavailable', { error });
      this.last = { ...this.last, read_at: now, error };
      return this.last;
    }
    const t = this.host.thresholds();
    const health = channelHealth(channels.value, forwards.value, { now_s: now, window_s: t.window_s }, { health_low_ratio_below: t.low_below, health_high_ratio_above: t.high_above });
    const stepped = stepChannelAlerts(this.alerts, health, { low_below: t.low_below, high_above: t.high_above, hysteresis: CHANNEL_ALERT_HYSTERESIS });
    this.alerts = stepped.state;
    const views = health.map((h) => ({ ...h, alert: stepped.state.get(h.short_channel_id) ?? null }));
    this.last = { read_at: now, summary: channelHealthSummary(health, stepped.state, t.window_s / 86_400), channels: views, error: null };
    for (const c of stepped.changes) {
      const name = c.change === 'raised' ? 'channel_alert' : 'channel_alert_cleared';
      this.host.log(c.change === 'raised' ? 'warn' : 'info', name, { ...c });
      this.host.emit({ kind: 'fleet_event', name, fields: { short_channel_id: c.short_channel_id, peer_id: c.peer_id, alert: c.alert, liquidity_ratio: c.liquidity_ratio } });
    }
    return this.last;
  }
}
