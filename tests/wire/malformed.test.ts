/**
 * Pass-through and malformed input (issue 2 §2, §8): foreign custom messages are `not_hive`;
 * every broken rule yields its named typed error; nothing throws.
 */
import { describe, expect, test } from 'bun:test';
import { toHex } from '../../runtime/core/types.ts';
import { decodeHiveHex, decodeHiveMessage, encodeHiveMessage, type DecodeOutcome, type Framing, type WireErrorKind } from '../../runtime/core/wire/index.ts';
import { KEY_A, samplePayload } from './fixtures.ts';

const enc = new TextEncoder();

/** A spec-framed message with arbitrary envelope bytes. */
function spec(typeId: number, body: Uint8Array | string): Uint8Array {
  const b = typeof body === 'string' ? enc.encode(body) : body;
  return new Uint8Array([typeId >> 8, typeId & 0xff, 0x48, 0x49, 0x56, 0x45, ...b]);
}

/** A cl-hive-framed message with arbitrary envelope bytes. */
function clhive(body: Uint8Array | string): Uint8Array {
  const b = typeof body === 'string' ? enc.encode(body) : body;
  return new Uint8Array([0x48, 0x49, 0x56, 0x45, ...b]);
}

function errorOf(out: DecodeOutcome): { kind: WireErrorKind; field?: string } | string {
  if (out.kind !== 'malformed') return out.kind;
  return out.error.field === undefined ? { kind: out.error.kind } : { kind: out.error.kind, field: out.error.field };
}

function gossipEnvelope(payload: Record<string, unknown>, extra = ''): string {
  return `{"type":32777,"version":1${extra},"payload":${JSON.stringify(payload)}}`;
}

describe('not Hive traffic passes through', () => {
  const cases: [string, Uint8Array][] = [
    ['type 7 peer_storage', new Uint8Array([0x00, 0x07, 0x00, 0x04, 1, 2, 3, 4])],
    ['odd experimental type without magic', new Uint8Array([0x80, 0x01, 0x7b, 0x7d, 0x00, 0x00])],
    ['odd type 32771 whose body is not the magic', new Uint8Array([0x80, 0x03, 0x48, 0x49, 0x56, 0x46, 0x7b, 0x7d])],
    ['spec magic under an even type', spec(32770, '{}')],
    ['spec magic under a type outside 32769..33000', spec(33003, '{}')],
    ['shorter than 4 bytes', new Uint8Array([0x48, 0x49, 0x56])],
    ['empty', new Uint8Array(0)],
    ['only a type', new Uint8Array([0x00, 0x07])],
  ];
  for (const [name, bytes] of cases) test(name, () => expect(decodeHiveMessage(bytes).kind).toBe('not_hive'));
});

describe('malformed Hive traffic gives the named error', () => {
  const good = samplePayload('GOSSIP', 'clhive') as Record<string, unknown>;
  const cases: [string, Uint8Array, { kind: WireErrorKind; field?: string }][] = [
    ['magic with no envelope', clhive(''), { kind: 'short_read' }],
    ['truncated envelope', clhive(gossipEnvelope(good).slice(0, 80)), { kind: 'short_read' }],
    ['truncated inside a string', clhive('{"type":32777,"version":1,"payload":{"sender_id":"02ab'), { kind: 'short_read' }],
    ['bad UTF-8', clhive(new Uint8Array([0x7b, 0xc3, 0x28, 0x7d])), { kind: 'bad_utf8' }],
    ['overlong UTF-8 encoding', clhive(new Uint8Array([0x22, 0xc0, 0xaf, 0x22])), { kind: 'bad_utf8' }],
    ['not JSON', clhive('{type:32777}'), { kind: 'bad_json' }],
    ['trailing garbage', clhive('{"type":32777,"version":1,"payload":{}} x'), { kind: 'bad_json' }],
    ['deep nesting', clhive(`${'['.repeat(5000)}${']'.repeat(5000)}`), { kind: 'too_deep' }],
    ['huge array', clhive(`{"type":32777,"version":1,"payload":{"topology":[${Array(3000).fill('0').join(',')}]}}`), { kind: 'too_many_items', field: 'payload.topology' }],
    ['topology over the 200 cap', clhive(gossipEnvelope({ ...good, topology: Array(201).fill(KEY_A.node_id) })), { kind: 'invalid_field', field: 'topology' }],
    ['unsafe integer', clhive(gossipEnvelope(good).replace('"capacity_sats":5000000', '"capacity_sats":90071992547409930')), { kind: 'unsafe_integer', field: 'payload.capacity_sats' }],
    ['number overflowing a double', clhive('{"type":32777,"version":1,"payload":{"x":1e400}}'), { kind: 'bad_json', field: 'payload.x' }],
    ['__proto__ key', clhive('{"type":32805,"version":1,"payload":{"__proto__":{"polluted":1}}}'), { kind: 'invalid_field', field: 'payload.__proto__' }],
    ['envelope is an array', clhive('[32777,1,{}]'), { kind: 'invalid_field', field: 'envelope' }],
    ['type is a string', clhive('{"type":"32777","version":1,"payload":{}}'), { kind: 'invalid_field', field: 'type' }],
    ['type is a float', clhive('{"type":32777.0,"version":1,"payload":{}}'), { kind: 'invalid_field', field: 'type' }],
    ['unknown type', clhive('{"type":32809,"version":1,"payload":{}}'), { kind: 'unknown_type', field: 'type' }],
    ['version 0', clhive(gossipEnvelope(good).replace('"version":1', '"version":0')), { kind: 'unsupported_version', field: 'version' }],
    ['version 3', clhive(gossipEnvelope(good).replace('"version":1', '"version":3')), { kind: 'unsupported_version', field: 'version' }],
    ['version missing', clhive(`{"type":32777,"payload":${JSON.stringify(good)}}`), { kind: 'unsupported_version', field: 'version' }],
    ['payload is null', clhive('{"type":32777,"version":1,"payload":null}'), { kind: 'invalid_field', field: 'payload' }],
    ['payload is a list', clhive('{"type":32777,"version":1,"payload":[]}'), { kind: 'invalid_field', field: 'payload' }],
    ['spec type mismatch', spec(32779, gossipEnvelope(good)), { kind: 'type_mismatch', field: 'type' }],
    ['uppercase hex pubkey', clhive(gossipEnvelope({ ...good, sender_id: String(good.sender_id).toUpperCase().replace(/^0/, '0') })), { kind: 'invalid_field', field: 'sender_id' }],
    ['capacity as a string', clhive(gossipEnvelope({ ...good, capacity_sats: '5000000' })), { kind: 'invalid_field', field: 'capacity_sats' }],
    ['capacity as a Python float', clhive(gossipEnvelope(good).replace('"capacity_sats":5000000', '"capacity_sats":5000000.0')), { kind: 'invalid_field', field: 'capacity_sats' }],
    ['negative version', clhive(gossipEnvelope({ ...good, version: -1 })), { kind: 'invalid_field', field: 'version' }],
    ['available above capacity', clhive(gossipEnvelope({ ...good, available_sats: 6_000_000 })), { kind: 'invalid_field', field: 'available_sats' }],
    ['fee_policy value out of range', clhive(gossipEnvelope({ ...good, fee_policy: { fee_rate: 10_000_001 } })), { kind: 'invalid_field', field: 'fee_policy.fee_rate' }],
    ['fee_policy with 21 keys', clhive(gossipEnvelope({ ...good, fee_policy: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 1])) })), { kind: 'invalid_field', field: 'fee_policy' }],
    ['signature missing', clhive(gossipEnvelope({ ...good, signature: undefined })), { kind: 'invalid_field', field: 'signature' }],
    ['nonce in uppercase', clhive(`{"type":32771,"version":1,"payload":{"nonce":"${'AB'.repeat(32)}","hive_id":"hive"}}`), { kind: 'invalid_field', field: 'nonce' }],
    ['nonce of 63 chars', clhive(`{"type":32771,"version":1,"payload":{"nonce":"${'a'.repeat(63)}","hive_id":"hive"}}`), { kind: 'invalid_field', field: 'nonce' }],
    ['reason over 512 chars', clhive(`{"type":32797,"version":1,"payload":{"peer_id":"${KEY_A.node_id}","timestamp":1,"reason":"${'x'.repeat(513)}","signature":"${'y'.repeat(104)}"}}`), { kind: 'invalid_field', field: 'reason' }],
    ['request_id not hex', clhive(`{"type":32795,"version":1,"payload":{"target_pubkey":"${KEY_A.node_id}","request_id":"member_initiated_1","timestamp":1}}`), { kind: 'invalid_field', field: 'request_id' }],
  ];
  for (const [name, bytes, expected] of cases) test(name, () => expect(errorOf(decodeHiveMessage(bytes))).toEqual(expected));

  test('oversize (over 65,535 bytes) is refused before parsing', () => {
    const big = clhive(new Uint8Array(70_000).fill(0x20));
    expect(errorOf(decodeHiveMessage(big))).toEqual({ kind: 'oversize' });
    expect(errorOf(decodeHiveHex(toHex(big)))).toEqual({ kind: 'oversize' });
  });
  test('oversize foreign traffic still passes through', () => {
    expect(decodeHiveHex('0007'.padEnd(2 * 70_000, '0')).kind).toBe('not_hive');
  });
  test('bad hex', () => {
    expect(errorOf(decodeHiveHex('4849564'))).toEqual({ kind: 'bad_hex' });
    expect(errorOf(decodeHiveHex('48zz'))).toEqual({ kind: 'bad_hex' });
  });
  test('encoder refuses what a receiver would refuse, and oversize payloads', () => {
    const r = encodeHiveMessage('GOSSIP', { ...samplePayload('GOSSIP', 'spec'), capacity_sats: -1 }, 'spec');
    expect(r.ok ? null : r.error.kind).toBe('invalid_field');
    const big = encodeHiveMessage('PEER_AVAILABLE', { blob: 'x'.repeat(70_000) }, 'clhive' as Framing);
    expect(big.ok ? null : big.error.kind).toBe('oversize');
  });
});

describe('unknown and _-prefixed keys', () => {
  test('are ignored on decode and absent from the validated view', () => {
    const p = { ...(samplePayload('BAN_VOTE', 'clhive') as Record<string, unknown>), _event_id: 'f'.repeat(32), _relay: { ttl: 2 }, future_field: 1 };
    const out = decodeHiveMessage(clhive(`{"type":32801,"version":1,"extra":true,"payload":${JSON.stringify(p)}}`));
    if (out.kind !== 'message') throw new Error(JSON.stringify(out));
    expect(Object.keys(out.message.payload).sort()).toEqual(['proposal_id', 'signature', 'timestamp', 'vote', 'voter_peer_id']);
    expect(out.message.raw._event_id).toBe('f'.repeat(32));
  });
});
