/**
 * Pure pieces of the fleet engine: gossip triggers (clhive-protocol.md §4.5), claim verification
 * (spec 003 §3.1), the listchannels index, the governance thresholds (§6.4, §6.5), the intent
 * transition table (§5) and config validation.
 */
import { describe, expect, test } from 'bun:test';
import { effectivePlannerInterval, fleetConfig } from '../../runtime/core/fleet/config.ts';
import { publicCapacityIndex } from '../../runtime/core/fleet/public-capacity.ts';
import { banThreshold, promotionQuorum } from '../../runtime/core/fleet/roster.ts';
import type { LocalStatus } from '../../runtime/core/fleet/types.ts';
import { shouldBroadcast, verifyClaims } from '../../runtime/core/machines/gossip.ts';
import { transition } from '../../runtime/core/machines/intent-lock.ts';
import type { NodeChannel } from '../../runtime/core/ports.ts';
import type { NodeId } from '../../runtime/core/types.ts';

const base: LocalStatus = { capacity_sats: 1_000_000, available_sats: 500_000, fee_policy: { base_fee: 0, fee_rate: 0, cltv_delta: 40 }, topology: ['x', 'y'], addresses: [], capabilities: [] };

describe('shouldBroadcast', () => {
  const last = { at: 1000, sent: base };
  test.each([
    ['first', { at: null, sent: null }, base, 1001],
    ['heartbeat', last, base, 1300],
    ['capacity_change', last, { ...base, capacity_sats: 1_100_001 }, 1001],
    ['fee_policy_change', last, { ...base, fee_policy: { ...base.fee_policy, cltv_delta: 80 } }, 1001],
    ['topology_change', last, { ...base, topology: ['x', 'z'] }, 1001],
  ] as const)('%s', (trigger, prev, current, now) => {
    expect(shouldBroadcast(prev, current, now)).toBe(trigger);
  });
  test('a 10 % change, the same topology reordered, and 299 s later: nothing', () => {
    expect(shouldBroadcast(last, { ...base, capacity_sats: 1_100_000, topology: ['y', 'x'] }, 1299)).toBeNull();
  });
  test('from zero capacity any capacity triggers', () => {
    expect(shouldBroadcast({ at: 1000, sent: { ...base, capacity_sats: 0 } }, base, 1001)).toBe('capacity_change');
  });
});

describe('claims and the listchannels index', () => {
  const ch = (scid: string, a: string, b: string, sat: number, pub = true): NodeChannel[] => [
    { source: a, destination: b, short_channel_id: scid, direction: 0, public: pub, amount_msat: sat * 1000, active: true, base_fee_millisatoshi: 0, fee_per_millionth: 0, delay: 6 },
    { source: b, destination: a, short_channel_id: scid, direction: 1, public: pub, amount_msat: sat * 1000, active: true, base_fee_millisatoshi: 0, fee_per_millionth: 0, delay: 6 },
  ];
  const facts = publicCapacityIndex([...ch('1x1x1', 'm', 'x', 300), ...ch('1x1x2', 'x', 'm', 200), ...ch('1x1x3', 'm', 'y', 900, false)]);
  test('both directions count once, channels between the pair add up, private ones are ignored', () => {
    expect(facts.publicCapacitySats('m', 'x')).toBe(500);
    expect(facts.publicCapacitySats('x', 'm')).toBe(500);
    expect(facts.publicCapacitySats('m', 'y')).toBe(0);
  });
  test('claims are clamped per peer; a peer without a public channel fails the claim', () => {
    expect(verifyClaims('m', 1000, ['x'], facts)).toEqual({ ok: true, verified: { x: 500 }, capped: ['x'] });
    expect(verifyClaims('m', 100, ['x'], facts)).toEqual({ ok: true, verified: { x: 100 }, capped: [] });
    expect(verifyClaims('m', 100, ['x', 'y'], facts)).toEqual({ ok: false, peer: 'y' });
  });
});

test('quorum and ban threshold', () => {
  expect([0, 1, 2, 3, 4, 5, 9, 10, 50].map(promotionQuorum)).toEqual([1, 1, 2, 2, 3, 3, 5, 6, 26]);
  expect([1, 2, 3, 4, 5, 9, 49].map(banThreshold)).toEqual([1, 2, 2, 3, 3, 5, 25]);
});

test('intent transitions: only pending → committed | aborted | expired and committed → done | failed', () => {
  const row = { intent_id: 'i', intent_type: 'channel_open' as const, target: 't', initiator: '02' as NodeId, timestamp: 0, expires_at: 300, status: 'pending' as const, amount_sats: null, approved: 0 as const, reason: '', updated_at: 0 };
  expect(transition(row, 'committed', 5)).toMatchObject({ status: 'committed', updated_at: 5 });
  expect(transition(row, 'done', 5)).toBeNull();
  const committed = transition(row, 'committed', 5)!;
  expect(transition(committed, 'failed', 6, 'no route')).toMatchObject({ status: 'failed', reason: 'no route' });
  expect(transition(committed, 'aborted', 6)).toBeNull();
  expect(transition(transition(row, 'expired', 7)!, 'committed', 8)).toBeNull();
});

test('config: hold 10–600 and shorter than the TTL; the planner interval is never below 300 s', () => {
  const id = '02' + '11'.repeat(32) as NodeId;
  expect(fleetConfig({ our_node_id: id, intent_hold_s: 9 })).toMatchObject({ ok: false, error: { field: 'intent_hold_s' } });
  expect(fleetConfig({ our_node_id: id, intent_hold_s: 300, intent_ttl_s: 300 })).toMatchObject({ ok: false, error: { field: 'intent_hold_s' } });
  const c = fleetConfig({ our_node_id: id, planner_interval_s: 1 });
  expect(c.ok && effectivePlannerInterval(c.value)).toBe(300);
  expect(c.ok && c.value.governance_mode).toBe('advisor');
  expect(c.ok && c.value.planner_enable_expansions).toBe(false);
});
