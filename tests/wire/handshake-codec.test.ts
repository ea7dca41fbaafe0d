/**
 * Round trips of the handshake messages (spec 001 §2.2) in both framings, and the spec-framing
 * rules that make Hivebox-only fields required.
 */
import { describe, expect, test } from 'bun:test';
import { PyFloat } from '../../runtime/core/canonical/python-json.ts';
import { decodeHiveMessage, encodeHiveMessage, type Framing, type MsgType, type PayloadInput } from '../../runtime/core/wire/index.ts';

const A = `02${'a'.repeat(64)}`;
const B = `03${'b'.repeat(64)}`;
const NONCE = 'c'.repeat(64);
const SIG = 'y'.repeat(104);

const HANDSHAKE: Record<'HELLO' | 'CHALLENGE' | 'ATTEST' | 'WELCOME', PayloadInput> = {
  HELLO: { pubkey: A, protocol_version: 1, supported_versions: [1, 2], ticket: 'eyJ0IjoxfQ' },
  CHALLENGE: { nonce: NONCE, hive_id: 'hive_0123456789abcdef' },
  ATTEST: {
    pubkey: A,
    version: 'hivebox 0.1.0',
    features: ['splice', 'proto-v2'],
    nonce_signature: SIG,
    manifest_signature: SIG,
    manifest: { pubkey: A, version: 'hivebox 0.1.0', features: ['splice', 'proto-v2'], timestamp: 1_760_000_000, nonce: NONCE },
    hive_id: 'hive_0123456789abcdef',
    member_node_id: B,
  },
  WELCOME: {
    hive_id: 'hive_0123456789abcdef',
    tier: 'neophyte',
    member_count: 2,
    state_hash: '0'.repeat(64),
    members: [{ peer_id: B, tier: 'member', joined_at: 1_750_000_000 }],
    membership_hash: 'd'.repeat(64),
  },
};

describe('handshake round trips', () => {
  for (const framing of ['spec', 'clhive'] as Framing[]) {
    for (const [type, payload] of Object.entries(HANDSHAKE) as [MsgType, PayloadInput][]) {
      test(`${type} in ${framing} framing`, () => {
        const bytes = encodeHiveMessage(type, payload, framing);
        if (!bytes.ok) throw new Error(JSON.stringify(bytes.error));
        const out = decodeHiveMessage(bytes.value);
        if (out.kind !== 'message') throw new Error(JSON.stringify(out));
        expect(out.message.framing).toBe(framing);
        expect(out.message.type).toBe(type);
        expect(out.message.payload).toEqual(payload as never);
        expect(out.message.raw).toEqual(payload as never);
      });
    }
  }
});

describe('spec framing requires the Hivebox fields', () => {
  test('HELLO without ticket is accepted in clhive framing, refused in spec framing', () => {
    const { ticket: _t, ...clhiveHello } = HANDSHAKE.HELLO;
    expect(encodeHiveMessage('HELLO', clhiveHello, 'clhive').ok).toBe(true);
    const spec = encodeHiveMessage('HELLO', clhiveHello, 'spec');
    expect(spec.ok ? null : spec.error).toEqual({ kind: 'invalid_field', field: 'ticket', detail: expect.any(String) });
  });
  test('ATTEST top-level pubkey must equal manifest.pubkey', () => {
    const r = encodeHiveMessage('ATTEST', { ...HANDSHAKE.ATTEST, pubkey: B }, 'clhive');
    expect(r.ok ? null : r.error.field).toBe('pubkey');
  });
  test('manifest timestamp keeps a Python float', () => {
    const manifest = { ...(HANDSHAKE.ATTEST.manifest as object), timestamp: new PyFloat(1_760_000_000) };
    const bytes = encodeHiveMessage('ATTEST', { ...HANDSHAKE.ATTEST, manifest }, 'spec');
    if (!bytes.ok) throw new Error(JSON.stringify(bytes.error));
    expect(new TextDecoder().decode(bytes.value)).toContain('"timestamp":1760000000.0');
  });
});
