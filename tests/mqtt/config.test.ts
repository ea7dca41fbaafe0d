/**
 * MQTT config validation: defaults are read-only with discovery on; prefixes that would inject
 * wildcards or extra topic levels, and non-MQTT URLs, are refused with a readable message.
 */
import { expect, test } from 'bun:test';
import { parseMqttConfig } from '../../services/mqtt/config.ts';

test('defaults: discovery on, commands off, MQTT 5 with fallback, 30 s state refresh', () => {
  expect(parseMqttConfig({ url: 'mqtt://127.0.0.1:1883' })).toEqual({
    ok: true,
    value: { url: 'mqtt://127.0.0.1:1883', topic_prefix: 'hivebox', discovery_prefix: 'homeassistant', discovery: true, commands: false, state_interval_s: 30, protocol: 'auto' },
  });
});

test('wildcards or slashes in prefixes, odd URLs and bad types are refused', () => {
  const bad = (input: unknown) => {
    const r = parseMqttConfig(input);
    return r.ok ? 'accepted' : r.error;
  };
  expect(bad({ url: 'mqtt://h', topic_prefix: 'hivebox/#' })).toStartWith('topic_prefix: one plain topic level');
  expect(bad({ url: 'mqtt://h', discovery_prefix: '+' })).toStartWith('discovery_prefix:');
  expect(bad({ url: 'http://h' })).toStartWith('url:');
  expect(bad({ url: 'mqtt://h', commands: 'yes' })).toStartWith('commands:');
  expect(bad({ url: 'mqtt://h', state_interval_s: 1 })).toStartWith('state_interval_s:');
  expect(bad(null)).toContain('mqtt');
});
