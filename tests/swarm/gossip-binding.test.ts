/**
 * `hivebox_swarm_binding` in GOSSIP (issue 10 §2): the payload schema accepts exactly the binding
 * shape and refuses anything else (the whole GOSSIP is dropped, nothing changes); the cl-hive
 * signing string stays byte-identical with the field present; the engine puts our current
 * statement into the GOSSIP it sends and reports the one in an admitted GOSSIP as `swarm_binding`.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { lightningSignedText } from '../../runtime/core/canonical/signed-text.ts';
import { pyLoads } from '../../runtime/core/canonical/python-json.ts';
import { signMessage } from '../../runtime/core/crypto/lnsign.ts';
import { bindingSignedText, type BindingStatement, type SwarmKey } from '../../runtime/core/swarm/binding.ts';
import { toHex } from '../../runtime/core/types.ts';
import { encodeEnvelope, type RawPayload } from '../../runtime/core/wire/envelope.ts';
import { decodeHiveMessage, encodeHiveMessage, gossipSigningString, joinFrame, MSG_TYPES, type PayloadInput } from '../../runtime/core/wire/index.ts';
import { admit, genesis, threeNodes } from '../engine/fixtures/fleet.ts';
import type { LoopbackNet, LoopNode } from '../engine/fixtures/loopback.ts';
import { samplePayload } from '../wire/fixtures.ts';

const V = pyLoads(await Bun.file(`${import.meta.dir}/../vectors/clhive-signing-strings.json`).text()) as { cases: { type: string; payload: RawPayload; canonical: string }[] };

/** A binding by `sk`'s node for `swarm_key`, valid one day from `issued_at`. */
function binding(node_id: string, sk: Uint8Array, hive_id = 'hive_0123456789abcdef', swarm_key = 'ab'.repeat(32), issued_at = 1_760_000_000): BindingStatement {
  const fields = { hive_id, node_id: node_id as BindingStatement['node_id'], swarm_key: swarm_key as SwarmKey, issued_at, expires_at: issued_at + 86_400 };
  return { ...fields, signature: signMessage(bindingSignedText(fields), sk) };
}

const SAMPLE_SK = new Uint8Array(32).fill(7);

describe('GOSSIP payload schema', () => {
  const gossip = samplePayload('GOSSIP', 'spec');
  const valid = binding(String(gossip.sender_id), SAMPLE_SK);

  test('a valid binding is accepted and decoded unchanged, in both framings', () => {
    for (const framing of ['spec', 'clhive'] as const) {
      const bytes = encodeHiveMessage('GOSSIP', { ...samplePayload('GOSSIP', framing), hivebox_swarm_binding: { ...valid } }, framing);
      expect(bytes.ok).toBe(true);
      const decoded = decodeHiveMessage(bytes.ok ? bytes.value : new Uint8Array());
      expect(decoded.kind).toBe('message');
      if (decoded.kind !== 'message' || decoded.message.type !== 'GOSSIP') continue;
      expect(decoded.message.payload.hivebox_swarm_binding).toEqual(valid);
    }
  });

  const malformed: [string, unknown][] = [
    ['a string', 'binding'],
    ['an extra key', { ...valid, host: '203.0.113.5' }],
    ['no signature', { ...valid, signature: undefined }],
    ['a short swarm key', { ...valid, swarm_key: 'ab'.repeat(31) }],
    ['an uppercase swarm key', { ...valid, swarm_key: 'AB'.repeat(32) }],
    ['a fractional expiry', { ...valid, expires_at: 1.5 }],
    ['a bad node id', { ...valid, node_id: '04'.repeat(33) }],
    ['a non-zbase signature', { ...valid, signature: '0'.repeat(104) }],
  ];
  for (const [name, value] of malformed) {
    test(`${name} → the GOSSIP is invalid_field`, () => {
      const raw = { ...gossip, hivebox_swarm_binding: value } as RawPayload;
      const decoded = decodeHiveMessage(joinFrame('spec', MSG_TYPES.GOSSIP, encodeEnvelope(MSG_TYPES.GOSSIP, raw)));
      expect(decoded).toMatchObject({ kind: 'malformed', error: { kind: 'invalid_field' } });
    });
  }
});

describe('GOSSIP signing strings do not cover the binding', () => {
  const c = V.cases.find((x) => x.type === 'GOSSIP')!;
  test('cl-hive framing: byte-identical to the CPython vector with the field present', () => {
    const withBinding = { ...c.payload, hivebox_swarm_binding: { ...binding(String(c.payload.sender_id), SAMPLE_SK) } } as RawPayload;
    expect(gossipSigningString(withBinding, 'clhive')).toBe(c.canonical);
  });
  test('spec framing: unchanged by the field', () => {
    const withBinding = { ...c.payload, hivebox_swarm_binding: { ...binding(String(c.payload.sender_id), SAMPLE_SK) } } as RawPayload;
    expect(gossipSigningString(withBinding, 'spec')).toBe(gossipSigningString(c.payload, 'spec'));
  });
});

describe('the engine', () => {
  let net: LoopbackNet;
  let a: LoopNode;
  let b: LoopNode;
  let c: LoopNode;
  let hiveId: string;

  beforeEach(async () => {
    ({ net, a, b, c } = threeNodes());
    a.swarmBinding = () => binding(a.node_id, a.sk, hiveId, 'a1'.repeat(32));
    b.swarmBinding = () => binding(b.node_id, b.sk, hiveId, 'b1'.repeat(32));
    await net.restart(a);
    await net.restart(b);
    hiveId = await genesis(a);
    await admit(net, a, b);
  });

  afterEach(async () => {
    await net.close();
  });

  test('our GOSSIP carries our binding; an admitted GOSSIP reports the sender\'s as swarm_binding', async () => {
    const fromB = a.eventsOf('swarm_binding');
    expect(fromB.length).toBeGreaterThan(0);
    expect(fromB.at(-1)).toEqual({ kind: 'swarm_binding', sender_id: b.node_id, statement: binding(b.node_id, b.sk, hiveId, 'b1'.repeat(32)) });
    expect(a.engine.state.fleet.tables.states.get(b.node_id)).toBeDefined();
  });

  test('a GOSSIP with a malformed binding is dropped as invalid_field: no state, no store write, no swarm_binding', async () => {
    const own = a.engine.state.fleet.tables.states.get(b.node_id)!;
    const payload: PayloadInput = {
      sender_id: b.node_id,
      capacity_sats: 0,
      available_sats: 0,
      fee_policy: {},
      topology: [],
      version: own.version + 1,
      timestamp: Math.floor(net.now_ms / 1000),
      state_hash: '',
      hivebox_swarm_binding: { ...binding(b.node_id, b.sk, hiveId), swarm_key: 'not-a-key' },
    };
    const signed = { ...payload, signature: signMessage(lightningSignedText(gossipSigningString(payload as RawPayload, 'spec')), b.sk) } as RawPayload;
    const before = a.store.dump();
    const state = a.engine.state;
    const mark = a.events.length;
    await a.engine.onCustomMsg(b.node_id, toHex(joinFrame('spec', MSG_TYPES.GOSSIP, encodeEnvelope(MSG_TYPES.GOSSIP, signed))));
    await net.idle();
    expect(a.events.slice(mark)).toEqual([{ kind: 'dropped', peer_id: b.node_id, reason: 'invalid_field', type: 'GOSSIP', detail: expect.any(String) }]);
    expect(a.store.dump()).toEqual(before);
    expect(a.engine.state).toBe(state);
  });
  test('a GOSSIP kept until its sender is admitted reports its binding once it is taken', async () => {
    const statement = binding(c.node_id, c.sk, hiveId, 'c1'.repeat(32));
    const payload: PayloadInput = {
      sender_id: c.node_id,
      capacity_sats: 0,
      available_sats: 0,
      fee_policy: {},
      topology: [],
      version: 1,
      timestamp: Math.floor(net.now_ms / 1000),
      state_hash: '',
      hivebox_swarm_binding: { ...statement },
    };
    const signed = { ...payload, signature: signMessage(lightningSignedText(gossipSigningString(payload as RawPayload, 'spec')), c.sk) } as RawPayload;
    await a.engine.onCustomMsg(c.node_id, toHex(joinFrame('spec', MSG_TYPES.GOSSIP, encodeEnvelope(MSG_TYPES.GOSSIP, signed))));
    expect(a.engine.state.fleet.pending_gossip.has(c.node_id)).toBe(true);
    expect(a.eventsOf('swarm_binding').filter((e) => e.sender_id === c.node_id)).toEqual([]);
    await admit(net, a, c);
    expect(a.eventsOf('swarm_binding').filter((e) => e.sender_id === c.node_id)[0]).toEqual({ kind: 'swarm_binding', sender_id: c.node_id, statement });
  });
});
