/**
 * GOSSIP's hand-written success path (payloads/gossip-accept.ts, the spec's `accept`; issue 19
 * §3) against its zod schema. On every fuzzed payload (the common shape with one to four fields
 * replaced by adversarial values: nulls, -0, floats, PyFloat, unsafe and negative integers,
 * over-long strings, wrong pubkeys and zbase32, oversized arrays and fee maps, non-ASCII, unknown
 * and `_` keys, valid and broken binding and member rows) `accept` declines (null: zod decides
 * and names the offence) exactly what zod refuses, and otherwise returns exactly what zod returns,
 * fields in the same order.
 */
import { expect, test } from 'bun:test';
import fc from 'fast-check';
import { PyFloat } from '../../runtime/core/canonical/python-json.ts';
import { type RawPayload } from '../../runtime/core/wire/envelope.ts';
import { specOf } from '../../runtime/core/wire/message-types.ts';
import { validatePayload } from '../../runtime/core/wire/schemas.ts';
import { KEY_A, KEY_B, KEY_EXT, samplePayload } from './fixtures.ts';

const GOSSIP = specOf('GOSSIP');
const accept = GOSSIP.accept!;

const ZSIG = 'y'.repeat(104);
const BINDING = { hive_id: 'hive_0123456789abcdef', node_id: KEY_A.node_id, swarm_key: 'ab'.repeat(32), issued_at: 1_760_000_000, expires_at: 1_760_086_400, signature: ZSIG };
const MEMBER = { joined_at: 1_760_000_000, admission: { by: KEY_B.node_id, via: 'channel', sig: ZSIG } };

/** Values every field is tried with. */
const ADVERSARIAL: unknown[] = [
  undefined, null, true, 0, -0, 1, -1, 1.5, 2 ** 53, 2 ** 53 - 1, 10_000_000, 10_000_001, new PyFloat(3), new PyFloat(2.5),
  '', 'x', 'é', '\ud800', 'x'.repeat(66), 'x'.repeat(129), 'x'.repeat(257), KEY_A.node_id, KEY_B.node_id, KEY_A.node_id.toUpperCase(),
  `04${KEY_A.node_id.slice(2)}`, KEY_A.node_id.slice(0, 65), ZSIG, 'y'.repeat(9), 'y'.repeat(257), `${ZSIG.slice(0, 103)}0`,
  [], ['mcf'], [1], [''], ['x'.repeat(33)], ['x'.repeat(257)], Array(21).fill('a'), Array(201).fill('a'), [KEY_EXT.node_id, 'é', '\ud83d\ude00'],
  {}, { a: 1 }, { a: -1 }, { a: new PyFloat(5) }, { a: new PyFloat(-1) }, { a: 10_000_001 }, { a: 'x' }, { ['k'.repeat(257)]: 1 },
  Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i])), { 1: 2, b: 3, a: 4 }, { a: { b: 1 } },
  BINDING, { ...BINDING, swarm_key: 'no' }, { ...BINDING, extra: 1 }, MEMBER, { ...MEMBER, extra: 1 }, { joined_at: -1, admission: MEMBER.admission },
];

const FIELDS = [
  'peer_id', 'sender_id', 'capacity_sats', 'available_sats', 'fee_policy', 'topology', 'version', 'timestamp', 'state_hash', 'fleet_hash',
  'budget_available_sats', 'budget_reserved_until', 'budget_last_update', 'addresses', 'capabilities', 'hivebox_swarm_binding',
  'hivebox_member', 'signature', '_private', 'unknown_key',
];

/** The common shape: a corpus-like GOSSIP, optionally with the Hivebox-only rows. */
const base = fc.record({
  withBinding: fc.boolean(),
  withMember: fc.boolean(),
  withoutPeer: fc.boolean(),
  topologySize: fc.integer({ min: 0, max: 200 }),
  fee: fc.oneof(fc.integer({ min: 0, max: 10_000_000 }), fc.double({ min: 0, max: 10_000_000, noNaN: true }).map((x) => new PyFloat(x))),
});

type Base = { withBinding: boolean; withMember: boolean; withoutPeer: boolean; topologySize: number; fee: number | PyFloat };

function common(b: Base): Record<string, unknown> {
  const p: Record<string, unknown> = {
    ...samplePayload('GOSSIP', 'spec'),
    topology: Array.from({ length: b.topologySize }, (_, i) => `03${i.toString(16).padStart(64, '0')}`),
    fee_policy: { base_fee: 1000, fee_rate: b.fee, cltv_delta: 40 },
  };
  if (b.withBinding) p.hivebox_swarm_binding = { ...BINDING };
  if (b.withMember) p.hivebox_member = structuredClone(MEMBER);
  if (b.withoutPeer) delete p.peer_id;
  return p;
}

const mutation = fc.tuple(fc.constantFrom(...FIELDS), fc.integer({ min: 0, max: ADVERSARIAL.length - 1 }));

/** Every object's key order, recursively (zod's output order is part of "exactly what zod returns"). */
function keyOrder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(keyOrder);
  if (typeof v !== 'object' || v === null || v instanceof PyFloat) return null;
  return Object.entries(v).map(([k, x]) => [k, keyOrder(x)]);
}

test('accept takes every common GOSSIP, and returns exactly what zod returns', () => {
  fc.assert(
    fc.property(base, (b) => {
      const raw = common(b) as RawPayload;
      const fast = accept(raw);
      const zod = GOSSIP.schema.safeParse(raw);
      expect(zod.success).toBe(true);
      expect(fast).toStrictEqual(zod.data!);
      expect(keyOrder(fast)).toEqual(keyOrder(zod.data));
    }),
    { numRuns: 500, seed: 19 },
  );
});

test('on fuzzed payloads accept declines exactly what zod refuses and agrees on the rest; validatePayload answers as zod alone', () => {
  let agreed = 0;
  let declined = 0;
  fc.assert(
    fc.property(base, fc.array(mutation, { minLength: 1, maxLength: 4 }), (b, edits) => {
      const raw = common(b);
      for (const [field, at] of edits) {
        const value = ADVERSARIAL[at];
        if (value === undefined) delete raw[field];
        else raw[field] = structuredClone(value);
      }
      const fast = accept(raw as RawPayload);
      const zod = GOSSIP.schema.safeParse(raw);
      if (fast === null) {
        declined++;
        expect(zod.success).toBe(false);
      } else {
        agreed++;
        expect(zod.success).toBe(true);
        expect(fast).toStrictEqual(zod.data!);
        expect(keyOrder(fast)).toEqual(keyOrder(zod.data));
      }
      const viaSpec = validatePayload('GOSSIP', 'spec', raw);
      expect(viaSpec.ok).toBe(zod.success);
      if (viaSpec.ok) expect(viaSpec.value as unknown).toStrictEqual(zod.data);
      else expect(viaSpec.error.kind).toBe('invalid_field');
    }),
    { numRuns: 5_000, seed: 0x4849 },
  );
  expect(agreed).toBeGreaterThan(200);
  expect(declined).toBeGreaterThan(2_000);
});

test('anything that is not a payload object is declined, not thrown on', () => {
  for (const v of [null, undefined, 1, 'x', [], new PyFloat(1), Object.create(null)]) expect(accept(v as RawPayload)).toBeNull();
});
