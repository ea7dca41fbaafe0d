/**
 * The CHALLENGE signing oracle (clhive-protocol.md §15 item 2): cl-hive signs whatever `nonce`
 * any peer sends and returns the signature. A Hivebox candidate produces no `sign` effect unless
 * the CHALLENGE comes from a member it sent HELLO to, in a framing it used, once, with a nonce of
 * exactly 64 lowercase hex — and it checks its node's signature before using it.
 */
import { expect, test } from 'bun:test';
import { signMessage } from '../../runtime/core/crypto/lnsign.ts';
import type { HiveMessage } from '../../runtime/core/wire/decode.ts';
import { decodeHiveMessage } from '../../runtime/core/wire/decode.ts';
import { encodeEnvelope } from '../../runtime/core/wire/envelope.ts';
import { joinFrame } from '../../runtime/core/wire/framing.ts';
import { HIVE_ID, issueTicket } from '../ticket/fixtures.ts';
import { Fleet, type SimNode } from '../handshake/pair.ts';
import { expectRefusedUnchanged } from './handshake-fixtures.ts';

function signs(node: SimNode) {
  return node.effects.filter((e) => e.kind === 'sign');
}

function challengeMessage(nonce: string, framing: 'spec' | 'clhive' = 'clhive'): HiveMessage {
  return { framing, type: 'CHALLENGE', type_id: 32771, version: 1, payload: { nonce, hive_id: HIVE_ID }, raw: { nonce, hive_id: HIVE_ID } };
}

test('a valid-looking CHALLENGE from a peer we never sent HELLO to → unsolicited_challenge, nothing signed', () => {
  const fleet = new Fleet();
  const victim = fleet.add(0x70);
  const attacker = fleet.add(0x71);
  expectRefusedUnchanged(victim, 'unsolicited_challenge', () =>
    fleet.deliverBytes(attacker, victim, Fleet.encode('CHALLENGE', { nonce: 'ab'.repeat(32), hive_id: HIVE_ID }, 'clhive')),
  );
  expect(signs(victim)).toEqual([]);
});

test('nonce = "hive:ban_vote:…" from the member we did send HELLO to: the codec refuses it, and so does the machine (bad_nonce)', () => {
  const fleet = new Fleet();
  const victim = fleet.add(0x72);
  const member = fleet.add(0x73, { clhive: true });
  fleet.input(victim, { kind: 'join', member_id: member.node_id, framing: 'clhive', features: [] });
  const evil = 'hive:ban_vote:00112233445566778899aabbccddeeff:approve:1760000000';
  const bytes = joinFrame('clhive', 32771, encodeEnvelope(32771, { nonce: evil, hive_id: HIVE_ID }));
  const decoded = decodeHiveMessage(bytes);
  expect(decoded).toMatchObject({ kind: 'malformed', error: { kind: 'invalid_field', field: 'nonce' } });
  expectRefusedUnchanged(victim, 'bad_nonce', () => fleet.deliverMessage(member, victim, challengeMessage(evil)));
  expectRefusedUnchanged(victim, 'bad_nonce', () => fleet.deliverMessage(member, victim, challengeMessage('AB'.repeat(32))));
  expectRefusedUnchanged(victim, 'bad_nonce', () => fleet.deliverMessage(member, victim, challengeMessage('ab'.repeat(33))));
  expect(signs(victim)).toEqual([]);
  expect(victim.state.joins.get(member.node_id)?.phase).toBe('hello_sent');
});

test('CHALLENGE in a framing we did not send HELLO in → framing_mismatch, nothing signed', async () => {
  const fleet = new Fleet();
  const victim = fleet.add(0x74);
  const member = fleet.add(0x75, { clhive: true });
  fleet.input(victim, { kind: 'join', member_id: member.node_id, framing: 'spec', ticket: (await issueTicket()).encoded, features: [] });
  expectRefusedUnchanged(victim, 'framing_mismatch', () =>
    fleet.deliverBytes(member, victim, Fleet.encode('CHALLENGE', { nonce: 'ab'.repeat(32), hive_id: HIVE_ID }, 'clhive')),
  );
  expect(signs(victim)).toEqual([]);
});

test('a second CHALLENGE for the same HELLO → unexpected_challenge, signed only once', () => {
  const fleet = new Fleet();
  const victim = fleet.add(0x76);
  const member = fleet.add(0x77, { clhive: true });
  fleet.input(victim, { kind: 'join', member_id: member.node_id, framing: 'clhive', features: [] });
  fleet.deliverBytes(member, victim, Fleet.encode('CHALLENGE', { nonce: 'ab'.repeat(32), hive_id: HIVE_ID }, 'clhive'));
  expect(signs(victim)).toHaveLength(2);
  expectRefusedUnchanged(victim, 'unexpected_challenge', () =>
    fleet.deliverBytes(member, victim, Fleet.encode('CHALLENGE', { nonce: 'cd'.repeat(32), hive_id: HIVE_ID }, 'clhive')),
  );
  expect(signs(victim)).toHaveLength(2);
});

test("a CHALLENGE naming another hive than our ticket's → hive_mismatch, nothing signed", async () => {
  const fleet = new Fleet();
  const victim = fleet.add(0x78);
  const member = fleet.add(0x79, { clhive: true });
  fleet.input(victim, { kind: 'join', member_id: member.node_id, framing: 'clhive', ticket: (await issueTicket()).encoded, features: [] });
  expectRefusedUnchanged(victim, 'hive_mismatch', () =>
    fleet.deliverBytes(member, victim, Fleet.encode('CHALLENGE', { nonce: 'ab'.repeat(32), hive_id: 'hive_other' }, 'clhive')),
  );
  expect(signs(victim)).toEqual([]);
});

test("the node's signature is checked before use: a wrong one ends the join (bad_signer_output), no ATTEST", () => {
  const fleet = new Fleet();
  const victim = fleet.add(0x7a, { manualSign: true });
  const member = fleet.add(0x7b, { clhive: true });
  const other = fleet.add(0x7c);
  fleet.input(victim, { kind: 'join', member_id: member.node_id, framing: 'clhive', features: [] });
  fleet.deliverBytes(member, victim, Fleet.encode('CHALLENGE', { nonce: 'ab'.repeat(32), hive_id: HIVE_ID }, 'clhive'));
  const [nonceReq] = signs(victim);
  if (nonceReq?.kind !== 'sign') throw new Error();
  expect(nonceReq.text).toBe('ab'.repeat(32));
  expectRefusedUnchanged(victim, 'bad_signer_output', () =>
    fleet.input(victim, { kind: 'signed', request_id: nonceReq.request_id, result: { ok: true, zbase: signMessage(nonceReq.text, other.sk) } }),
  );
  expect(victim.state.joins.size).toBe(0);
  expect(victim.effects).toContainEqual({ kind: 'event', name: 'join_failed', member_id: member.node_id, reason: 'bad_signer_output' });
  expect(victim.effects.filter((e) => e.kind === 'send' && e.type === 'ATTEST')).toEqual([]);
  expectRefusedUnchanged(victim, 'unexpected_signature', () =>
    fleet.input(victim, { kind: 'signed', request_id: nonceReq.request_id, result: { ok: true, zbase: signMessage(nonceReq.text, victim.sk) } }),
  );
});

test('a signmessage failure ends the join (signer_failed)', () => {
  const fleet = new Fleet();
  const victim = fleet.add(0x7d, { manualSign: true });
  const member = fleet.add(0x7e, { clhive: true });
  fleet.input(victim, { kind: 'join', member_id: member.node_id, framing: 'clhive', features: [] });
  fleet.deliverBytes(member, victim, Fleet.encode('CHALLENGE', { nonce: 'ab'.repeat(32), hive_id: HIVE_ID }, 'clhive'));
  const [req] = signs(victim);
  if (req?.kind !== 'sign') throw new Error();
  expectRefusedUnchanged(victim, 'signer_failed', () =>
    fleet.input(victim, { kind: 'signed', request_id: req.request_id, result: { ok: false, reason: 'hsm unavailable' } }),
  );
  expect(victim.state.joins.size).toBe(0);
});
