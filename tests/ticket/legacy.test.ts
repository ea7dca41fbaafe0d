/**
 * cl-hive's legacy ticket form, decoded read-only (clhive-protocol.md §3.4). The vector's JSON and
 * base64 were produced by Python 3.11 `json.dumps` / `base64.b64encode` exactly as cl-hive does.
 */
import { expect, test } from 'bun:test';
import { decodeClhiveTicket } from '../../runtime/core/ticket/legacy.ts';
import vector from './vectors/clhive-legacy-ticket.json';

test('decodes the cl-hive form and checks its signature', () => {
  const r = decodeClhiveTicket(vector.base64);
  expect(r).toEqual({ ok: true, value: { ...vector.fields, signature_valid: true } });
});

test('a changed field makes signature_valid false, not an error', () => {
  const json = vector.json.replace('"requirements": 1', '"requirements": 3');
  const r = decodeClhiveTicket(Buffer.from(json).toString('base64'));
  expect(r.ok && r.value.signature_valid).toBe(false);
});

test('malformed legacy tickets are typed errors', () => {
  expect(decodeClhiveTicket('%%%').ok).toBe(false);
  expect(decodeClhiveTicket(Buffer.from('{"admin_pubkey": 1}').toString('base64'))).toEqual({
    ok: false,
    error: { code: 'malformed', reason: expect.any(String), field: 'admin_pubkey' },
  });
  expect(decodeClhiveTicket('A'.repeat(10 * 1024 + 1))).toEqual({ ok: false, error: { code: 'malformed', reason: 'longer than 10240 bytes' } });
});
