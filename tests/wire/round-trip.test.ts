/**
 * Codec round trips (issue 2 §8): every message type in both framings encodes, decodes to the
 * same payload, keeps Python floats in `raw`, strips `_` keys from the view, and — for signed
 * types — its signatures recover to the claimed signer.
 */
import { describe, expect, test } from 'bun:test';
import { PyFloat } from '../../runtime/core/canonical/python-json.ts';
import {
  checkSignatures,
  CLHIVE_BOLT_TYPE,
  decodeHiveMessage,
  encodeHiveMessage,
  type Framing,
  MSG_TYPES,
  type PayloadInput,
} from '../../runtime/core/wire/index.ts';
import { ALL_TYPES, samplePayload } from './fixtures.ts';

const SIGNED = new Set(['ATTEST', 'GOSSIP', 'STATE_HASH', 'FULL_SYNC', 'INTENT_ABORT', 'VOUCH', 'PROMOTION', 'MEMBER_LEFT', 'BAN_PROPOSAL', 'BAN_VOTE', 'MSG_ACK', 'HIVE_REVOKE', 'BAN_PEER']);

/** The validated view a payload should decode to: `_` keys gone, Python floats as numbers. */
function viewOf(v: unknown, top = true): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map((x) => viewOf(x, false));
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([k]) => !(top && k.startsWith('_'))).map(([k, x]) => [k, viewOf(x, false)]));
  }
  return v;
}

for (const framing of ['spec', 'clhive'] as Framing[]) {
  describe(`${framing} framing`, () => {
    for (const type of ALL_TYPES) {
      test(type, () => {
        const input: PayloadInput = samplePayload(type, framing);
        const bytes = encodeHiveMessage(type, input, framing);
        if (!bytes.ok) throw new Error(`${type}: ${JSON.stringify(bytes.error)}`);
        const boltType = (bytes.value[0]! << 8) | bytes.value[1]!;
        expect(boltType).toBe(framing === 'spec' ? MSG_TYPES[type] : CLHIVE_BOLT_TYPE);
        const out = decodeHiveMessage(bytes.value);
        if (out.kind !== 'message') throw new Error(`${type}: ${JSON.stringify(out)}`);
        expect(out.message).toMatchObject({ framing, type, type_id: MSG_TYPES[type], version: 1 });
        expect(out.message.raw).toEqual(input as never);
        expect(out.message.payload as unknown).toEqual(viewOf(input));
        const sig = checkSignatures(out.message);
        if (SIGNED.has(type)) expect(sig).toMatchObject({ present: true, valid: true });
        else if (sig.present) expect(sig).toEqual({ present: true, valid: null, signer: null });
      });
    }
  });
}

test('a signature made for one framing does not verify in the other (GOSSIP binds the fleet hash in spec)', () => {
  const specPayload = samplePayload('GOSSIP', 'spec');
  const asClhive = encodeHiveMessage('GOSSIP', specPayload, 'clhive');
  if (!asClhive.ok) throw new Error('encode');
  const out = decodeHiveMessage(asClhive.value);
  if (out.kind !== 'message') throw new Error('decode');
  expect(checkSignatures(out.message).valid).toBe(false);
});

test('tampering with a signed field invalidates the signature', () => {
  const p = { ...samplePayload('BAN_VOTE', 'clhive'), vote: 'reject' };
  const bytes = encodeHiveMessage('BAN_VOTE', p, 'clhive');
  if (!bytes.ok) throw new Error('encode');
  const out = decodeHiveMessage(bytes.value);
  if (out.kind !== 'message') throw new Error('decode');
  expect(checkSignatures(out.message)).toMatchObject({ present: true, valid: false });
});

test('envelope version 2 is accepted, and Hivebox sends version 1', () => {
  const text = `{"type":32779,"version":2,"payload":${JSON.stringify(samplePayload('STATE_HASH', 'clhive'))}}`;
  const out = decodeHiveMessage(new Uint8Array([...new TextEncoder().encode('HIVE'), ...new TextEncoder().encode(text)]));
  expect(out.kind === 'message' && out.message.version).toBe(2);
});
