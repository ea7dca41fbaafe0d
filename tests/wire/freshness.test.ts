/**
 * Timestamp freshness (clhive-protocol.md §2.2): per-type max age, 300 s clock skew, typed errors.
 */
import { expect, test } from 'bun:test';
import { PyFloat } from '../../runtime/core/canonical/python-json.ts';
import { checkFreshness, MAX_CLOCK_SKEW_S, MESSAGE_SPECS } from '../../runtime/core/wire/index.ts';

const NOW = 1_760_000_000;
const kindOf = (r: ReturnType<typeof checkFreshness>) => (r.ok ? 'ok' : r.error.kind);

test('cl-hive max ages per type', () => {
  expect(MESSAGE_SPECS.GOSSIP.max_age_s).toBe(3600);
  expect(MESSAGE_SPECS.INTENT.max_age_s).toBe(600);
  expect(MESSAGE_SPECS.STATE_HASH.max_age_s).toBe(3600);
  expect(MESSAGE_SPECS.FULL_SYNC.max_age_s).toBe(3600);
  expect(MESSAGE_SPECS.VOUCH.max_age_s).toBe(3600);
  expect(MESSAGE_SPECS.BAN_VOTE.max_age_s).toBe(3600);
  expect(MESSAGE_SPECS.SETTLEMENT_OFFER.max_age_s).toBe(86_400);
  expect(MESSAGE_SPECS.HEALTH_REPORT.max_age_s).toBe(7200);
  expect(MAX_CLOCK_SKEW_S).toBe(300);
});

test('boundaries: exactly max age and exactly max skew are fresh; one second more is not', () => {
  expect(kindOf(checkFreshness('GOSSIP', { timestamp: NOW - 3600 }, NOW))).toBe('ok');
  expect(kindOf(checkFreshness('GOSSIP', { timestamp: NOW - 3601 }, NOW))).toBe('stale_timestamp');
  expect(kindOf(checkFreshness('INTENT', { timestamp: NOW - 601 }, NOW))).toBe('stale_timestamp');
  expect(kindOf(checkFreshness('GOSSIP', { timestamp: NOW + 300 }, NOW))).toBe('ok');
  expect(kindOf(checkFreshness('GOSSIP', { timestamp: NOW + 301 }, NOW))).toBe('future_timestamp');
});

test('a Python float timestamp counts; missing, zero or non-numeric timestamps are invalid', () => {
  expect(kindOf(checkFreshness('STATE_HASH', { timestamp: new PyFloat(NOW) }, NOW))).toBe('ok');
  expect(kindOf(checkFreshness('FEE_REPORT', {}, NOW))).toBe('invalid_field');
  expect(kindOf(checkFreshness('GOSSIP', { timestamp: 0 }, NOW))).toBe('invalid_field');
  expect(kindOf(checkFreshness('GOSSIP', { timestamp: '1760000000' }, NOW))).toBe('invalid_field');
});

test('types without a rule are not checked (as in cl-hive)', () => {
  expect(kindOf(checkFreshness('INTENT_ABORT', { timestamp: 1 }, NOW))).toBe('ok');
  expect(kindOf(checkFreshness('HELLO', {}, NOW))).toBe('ok');
});

test('a stale error names the field and the ages', () => {
  const r = checkFreshness('BAN_VOTE', { timestamp: NOW - 4000 }, NOW);
  expect(r.ok ? null : r.error).toEqual({ kind: 'stale_timestamp', field: 'timestamp', detail: 'timestamp is 4000 s old, max 3600 s' });
});
