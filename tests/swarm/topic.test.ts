/** Swarm topic derivation (issue 10 §2): vector from coreutils `sha256sum`, hive separation, input checks. */
import { expect, test } from 'bun:test';
import { isHiveId, swarmTopic } from '../../runtime/core/swarm/topic.ts';

test('topic = sha256("hivebox/swarm/v1" ‖ hive_id), vector from sha256sum', () => {
  // printf 'hivebox/swarm/v1hive_0123456789abcdef' | sha256sum
  expect(swarmTopic('hive_0123456789abcdef')).toBe('fc6952de57bc9c38691a807f90629bd2ee7958e44b1ee1fefe89adc1d3d5ab0b');
});

test('different hive ids give different topics', () => {
  expect(swarmTopic('hive_a')).not.toBe(swarmTopic('hive_b'));
});

test('hive ids outside 1-128 printable ASCII are refused', () => {
  for (const bad of ['', 'a b', 'x'.repeat(129), 'hive\n', 'hivé', 7]) expect(isHiveId(bad)).toBe(false);
  expect(() => swarmTopic('')).toThrow(/hive_id/);
});
