/**
 * `hive-join` ticket errors name the rule and the field (issue 16 §5): a malformed ticket gives the
 * decoder's reason and field, an expired one says how long ago it expired.
 */
import { expect, test } from 'bun:test';
import { describeTicketReject, roughDuration } from '../../runtime/engine/rpc/join.ts';

test('durations in a readable unit', () => {
  expect([40, 600, 3 * 3_600 + 100, 5 * 86_400].map(roughDuration)).toEqual(['40 s', '10 min', '3 h', '5 days']);
});

test('expired names how long ago and the instant; malformed names the reason and field', () => {
  const now = 1_790_000_000;
  expect(describeTicketReject('ticket_expired', { expires_at: now - 3 * 3_600 }, now)).toBe(`expired 3 h ago (expires_at ${new Date((now - 3 * 3_600) * 1000).toISOString()}); ask a member for a new one`);
  expect(describeTicketReject('ticket_malformed', { code: 'malformed', reason: 'Invalid input: expected string, received undefined', field: 'hive_id' }, now)).toBe('malformed: Invalid input: expected string, received undefined (field hive_id)');
  expect(describeTicketReject('ticket_malformed', { code: 'malformed', reason: 'not base64url' }, now)).toBe('malformed: not base64url');
});
