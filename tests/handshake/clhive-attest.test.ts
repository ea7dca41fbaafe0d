/**
 * A member verifying an ATTEST the way cl-hive makes it (clhive-protocol.md §2.3, §3.1, §12):
 * cl-hive framing, bare-nonce signature, manifest `{"features":["proto-v2"],…,"version":"cl-hive
 * v2.2.6"}`. The nonce signature is the §12 vector for key 1 over `"ab"*32`, made by an
 * independent Python implementation of lnd/CLN signmessage.
 */
import { expect, test } from 'bun:test';
import { lightningSignedText } from '../../runtime/core/canonical/signed-text.ts';
import { signMessage } from '../../runtime/core/crypto/lnsign.ts';
import { handshakeStep } from '../../runtime/core/machines/handshake-step.ts';
import { initialHandshakeState } from '../../runtime/core/machines/handshake-types.ts';
import { applyWrites, EMPTY_MEMBERSHIP } from '../../runtime/core/machines/membership.ts';
import type { Nonce } from '../../runtime/core/types.ts';
import { decodeHiveMessage } from '../../runtime/core/wire/decode.ts';
import { manifestSigningString } from '../../runtime/core/wire/payloads/attest.ts';
import { DEFAULT_FRAMING_CONFIG } from '../../runtime/core/wire/framing-choice.ts';
import { ADMIN_ID, HIVE_ID, nodeIdOf, secretKey } from '../ticket/fixtures.ts';
import { Fleet } from './pair.ts';

const KEY_ONE = Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? 1 : 0));
const G = nodeIdOf(KEY_ONE);
const NONCE = 'ab'.repeat(32);
const TS = 1_760_000_000;
const NONCE_SIG_VECTOR = 'ryjk9kq6jbtmox3kgnftmmtfjuhskzimq93oyrogpix7u6w8gdjpa74foipkoegyxj8cpcn994cyyhubcfxcm4hf1rcnpijs7hm1wth4';
const MANIFEST_SIG_OVER_UNESCAPED = 'rdr1piqnochbhu39xj869uadrch6s11z3t75sjob17xqud4akj4ekrgb5s53o5qey3mpotrm3edt6ukpsmhed7fapknya5dx4h6eqxuq';
const MANIFEST = { pubkey: G, version: 'cl-hive v2.2.6', features: ['proto-v2'], timestamp: TS, nonce: NONCE };

function memberWithChallenge() {
  const member = nodeIdOf(secretKey(0xd0));
  const membership = applyWrites(EMPTY_MEMBERSHIP, [
    { op: 'put_hive', hive: { hive_id: HIVE_ID, created_at: TS, our_node_id: member, our_role: 'member' } },
    { op: 'put_member', member: { node_id: member, tier: 'member', joined_at: TS, addresses: [] } },
    { op: 'put_trusted_admin', admin: { admin_pubkey: ADMIN_ID, added_at: TS } },
    {
      op: 'put_challenge',
      challenge: { peer_id: G, nonce: NONCE as Nonce, hive_id: HIVE_ID, framing: 'clhive', issued_at: TS, join_via: 'channel', ticket_id: null, requirements: 0, min_version: '', features_hex: '08' },
    },
  ]);
  return initialHandshakeState({ our_node_id: member, our_version: 'hivebox v0.1.0', accept_clhive_channel_join: true, framing: DEFAULT_FRAMING_CONFIG, max_members: 50 }, membership);
}

function attest(manifest_signature: string) {
  const d = decodeHiveMessage(
    Fleet.encode('ATTEST', { ...MANIFEST, manifest: MANIFEST, nonce_signature: NONCE_SIG_VECTOR, manifest_signature }, 'clhive'),
  );
  if (d.kind !== 'message') throw new Error(d.kind);
  return d.message;
}

test('a cl-hive ATTEST (bare-nonce vector, manifest signed over T) admits G as neophyte, with a signed channel-join admission', () => {
  const sig = signMessage(lightningSignedText(manifestSigningString(MANIFEST)), KEY_ONE);
  const audited = handshakeStep(memberWithChallenge(), { kind: 'message', peer_id: G, message: attest(sig) }, TS + 5);
  expect(audited.reject).toBeNull();
  const sign = audited.effects.find((e) => e.kind === 'sign' && e.purpose === 'admission');
  if (sign?.kind !== 'sign') throw new Error('no admission signature asked for');
  const r = handshakeStep(audited.state, { kind: 'signed', request_id: sign.request_id, result: { ok: true, zbase: signMessage(sign.text, secretKey(0xd0)) } }, TS + 5);
  expect(r.reject).toBeNull();
  expect(r.state.membership.members.get(G)?.admission).toMatchObject({ by: nodeIdOf(secretKey(0xd0)), via: 'channel' });
  expect(r.state.membership.members.get(G)?.tier).toBe('neophyte');
  expect(r.state.membership.challenges.has(G)).toBe(false);
  expect(r.effects).toContainEqual(expect.objectContaining({ kind: 'send', type: 'WELCOME', framing: 'clhive' }));
});

test('a manifest signature over the unescaped canonical string (§3.1 correction) is refused', () => {
  const r = handshakeStep(memberWithChallenge(), { kind: 'message', peer_id: G, message: attest(MANIFEST_SIG_OVER_UNESCAPED) }, TS + 5);
  expect(r.reject?.reason).toBe('bad_manifest_signature');
});
