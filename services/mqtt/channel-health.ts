/**
 * Channel health on MQTT (spec 004 "Channel Health Monitoring"; issue 16 §4): the retained
 * `hivebox/<prefix>/channels` JSON — the node-wide summary of the engine's last channel reading
 * (runtime/node/hive/channel-monitor.ts) — and its Home Assistant entities in the device discovery:
 * channels in alert (with the low-outbound / low-inbound split as attributes), the worst liquidity
 * ratio, and the forwarding success rate. Alerts themselves are `event/channel_alert` and
 * `event/channel_alert_cleared` (snapshot.ts). Kept apart from the `state` snapshot so each
 * topic has one owner. Pure.
 */
import { z } from 'zod';
import type { DiscoveryComponent } from './discovery.ts';

/** What `hivebox/<prefix>/channels` holds (runtime/core/health/channel-alerts.ts `ChannelHealthSummary`). */
export const ChannelHealthSummarySchema = z.object({
  channels: z.number().int().nonnegative(),
  channels_in_alert: z.number().int().nonnegative(),
  low_outbound: z.number().int().nonnegative(),
  low_inbound: z.number().int().nonnegative(),
  worst_liquidity_ratio: z.number().min(0).max(1).nullable(),
  worst_short_channel_id: z.string().max(32).nullable(),
  forward_success_rate: z.number().min(0).max(1).nullable(),
  fees_earned_msat: z.number().nonnegative(),
  window_days: z.number().positive(),
});

/** A channel health summary as published. */
export type ChannelHealthSummary = z.infer<typeof ChannelHealthSummarySchema>;

interface ChannelEntity {
  readonly key: string;
  readonly field: keyof ChannelHealthSummary;
  readonly name: string;
  readonly template: string;
  readonly extra: Record<string, unknown>;
}

const ENTITIES: readonly ChannelEntity[] = [
  { key: 'channels_in_alert', field: 'channels_in_alert', name: 'Channels in alert', template: '{{ value_json.channels_in_alert }}',
    extra: { state_class: 'measurement', icon: 'mdi:scale-unbalanced',
      json_attributes_template: '{{ {"low_outbound": value_json.low_outbound, "low_inbound": value_json.low_inbound, "channels": value_json.channels} | tojson }}' } },
  { key: 'worst_liquidity_ratio', field: 'worst_liquidity_ratio', name: 'Worst liquidity ratio',
    template: "{{ (value_json.worst_liquidity_ratio * 100) | round(1) if value_json.worst_liquidity_ratio is not none else None }}",
    extra: { unit_of_measurement: '%', state_class: 'measurement', icon: 'mdi:water-percent',
      json_attributes_template: '{{ {"short_channel_id": value_json.worst_short_channel_id} | tojson }}' } },
  { key: 'forward_success_rate', field: 'forward_success_rate', name: 'Forward success rate',
    template: "{{ (value_json.forward_success_rate * 100) | round(1) if value_json.forward_success_rate is not none else None }}",
    extra: { unit_of_measurement: '%', state_class: 'measurement', icon: 'mdi:transit-connection-variant' } },
];

/** The summary field each channel entity reads (key → field), for tests. */
export const CHANNEL_ENTITY_FIELDS: Readonly<Record<string, keyof ChannelHealthSummary>> = Object.fromEntries(ENTITIES.map((e) => [e.key, e.field]));

/** The channel-health entities of device `id`, reading `channelsTopic`. */
export function channelHealthComponents(id: string, channelsTopic: string, availability: readonly Record<string, string>[]): Record<string, DiscoveryComponent> {
  const out: Record<string, DiscoveryComponent> = {};
  for (const e of ENTITIES) {
    out[`${id}_${e.key}`] = {
      platform: 'sensor',
      unique_id: `${id}_${e.key}`,
      name: e.name,
      state_topic: channelsTopic,
      value_template: e.template,
      ...(e.extra.json_attributes_template ? { json_attributes_topic: channelsTopic } : {}),
      availability,
      ...e.extra,
    };
  }
  return out;
}
