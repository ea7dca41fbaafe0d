/**
 * GOSSIP's signing string with its fast data hash (payloads/gossip.ts: a topology of plain strings
 * sorted natively, or kept when it arrives sorted, and written as bytes; issue 19 §3) against the general path written
 * out as cl-hive's `compute_gossip_data_hash` reads: `sha256hex(json.dumps({capacity_sats,
 * available_sats, fee_policy, topology: sorted(topology)}, sort_keys=True, separators=(',',':')))`.
 * Random payloads: node-id topologies (shuffled and sorted), topologies with non-ASCII, escapes, lone surrogates and
 * astral characters, missing fields, Python floats, big integers, nested fee values; both
 * framings; with the portable and with Bun's native SHA-256.
 */
import { afterAll, expect, test } from 'bun:test';
import fc from 'fast-check';
import { canonicalJson, PyFloat, type PyJson, pySorted, writeAscii, writeSortedPlainStrings } from '../../runtime/core/canonical/python-json.ts';
import { portableSha256, useSha256 } from '../../runtime/core/crypto/sha256.ts';
import { toHex } from '../../runtime/core/types.ts';
import type { RawPayload } from '../../runtime/core/wire/envelope.ts';
import { gossipSigningString } from '../../runtime/core/wire/index.ts';
import { bunSha256 } from '../../services/secp256k1/select.ts';

/** The general path, one piece at a time, hashed by @noble/hashes over the joined text. */
function reference(raw: Record<string, PyJson | undefined>, framing: 'spec' | 'clhive'): string {
  const data = canonicalJson({
    capacity_sats: raw.capacity_sats ?? 0,
    available_sats: raw.available_sats ?? 0,
    fee_policy: raw.fee_policy ?? {},
    topology: Array.isArray(raw.topology) ? pySorted(raw.topology as string[]) : [],
  });
  return canonicalJson({
    sender_id: raw.sender_id ?? '',
    timestamp: raw.timestamp ?? 0,
    version: raw.version ?? 0,
    fleet_hash: (framing === 'spec' ? raw.state_hash : raw.fleet_hash) ?? '',
    data_hash: toHex(portableSha256.utf8(data)),
  });
}

const nodeId = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 66, maxLength: 66 });
const odd = fc.string({ unit: fc.constantFrom('a', '"', '\\', '\n', '\u0000', '\u007f', 'é', '\ud800', '\udfff', '\ud83d\ude00', ' '), maxLength: 8 });
const topology = fc.oneof(
  { weight: 4, arbitrary: fc.array(nodeId, { maxLength: 200 }) },
  { weight: 2, arbitrary: fc.array(nodeId, { maxLength: 200 }).map((xs) => xs.sort()) },
  { weight: 2, arbitrary: fc.array(fc.oneof({ weight: 8, arbitrary: nodeId }, { weight: 1, arbitrary: odd }), { maxLength: 60 }) },
  { weight: 1, arbitrary: fc.array(odd, { maxLength: 20 }) },
);
const number: fc.Arbitrary<PyJson> = fc.oneof(
  fc.nat(),
  fc.constantFrom(0, -0, 2 ** 53 - 1, 1e16, 0.5, 2.5e-7),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => new PyFloat(x)),
  fc.bigInt({ min: 0n, max: 2n ** 70n }),
);
const feePolicy = fc.dictionary(fc.oneof(fc.constantFrom('base_fee', 'fee_rate', 'cltv_delta'), odd), fc.oneof(number, fc.constant({ nested: [1, 'é'] } as PyJson)), { maxKeys: 6 });
const raw = fc.record(
  {
    sender_id: nodeId,
    capacity_sats: number,
    available_sats: number,
    fee_policy: feePolicy,
    topology,
    version: fc.nat(),
    timestamp: fc.nat(),
    state_hash: fc.oneof(nodeId, odd),
    fleet_hash: fc.oneof(nodeId, odd),
  },
  { requiredKeys: ['topology'] },
);

afterAll(() => useSha256(portableSha256));

for (const [name, impl] of [['portable', portableSha256], ['bun', bunSha256()]] as const) {
  test(`the GOSSIP signing string equals the general path on random payloads (${name} SHA-256)`, () => {
    useSha256(impl);
    fc.assert(
      fc.property(raw, fc.constantFrom('spec' as const, 'clhive' as const), (r, framing) => {
        expect(gossipSigningString(r as RawPayload, framing)).toBe(reference(r, framing));
      }),
      { numRuns: 1_500, seed: 0x4849 },
    );
  });
}

test('writeSortedPlainStrings writes canonicalJson(pySorted(items)) or declines, never anything else', () => {
  const ascii = new TextEncoder();
  fc.assert(
    fc.property(topology, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 16_000 }), (items, at, room) => {
      const out = new Uint8Array(at + room).fill(0xee);
      const end = writeSortedPlainStrings(items, out, at);
      const want = canonicalJson(pySorted(items));
      const plain = items.every((s) => /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(s));
      if (plain && at + want.length <= out.length) {
        expect(end).toBe(at + want.length);
        expect(out.subarray(at, end)).toEqual(ascii.encode(want));
        expect(out.subarray(0, at).every((b) => b === 0xee)).toBe(true);
      } else {
        expect(end).toBe(-1);
      }
    }),
    { numRuns: 2_000, seed: 7 },
  );
  expect(writeSortedPlainStrings([1, 'a'] as unknown as string[], new Uint8Array(99), 0)).toBe(-1);
  expect(writeAscii('{"a":1}', new Uint8Array(7), 0)).toBe(7);
  expect(writeAscii('é', new Uint8Array(9), 0)).toBe(-1);
  expect(writeAscii('abc', new Uint8Array(2), 0)).toBe(-1);
});

test('a data text longer than the hash buffer (65,535 bytes) takes the general path and still matches', () => {
  const topology = Array.from({ length: 300 }, (_, i) => `${i.toString(16).padStart(4, '0')}${'a'.repeat(252)}`).reverse();
  const raw = { sender_id: '02'.padEnd(66, '1'), capacity_sats: 5, available_sats: 1, fee_policy: { base_fee: 1 }, topology, version: 1, timestamp: 2 };
  expect(gossipSigningString(raw as RawPayload, 'spec')).toBe(reference(raw, 'spec'));
});
