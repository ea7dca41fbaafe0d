/**
 * Home Assistant MQTT discovery for one Hivebox (ecosystem.md §C): a single retained device-based
 * discovery message (HA 2024.11+, `<prefix>/device/<object_id>/config`) holding the `device` block,
 * the `origin`, and every entity under `components`, each with `platform`, `unique_id`,
 * `state_topic` + `value_template` over the retained state JSON, and `availability` wired to the
 * availability topic that is also the MQTT last will. Full key names are used (HA expands the
 * abbreviated ones to these). A template that renders Python `None` reads as HA's `None` payload,
 * i.e. state unknown (HA mqtt `PAYLOAD_NONE`). Publishing an empty retained payload to the same topic removes the
 * device and all its entities. Pure: builds JSON, does no I/O.
 */
import { channelHealthComponents } from './channel-health.ts';
import type { StatusSnapshot } from './snapshot.ts';
import { AVAILABILITY, type StatusTopics } from './topics.ts';

/** Static facts about the box for the HA device block. */
export interface DeviceInfo {
  readonly nodeId: string;
  /** Shown as the device name; default `Hivebox <node_id_prefix>`. */
  readonly name?: string;
  readonly swVersion: string;
  /** e.g. `Raspberry Pi 5` or `linux-x64`. */
  readonly model?: string;
  /** `http://<host>.local` when the box serves a page. */
  readonly configurationUrl?: string;
}

/** One entity inside `components`. */
export type DiscoveryComponent = Record<string, unknown> & {
  platform: 'sensor' | 'binary_sensor' | 'button';
  unique_id: string;
  name: string;
};

/** The device discovery payload. */
export interface DiscoveryPayload {
  device: {
    identifiers: string[];
    name: string;
    manufacturer: string;
    model: string;
    sw_version: string;
    serial_number: string;
    configuration_url?: string;
  };
  origin: { name: string; sw_version: string };
  components: Record<string, DiscoveryComponent>;
  qos: number;
}

/** The state fields an entity reads, so a test can check every template against a real snapshot. */
type Field = keyof StatusSnapshot;

interface EntityDef {
  key: string;
  field: Field;
  platform: 'sensor' | 'binary_sensor';
  name: string;
  template: string;
  extra?: Record<string, unknown>;
}

const onOff = (expr: string) => `{{ 'ON' if ${expr} else 'OFF' }}`;

const ENTITIES: readonly EntityDef[] = [
  { key: 'health', field: 'health', platform: 'sensor', name: 'Health', template: '{{ value_json.health }}',
    extra: { device_class: 'enum', options: ['starting', 'healthy', 'degraded', 'failed'], icon: 'mdi:heart-pulse',
      json_attributes_template: '{{ {"reasons": value_json.health_reasons} | tojson }}' } },
  { key: 'problem', field: 'health', platform: 'binary_sensor', name: 'Problem', template: onOff("value_json.health != 'healthy'"),
    extra: { device_class: 'problem' } },
  { key: 'members_count', field: 'members_count', platform: 'sensor', name: 'Hive members', template: '{{ value_json.members_count }}',
    extra: { state_class: 'measurement', icon: 'mdi:account-group' } },
  { key: 'pending_approvals', field: 'pending_approvals', platform: 'sensor', name: 'Pending approvals',
    template: '{{ value_json.pending_approvals }}', extra: { state_class: 'measurement', icon: 'mdi:gesture-tap-button' } },
  { key: 'signer_connected', field: 'signer_connected', platform: 'binary_sensor', name: 'Signer',
    template: onOff('value_json.signer_connected'), extra: { device_class: 'connectivity' } },
  { key: 'lightningd_up', field: 'lightningd_up', platform: 'binary_sensor', name: 'Lightning node',
    template: onOff('value_json.lightningd_up'), extra: { device_class: 'running' } },
  { key: 'last_gossip_age', field: 'last_gossip_age_s', platform: 'sensor', name: 'Last gossip age',
    template: '{{ value_json.last_gossip_age_s }}',
    extra: { device_class: 'duration', unit_of_measurement: 's', state_class: 'measurement' } },
  { key: 'tier', field: 'tier', platform: 'sensor', name: 'Tier', template: "{{ value_json.tier or 'none' }}",
    extra: { entity_category: 'diagnostic', icon: 'mdi:shield-account' } },
  { key: 'hive_id', field: 'hive_id', platform: 'sensor', name: 'Hive id', template: "{{ value_json.hive_id or 'none' }}",
    extra: { entity_category: 'diagnostic' } },
  { key: 'fleet_hash', field: 'fleet_hash', platform: 'sensor', name: 'Fleet hash', template: "{{ (value_json.fleet_hash or 'none')[:16] }}",
    extra: { entity_category: 'diagnostic' } },
  { key: 'inbound_dropped', field: 'inbound_dropped_total', platform: 'sensor', name: 'Inbound messages dropped',
    template: '{{ value_json.inbound_dropped_total }}',
    extra: { state_class: 'total_increasing', entity_category: 'diagnostic', icon: 'mdi:email-remove',
      json_attributes_template: '{{ {"reasons": value_json.inbound_dropped} | tojson }}' } },
  { key: 'top_hive_share_targets', field: 'top_hive_share_targets', platform: 'sensor', name: 'Hive share targets',
    template: '{{ value_json.top_hive_share_targets | length }}',
    extra: { state_class: 'measurement', json_attributes_template: '{{ {"targets": value_json.top_hive_share_targets} | tojson }}' } },
];

/** The state field each entity reads (key → field), for tests and documentation. */
export const ENTITY_FIELDS: Readonly<Record<string, Field>> = Object.fromEntries(ENTITIES.map((e) => [e.key, e.field]));

/** Non-destructive commands offered when commands are enabled: name → button label. */
export const COMMANDS = { refresh: 'Refresh status' } as const;

/** A command name. */
export type CommandName = keyof typeof COMMANDS;

/**
 * Build the discovery payload.
 * @param commands include a `button` per {@link COMMANDS} entry (only when the operator enabled commands).
 */
export function discoveryPayload(topics: StatusTopics, device: DeviceInfo, commands: boolean): DiscoveryPayload {
  const id = `hivebox_${topics.nodeIdPrefix}`;
  const availability = [{ topic: topics.availability, payload_available: AVAILABILITY.online, payload_not_available: AVAILABILITY.offline }];
  const components: Record<string, DiscoveryComponent> = {};
  for (const e of ENTITIES) {
    components[`${id}_${e.key}`] = {
      platform: e.platform,
      unique_id: `${id}_${e.key}`,
      name: e.name,
      state_topic: topics.state,
      value_template: e.template,
      ...(e.extra?.json_attributes_template ? { json_attributes_topic: topics.state } : {}),
      availability,
      ...e.extra,
    };
  }
  Object.assign(components, channelHealthComponents(id, topics.channels, availability));
  if (commands) {
    for (const [cmd, label] of Object.entries(COMMANDS)) {
      components[`${id}_cmd_${cmd}`] = {
        platform: 'button',
        unique_id: `${id}_cmd_${cmd}`,
        name: label,
        command_topic: topics.command(cmd),
        payload_press: 'PRESS',
        availability,
        entity_category: 'config',
      };
    }
  }
  return {
    device: {
      identifiers: [id],
      name: device.name ?? `Hivebox ${topics.nodeIdPrefix}`,
      manufacturer: 'Hivebox',
      model: device.model ?? 'Hivebox Lightning fleet appliance',
      sw_version: device.swVersion,
      serial_number: device.nodeId,
      ...(device.configurationUrl ? { configuration_url: device.configurationUrl } : {}),
    },
    origin: { name: 'hivebox', sw_version: device.swVersion },
    components,
    qos: 1,
  };
}
