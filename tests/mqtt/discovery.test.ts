/**
 * Home Assistant discovery payloads checked the way Home Assistant consumes them: the topic shape
 * `<prefix>/device/<object_id>/config`, the device block, the origin, per-entity required keys
 * (platform, unique_id, state_topic, availability), and every value_template rendered by real
 * Jinja2 against the JSON the publisher actually retains.
 */
import { expect, test } from 'bun:test';
import { type DiscoveryComponent, discoveryPayload, ENTITY_FIELDS } from '../../services/mqtt/discovery.ts';
import { CHANNEL_ENTITY_FIELDS, ChannelHealthSummarySchema } from '../../services/mqtt/channel-health.ts';
import { statusTopics } from '../../services/mqtt/topics.ts';
import { NODE_ID, SNAPSHOT } from './fixtures/snapshot.ts';
import { renderTemplates } from './jinja.ts';

const topics = statusTopics(NODE_ID);
const payload = discoveryPayload(topics, { nodeId: NODE_ID, swVersion: '0.1.0' }, false);
const components = Object.entries(payload.components).filter(([, c]) => c.state_topic === topics.state);
const channelComponents = Object.entries(payload.components).filter(([, c]) => c.state_topic === topics.channels);
const CHANNELS: Parameters<typeof ChannelHealthSummarySchema.parse>[0] & object = { channels: 4, channels_in_alert: 2, low_outbound: 1, low_inbound: 1, worst_liquidity_ratio: 0.05, worst_short_channel_id: '933900x1x0', forward_success_rate: 0.875, fees_earned_msat: 12_345, window_days: 7 };
const published = (over: Partial<typeof SNAPSHOT> = {}) => JSON.stringify({ ...SNAPSHOT, ...over, updated_at: 1_700_000_000, sw_version: '0.1.0' });

test('topic is device-based discovery with a valid object id', () => {
  expect(topics.discovery).toMatch(/^homeassistant\/device\/[a-zA-Z0-9_-]+\/config$/);
  expect(topics.discovery).toBe('homeassistant/device/hivebox_03864ef025fd/config');
});

test('device block and origin carry what HA shows and keys on', () => {
  expect(payload.device).toEqual({
    identifiers: ['hivebox_03864ef025fd'],
    name: 'Hivebox 03864ef025fd',
    manufacturer: 'Hivebox',
    model: 'Hivebox Lightning fleet appliance',
    sw_version: '0.1.0',
    serial_number: NODE_ID,
  });
  expect(payload.origin.name).toBe('hivebox');
  expect(JSON.parse(JSON.stringify(payload))).toEqual(payload); // plain JSON, nothing lost
});

test('every entity has platform, a unique unique_id, the state topic and availability wired to the LWT topic', () => {
  const ids = new Set<string>();
  for (const [key, c] of components) {
    expect(['sensor', 'binary_sensor']).toContain(c.platform);
    expect(c.unique_id).toBe(key);
    expect(c.unique_id).toMatch(/^[a-zA-Z0-9_-]+$/);
    ids.add(c.unique_id);
    expect(c.state_topic).toBe(topics.state);
    expect(typeof c.name).toBe('string');
    expect(c.availability).toEqual([{ topic: topics.availability, payload_available: 'online', payload_not_available: 'offline' }]);
    expect(c).not.toHaveProperty('command_topic');
  }
  expect(ids.size).toBe(components.length);
  expect(components.length).toBe(Object.keys(ENTITY_FIELDS).length);
  expect(channelComponents.length + components.length).toBe(Object.keys(payload.components).length);
  expect(channelComponents.map(([, c]) => c.unique_id)).toEqual(Object.keys(CHANNEL_ENTITY_FIELDS).map((k) => `hivebox_03864ef025fd_${k}`));
});

test('every state field the issue lists has an entity', () => {
  expect(new Set(Object.values(ENTITY_FIELDS))).toEqual(
    new Set(['health', 'hive_id', 'tier', 'members_count', 'fleet_hash', 'pending_approvals', 'signer_connected', 'lightningd_up', 'last_gossip_age_s', 'top_hive_share_targets', 'inbound_dropped_total']),
  );
});

test('value templates render with Jinja2 to what HA expects for each platform', () => {
  const templates = components.map(([, c]) => c.value_template as string);
  const byKey = (out: string[]) => Object.fromEntries(components.map(([k], i) => [k.replace('hivebox_03864ef025fd_', ''), out[i]]));
  expect(byKey(renderTemplates(templates, published()))).toEqual({
    health: 'healthy',
    problem: 'OFF',
    members_count: '3',
    pending_approvals: '1',
    signer_connected: 'ON',
    lightningd_up: 'ON',
    last_gossip_age: '42',
    tier: 'member',
    hive_id: 'hive_1a2b3c4d',
    fleet_hash: 'abababababababab',
    top_hive_share_targets: '1',
    inbound_dropped: '7',
  });
  const degraded = renderTemplates(templates, published({ health: 'degraded', signer_connected: false, last_gossip_age_s: null, hive_id: null, tier: null, fleet_hash: null }));
  expect(byKey(degraded)).toMatchObject({ health: 'degraded', problem: 'ON', signer_connected: 'OFF', last_gossip_age: 'None', hive_id: 'none', tier: 'none', fleet_hash: 'none' });
});

test('attribute templates render to JSON objects', () => {
  const withAttrs = components.filter(([, c]) => c.json_attributes_template) as [string, DiscoveryComponent][];
  expect(withAttrs.length).toBe(3);
  for (const [, c] of withAttrs) expect(c.json_attributes_topic).toBe(topics.state);
  const out = renderTemplates(withAttrs.map(([, c]) => c.json_attributes_template as string), published({ health_reasons: ['plugin: not in plugin list'] }));
  expect(out.map((o) => JSON.parse(o))).toEqual([{ reasons: ['plugin: not in plugin list'] }, { reasons: SNAPSHOT.inbound_dropped }, { targets: SNAPSHOT.top_hive_share_targets }]);
});

test('health enum options match the health machine states', () => {
  expect(payload.components.hivebox_03864ef025fd_health).toMatchObject({ device_class: 'enum', options: ['starting', 'healthy', 'degraded', 'failed'] });
});

test('channel health entities render with Jinja2 from the retained channels summary (and unknown before any forward)', () => {
  const templates = channelComponents.map(([, c]) => c.value_template as string);
  const json = (over: Partial<typeof CHANNELS> = {}) => JSON.stringify({ ...ChannelHealthSummarySchema.parse({ ...CHANNELS, ...over }), updated_at: 1_700_000_000 });
  expect(renderTemplates(templates, json())).toEqual(['2', '5.0', '87.5']);
  expect(renderTemplates(templates, json({ forward_success_rate: null, worst_liquidity_ratio: null, worst_short_channel_id: null }))).toEqual(['2', 'None', 'None']);
  const attrs = channelComponents.filter(([, c]) => c.json_attributes_template);
  for (const [, c] of attrs) expect(c.json_attributes_topic).toBe(topics.channels);
  expect(renderTemplates(attrs.map(([, c]) => c.json_attributes_template as string), json()).map((o) => JSON.parse(o))).toEqual([{ low_outbound: 1, low_inbound: 1, channels: 4 }, { short_channel_id: '933900x1x0' }]);
});
