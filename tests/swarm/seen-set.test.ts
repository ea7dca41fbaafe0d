/** Cross-transport dedup (issue 10 §3): bounded, time-limited seen-set of delivery digests. */
import { expect, test } from 'bun:test';
import { deliveryDigest, SeenSet } from '../../runtime/core/swarm/seen-set.ts';
import { B, C } from './gate-driver.ts';

const HEX = '48495645' + '7b7d';

test('the same bytes from the same node by the other path are a duplicate within the TTL, fresh again after it', () => {
  const seen = new SeenSet(10, 1000);
  const d = deliveryDigest(B.node_id, HEX);
  expect(seen.check(d, 0, 'lightning')).toBe('fresh');
  expect(seen.check(d, 999, 'swarm')).toBe('duplicate');
  expect(seen.check(d, 1000, 'swarm')).toBe('fresh');
});

test('a repeat by the same path is a retry, not a duplicate: it reaches the engine (which re-ACKs it)', () => {
  const seen = new SeenSet(10, 1000);
  const d = deliveryDigest(B.node_id, HEX);
  expect(seen.check(d, 0, 'swarm')).toBe('fresh');
  expect(seen.check(d, 10, 'swarm')).toBe('fresh');
  expect(seen.check(d, 20, 'lightning')).toBe('duplicate');
});

test('the digest covers the delivering node id and every byte', () => {
  expect(deliveryDigest(B.node_id, HEX)).not.toBe(deliveryDigest(C.node_id, HEX));
  expect(deliveryDigest(B.node_id, HEX)).not.toBe(deliveryDigest(B.node_id, HEX + '00'));
  expect(deliveryDigest(B.node_id, HEX)).toBe(deliveryDigest(B.node_id, HEX.toUpperCase()));
});

test('flood of distinct messages: the set never exceeds max_entries, oldest evicted first', () => {
  const seen = new SeenSet(100, 60_000);
  for (let i = 0; i < 1000; i++) seen.check(deliveryDigest(B.node_id, i.toString(16).padStart(8, '0')), i, 'lightning');
  expect(seen.size).toBe(100);
  expect(seen.check(deliveryDigest(B.node_id, (999).toString(16).padStart(8, '0')), 1000, 'swarm')).toBe('duplicate');
  expect(seen.check(deliveryDigest(B.node_id, (0).toString(16).padStart(8, '0')), 1000, 'swarm')).toBe('fresh');
});
