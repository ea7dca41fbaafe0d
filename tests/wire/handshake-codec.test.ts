/**
 * Handshake payload rules beyond round trips (spec 001 §2.2; issue 2 §6): Hivebox-only fields
 * required in spec framing, consistency refinements, Python floats in the manifest.
 */
import { expect, test } from 'bun:test';
import { PyFloat } from '../../runtime/core/canonical/python-json.ts';
import { encodeHiveMessage, type PayloadInput } from '../../runtime/core/wire/index.ts';
import { KEY_B, samplePayload } from './fixtures.ts';

const fieldOf = (r: ReturnType<typeof encodeHiveMessage>) => (r.ok ? null : `${r.error.kind}:${r.error.field}`);

test('HELLO without ticket is accepted in clhive framing, refused in spec framing', () => {
  const { ticket: _ticket, ...clhiveHello } = samplePayload('HELLO', 'spec');
  expect(encodeHiveMessage('HELLO', clhiveHello, 'clhive').ok).toBe(true);
  expect(fieldOf(encodeHiveMessage('HELLO', clhiveHello, 'spec'))).toBe('invalid_field:ticket');
});

test('ATTEST in spec framing must name the hive and the member it answers', () => {
  const { member_node_id: _m, ...attest } = samplePayload('ATTEST', 'spec');
  expect(fieldOf(encodeHiveMessage('ATTEST', attest, 'spec'))).toBe('invalid_field:member_node_id');
  expect(encodeHiveMessage('ATTEST', samplePayload('ATTEST', 'clhive'), 'clhive').ok).toBe(true);
});

test('ATTEST top-level copies must equal the manifest', () => {
  const attest = samplePayload('ATTEST', 'clhive');
  expect(fieldOf(encodeHiveMessage('ATTEST', { ...attest, pubkey: KEY_B.node_id }, 'clhive'))).toBe('invalid_field:pubkey');
  expect(fieldOf(encodeHiveMessage('ATTEST', { ...attest, features: ['splice'] }, 'clhive'))).toBe('invalid_field:features');
});

test('ATTEST manifest keeps a Python float timestamp on the wire', () => {
  const attest = samplePayload('ATTEST', 'spec');
  const manifest = { ...(attest.manifest as object), timestamp: new PyFloat(1_760_000_000) } as PayloadInput;
  const bytes = encodeHiveMessage('ATTEST', { ...attest, manifest }, 'spec');
  if (!bytes.ok) throw new Error(JSON.stringify(bytes.error));
  expect(new TextDecoder().decode(bytes.value)).toContain('"timestamp":1760000000.0');
});

test('WELCOME in spec framing: the member list and its membership hash must agree', () => {
  const welcome = samplePayload('WELCOME', 'spec');
  expect(fieldOf(encodeHiveMessage('WELCOME', { ...welcome, membership_hash: 'd'.repeat(64) }, 'spec'))).toBe('invalid_field:membership_hash');
  const { members: _members, ...clhiveWelcome } = welcome;
  expect(encodeHiveMessage('WELCOME', clhiveWelcome, 'clhive').ok).toBe(true);
  expect(fieldOf(encodeHiveMessage('WELCOME', clhiveWelcome, 'spec'))).toBe('invalid_field:members');
});

test('CHALLENGE nonce must be exactly 64 lowercase hex characters', () => {
  const c = samplePayload('CHALLENGE', 'spec');
  expect(fieldOf(encodeHiveMessage('CHALLENGE', { ...c, nonce: 'hive:ban_vote:b2:approve:1' }, 'spec'))).toBe('invalid_field:nonce');
});

test('FULL_SYNC states must hash to the signed fleet_hash', () => {
  const f = samplePayload('FULL_SYNC', 'clhive');
  expect(fieldOf(encodeHiveMessage('FULL_SYNC', { ...f, fleet_hash: 'ef'.repeat(32) }, 'clhive'))).toBe('invalid_field:fleet_hash');
});
