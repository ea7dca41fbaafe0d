/**
 * Liquidity alerts with hysteresis (runtime/core/health/channel-alerts.ts, spec 004): raised when a
 * channel crosses 0.2 / 0.8, kept inside the 0.05 band, cleared past it, dropped when the channel
 * closes; readings that change nothing produce no change; the summary's worst ratio and success rate.
 */
import { expect, test } from 'bun:test';
import { channelHealthSummary, stepChannelAlerts, type ChannelAlertState } from '../../runtime/core/health/channel-alerts.ts';
import type { ChannelHealth } from '../../runtime/core/planner/channel-health.ts';

const ch = (scid: string, ratio: number, out = 0, tried = 0): ChannelHealth => ({
  short_channel_id: scid,
  peer_id: `02${scid.padStart(64, '0')}`,
  capacity_sat: 1_000_000,
  local_sat: ratio * 1_000_000,
  liquidity_ratio: ratio,
  alert: null,
  forwards_out: out,
  forwards_out_attempted: tried,
  forwards_in: 0,
  out_sat_per_day: 0,
  in_sat_per_day: 0,
  net_out_sat_per_day: 0,
  fees_earned_msat: out * 1000,
  success_rate: tried ? out / tried : null,
  yield_ppm_year: 0,
  window_days: 7,
});

test('raise at the threshold, hold inside the band, clear past it; no change, no event', () => {
  const kinds = (r: ReturnType<typeof stepChannelAlerts>) => r.changes.map((c) => `${c.change}:${c.short_channel_id}:${c.alert}`);
  let state: ChannelAlertState = new Map();
  const step = (...h: ChannelHealth[]) => {
    const r = stepChannelAlerts(state, h);
    state = r.state;
    return kinds(r);
  };
  expect(step(ch('1x1x0', 0.19), ch('2x1x0', 0.81), ch('3x1x0', 0.5))).toEqual(['raised:1x1x0:low_outbound', 'raised:2x1x0:low_inbound']);
  expect(step(ch('1x1x0', 0.19), ch('2x1x0', 0.81), ch('3x1x0', 0.5))).toEqual([]);
  expect(step(ch('1x1x0', 0.21), ch('2x1x0', 0.79), ch('3x1x0', 0.2))).toEqual([]);
  expect(step(ch('1x1x0', 0.24), ch('2x1x0', 0.76), ch('3x1x0', 0.2))).toEqual([]);
  expect(step(ch('1x1x0', 0.25), ch('2x1x0', 0.75), ch('3x1x0', 0.2))).toEqual(['cleared:1x1x0:low_outbound', 'cleared:2x1x0:low_inbound']);
  expect(step(ch('1x1x0', 0.9), ch('2x1x0', 0.75))).toEqual(['raised:1x1x0:low_inbound']);
  expect(step(ch('1x1x0', 0.1))).toEqual(['cleared:1x1x0:low_inbound', 'raised:1x1x0:low_outbound']);
  expect(step()).toEqual(['cleared:1x1x0:low_outbound']);
  expect(state.size).toBe(0);
});

test('summary: alerts in force, the least balanced channel, success over all attempts', () => {
  const health = [ch('1x1x0', 0.1, 3, 4), ch('2x1x0', 0.55, 1, 1), ch('3x1x0', 0.85)];
  const { state } = stepChannelAlerts(new Map(), health);
  expect(channelHealthSummary(health, state, 7)).toEqual({
    channels: 3,
    channels_in_alert: 2,
    low_outbound: 1,
    low_inbound: 1,
    worst_liquidity_ratio: 0.1,
    worst_short_channel_id: '1x1x0',
    forward_success_rate: 0.8,
    fees_earned_msat: 4000,
    window_days: 7,
  });
  expect(channelHealthSummary([], new Map(), 7)).toMatchObject({ channels: 0, worst_liquidity_ratio: null, forward_success_rate: null });
});
