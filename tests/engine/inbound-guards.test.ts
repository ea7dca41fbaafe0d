/**
 * Attacks and junk on the engine's inbound path: every malformed, foreign, stale, forged or
 * unhandled custom message is dropped with a named reason before any machine sees it, the store
 * stays byte-for-byte the same, nothing is sent, and the engine never throws.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { lightningSignedText } from '../../runtime/core/canonical/signed-text.ts';
import { signMessage } from '../../runtime/core/crypto/lnsign.ts';
import { toHex } from '../../runtime/core/types.ts';
import { encodeEnvelope, type RawPayload } from '../../runtime/core/wire/envelope.ts';
import { encodeHiveMessage, fullSyncSigningString, joinFrame, MSG_TYPES, type MsgType, type PayloadInput } from '../../runtime/core/wire/index.ts';
import { NOW, samplePayload } from '../wire/fixtures.ts';
import { secretKey, nodeIdOf } from '../ticket/fixtures.ts';
import { admit, genesis, threeNodes } from './fixtures/fleet.ts';
import type { LoopbackNet, LoopNode } from './fixtures/loopback.ts';

let net: LoopbackNet;
let a: LoopNode;
let b: LoopNode;
let c: LoopNode;

beforeEach(async () => {
  ({ net, a, b, c } = threeNodes('connected'));
  await genesis(a);
  await admit(net, a, b);
});

afterEach(async () => {
  await net.close();
});

const hex = (type: MsgType, payload: PayloadInput, framing: 'spec' | 'clhive' = 'spec') => {
  const e = encodeHiveMessage(type, payload, framing);
  if (!e.ok) throw new Error(JSON.stringify(e.error));
  return toHex(e.value);
};

/** A message whose payload skips the encoder's schema check (what an attacker can send). */
const rawHex = (type: MsgType, payload: RawPayload) => toHex(joinFrame('spec', MSG_TYPES[type], encodeEnvelope(MSG_TYPES[type], payload)));

/** Deliver `payloadHex` from `from` to `to` and assert: dropped/refused as `reason`, store unchanged, nothing sent. */
async function expectNoEffect(from: string, to: LoopNode, payloadHex: string, reason: string | null): Promise<void> {
  const before = to.store.dump();
  const stateBefore = to.engine.state.fleet.membership;
  const mark = to.events.length;
  await to.engine.onCustomMsg(from, payloadHex);
  await net.idle();
  const events = to.events.slice(mark);
  if (reason === null) expect(events).toEqual([]);
  else expect(events.filter((e) => e.kind === 'dropped' || e.kind === 'rejected').map((e) => ('reason' in e ? e.reason : null))).toEqual([reason]);
  expect(events.some((e) => e.kind === 'sent')).toBe(false);
  expect(to.store.dump()).toEqual(before);
  expect(to.engine.state.fleet.membership).toBe(stateBefore);
}

describe('malformed input changes nothing', () => {
  const valid = () => hex('HELLO', { pubkey: c.node_id, protocol_version: 1, supported_versions: [1, 2], ticket: 'x' });
  const cases: [string, () => string, string][] = [
    ['not hex', () => 'zz', 'bad_hex'],
    ['odd-length hex', () => `${valid()}0`, 'bad_hex'],
    ['envelope cut short', () => valid().slice(0, 30), 'short_read'],
    ['oversize (70 KB)', () => `8001${'48495645'}${'7b'.repeat(70_000)}`, 'oversize'],
    ['bad UTF-8', () => toHex(joinFrame('spec', 32769, Uint8Array.from([...new TextEncoder().encode('{"type":32769,"version":1,"payload":{"p":"'), 0xff, ...new TextEncoder().encode('"}}')]))), 'bad_utf8'],
    ['pubkey of the wrong type', () => rawHex('HELLO', { pubkey: 7, protocol_version: 1, supported_versions: [1] }), 'invalid_field'],
    ['BOLT type differs from envelope type', () => toHex(joinFrame('spec', 32771, encodeEnvelope(32769, { pubkey: c.node_id, protocol_version: 1, supported_versions: [1] }))), 'type_mismatch'],
    ['deep nesting', () => rawHex('HELLO', JSON.parse(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`) as RawPayload), 'too_deep'],
  ];
  for (const [name, make, reason] of cases) {
    test(`${name} → dropped as ${reason}`, async () => {
      await expectNoEffect(c.node_id, a, make(), reason);
    });
  }

  test('an unknown Hive type is counted in hive-status, not dropped with a warning', async () => {
    await expectNoEffect(c.node_id, a, toHex(joinFrame('spec', 32999, encodeEnvelope(32999, {}))), null);
    expect((await a.engine.rpc('hive-status', {})) as { unhandled_types: unknown }).toMatchObject({ unhandled_types: { unknown_type: 1 } });
  });

  test('a peer id that is not a node id is ignored', async () => {
    await expectNoEffect('not-a-node', a, valid(), null);
  });
});

describe('not Hive traffic passes through', () => {
  test('a foreign odd custom message produces no event, no write, no send', async () => {
    await expectNoEffect(c.node_id, a, `1337${'aa'.repeat(16)}`, null);
  });

  test('cl-hive-framed bytes without the HIVE magic are foreign too', async () => {
    await expectNoEffect(c.node_id, a, `4849${'00'.repeat(8)}`, null);
  });
});

describe('fleet messages pass the admission gate before they change anything', () => {
  const EXT = secretKey(0x44);
  const fullSync = (sender: string, now: number, sk: Uint8Array): PayloadInput => {
    const members = [a, b].map((n) => ({ peer_id: n.node_id, tier: 'member', joined_at: now })).concat([{ peer_id: nodeIdOf(EXT), tier: 'member', joined_at: now }]);
    const unsigned = { states: [], fleet_hash: '', timestamp: now, members, sender_id: sender };
    return { ...unsigned, signature: signMessage(lightningSignedText(fullSyncSigningString(unsigned as RawPayload)), sk) };
  };

  test('FULL_SYNC signed by someone else than sender_id → bad_signature', async () => {
    await expectNoEffect(a.node_id, b, hex('FULL_SYNC', fullSync(a.node_id, net.nowS(), EXT)), 'bad_signature');
  });

  test('FULL_SYNC from a node outside the hive → not_member', async () => {
    await expectNoEffect(c.node_id, a, hex('FULL_SYNC', fullSync(c.node_id, net.nowS(), c.sk)), 'not_member');
  });

  test('FULL_SYNC older than an hour → stale_timestamp', async () => {
    await expectNoEffect(a.node_id, b, hex('FULL_SYNC', fullSync(a.node_id, net.nowS() - 3_700, a.sk)), 'stale_timestamp');
  });

  test('a well-formed, correctly signed GOSSIP relayed by a non-member → relay_not_allowed', async () => {
    net.now_ms = NOW * 1000;
    await expectNoEffect(c.node_id, a, hex('GOSSIP', samplePayload('GOSSIP', 'spec')), 'relay_not_allowed');
  });
});
