/**
 * MGMT_CREDENTIAL_REVOKE codec (runtime/core/mgmt/revocation-gossip.ts): a signed revocation
 * round-trips in spec framing; other traffic is `not_revocation`; oversize, broken JSON, missing or
 * mistyped fields and a document that names another credential or issuer are `malformed`.
 */
import { describe, expect, test } from 'bun:test';
import { decodeRevocationGossip, encodeRevocationGossip, REVOCATION_GOSSIP_TYPE } from '../../runtime/core/mgmt/revocation-gossip.ts';
import { encodeHiveMessage } from '../../runtime/core/wire/encode.ts';
import { utf8 } from '../../runtime/core/types.ts';

const SENDER = `02${'aa'.repeat(32)}`;
const EVENT = 'ab'.repeat(16);
const doc = { type: ['HiveCredentialRevocation'], issuer: 'did:key:zQ3shExample', credential_id: 'urn:uuid:1', reason: 'lost', revoked_at: '2026-11-21T00:00:00Z', proof: { proofValue: 'x' } };

function frame(payload: Record<string, unknown>): Uint8Array {
  const body = utf8(JSON.stringify({ type: REVOCATION_GOSSIP_TYPE, version: 1, payload }));
  return new Uint8Array([REVOCATION_GOSSIP_TYPE >> 8, REVOCATION_GOSSIP_TYPE & 0xff, 0x48, 0x49, 0x56, 0x45, ...body]);
}

const good = { sender_id: SENDER, event_id: EVENT, timestamp: 1_790_000_000, credential_id: doc.credential_id, issuer_id: doc.issuer, reason: doc.reason, revocation: doc };

test('round trip in spec framing (BOLT type 32889, odd)', () => {
  const m = encodeRevocationGossip(doc, SENDER, EVENT, 1_790_000_000);
  if (!m.ok) throw new Error(m.error.detail);
  expect((m.value[0]! << 8) | m.value[1]!).toBe(32889);
  expect(decodeRevocationGossip(m.value)).toEqual({ kind: 'revocation', gossip: good });
});

describe('refused before anything is verified or stored', () => {
  test('other traffic passes by', () => {
    expect(decodeRevocationGossip(Uint8Array.of(0xc0, 0x00, 1, 2))).toEqual({ kind: 'not_revocation' });
    const hello = encodeHiveMessage('MSG_ACK', { ack_msg_id: 'a'.repeat(32), status: 'ok', sender_id: SENDER }, 'spec');
    if (hello.ok) expect(decodeRevocationGossip(hello.value)).toEqual({ kind: 'not_revocation' });
  });

  test('oversize and broken envelopes', () => {
    const big = frame({ ...good, reason: 'x'.repeat(70_000) });
    expect(decodeRevocationGossip(big)).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/^oversize/) });
    expect(decodeRevocationGossip(frame(good).slice(0, 20))).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/^short_read/) });
  });

  test.each([
    ['sender_id', { sender_id: 'nobody' }, 'sender_id is not a node id'],
    ['event_id', { event_id: 'xyz' }, 'event_id is not 16..128 hex'],
    ['timestamp', { timestamp: -1 }, 'timestamp is not unix seconds'],
    ['credential_id', { credential_id: '' }, 'credential_id is not 1..128 characters'],
    ['reason', { reason: 'r'.repeat(501) }, 'reason is over 500 characters'],
    ['revocation', { revocation: 'text' }, 'revocation is not an object'],
    ['another credential', { credential_id: 'urn:uuid:2' }, 'revocation document names another credential or issuer'],
    ['another issuer', { issuer_id: 'did:key:zQ3shOther' }, 'revocation document names another credential or issuer'],
  ])('%s', (_name, patch, reason) => {
    expect(decodeRevocationGossip(frame({ ...good, ...patch }))).toEqual({ kind: 'malformed', reason });
  });
});
