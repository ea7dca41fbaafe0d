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
import { membersAnnouncement } from '../../runtime/engine/membership-sync.ts';
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
  const stateBefore = to.engine.state.membership;
  const mark = to.events.length;
  await to.engine.onCustomMsg(from, payloadHex);
  await net.idle();
  const events = to.events.slice(mark);
  if (reason === null) expect(events).toEqual([]);
  else expect(events.filter((e) => e.kind === 'dropped' || e.kind === 'rejected').map((e) => ('reason' in e ? e.reason : null))).toEqual([reason]);
  expect(events.some((e) => e.kind === 'sent')).toBe(false);
  expect(to.store.dump()).toEqual(before);
  expect(to.engine.state.membership).toBe(stateBefore);
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
    ['unknown Hive type', () => toHex(joinFrame('spec', 32999, encodeEnvelope(32999, {}))), 'unknown_type'],
    ['BOLT type differs from envelope type', () => toHex(joinFrame('spec', 32771, encodeEnvelope(32769, { pubkey: c.node_id, protocol_version: 1, supported_versions: [1] }))), 'type_mismatch'],
    ['deep nesting', () => rawHex('HELLO', JSON.parse(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`) as RawPayload), 'too_deep'],
  ];
  for (const [name, make, reason] of cases) {
    test(`${name} → dropped as ${reason}`, async () => {
      await expectNoEffect(c.node_id, a, make(), reason);
    });
  }

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

describe('membership announcements (FULL_SYNC) are checked before they change anything', () => {
  const EXT = secretKey(0x44);
  const signed = (payload: PayloadInput, sk: Uint8Array) => ({ ...payload, signature: signMessage(lightningSignedText(fullSyncSigningString(payload as RawPayload)), sk) });
  const announcementFrom = (sender: string, now: number, extra: string) => {
    const p = membersAnnouncement(a.engine.state.membership, sender as never, now) as { members: object[] };
    return { ...p, members: [...p.members, { peer_id: extra, tier: 'member', joined_at: now }] } as PayloadInput;
  };

  test('signed by someone else than sender_id → bad_signature', async () => {
    const p = signed(announcementFrom(a.node_id, net.nowS(), nodeIdOf(EXT)), EXT);
    await expectNoEffect(a.node_id, b, hex('FULL_SYNC', p), 'bad_signature');
  });

  test('sender_id is not the BOLT 8 peer → sender_mismatch', async () => {
    const p = signed(announcementFrom(a.node_id, net.nowS(), nodeIdOf(EXT)), a.sk);
    await expectNoEffect(c.node_id, b, hex('FULL_SYNC', p), 'sender_mismatch');
  });

  test('from a neophyte → not_full_member (only full members admit)', async () => {
    const p = signed(announcementFrom(b.node_id, net.nowS(), nodeIdOf(EXT)), b.sk);
    await expectNoEffect(b.node_id, a, hex('FULL_SYNC', p), 'not_full_member');
  });

  test('from a stranger to a node outside any hive → not_in_hive', async () => {
    const p = signed(announcementFrom(a.node_id, net.nowS(), nodeIdOf(EXT)), a.sk);
    await expectNoEffect(a.node_id, c, hex('FULL_SYNC', p), 'not_in_hive');
  });

  test('older than an hour → stale_timestamp', async () => {
    const p = signed(announcementFrom(a.node_id, net.nowS() - 3_700, nodeIdOf(EXT)), a.sk);
    await expectNoEffect(a.node_id, b, hex('FULL_SYNC', p), 'stale_timestamp');
  });

  test('a valid announcement adds the new member only, never demoting anyone', async () => {
    const p = announcementFrom(a.node_id, net.nowS(), nodeIdOf(EXT)) as { members: { peer_id: string; tier: string }[] };
    const demoting = { ...p, members: p.members.map((m) => (m.peer_id === a.node_id ? { ...m, tier: 'neophyte' } : m)) };
    await b.engine.onCustomMsg(a.node_id, hex('FULL_SYNC', signed(demoting as PayloadInput, a.sk)));
    expect(b.store.member(nodeIdOf(EXT))).toMatchObject({ tier: 'member' });
    expect(b.store.member(a.node_id)).toMatchObject({ tier: 'member' });
  });
});

describe('types no machine handles yet', () => {
  test('a well-formed, correctly signed, fresh GOSSIP is dropped as no_handler', async () => {
    net.now_ms = NOW * 1000;
    await expectNoEffect(c.node_id, a, hex('GOSSIP', samplePayload('GOSSIP', 'spec')), 'no_handler');
  });
});
