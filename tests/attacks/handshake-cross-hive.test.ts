/**
 * A nonce or nonce signature from another hive (or another member) is useless here: the member
 * checks the nonce it issued, the hive and member ids the ATTEST names, and in spec framing the
 * signature binds `hive:challenge:<hive_id>:<member_node_id>:<nonce>` (issue 2 §6).
 */
import { test } from 'bun:test';
import { HIVE_ID, issueTicket } from '../ticket/fixtures.ts';
import { Fleet } from '../handshake/pair.ts';
import { attestPayload, expectRefusedUnchanged, openChallenge } from './handshake-fixtures.ts';

async function setup(byte: number) {
  const { fleet, member } = Fleet.withMember(byte);
  const peer = fleet.add(byte + 1);
  const challenge = openChallenge(fleet, member, peer, 'spec', (await issueTicket()).encoded);
  return { fleet, member, peer, challenge };
}

test("ATTEST carrying another hive's nonce → nonce_mismatch, store unchanged", async () => {
  const { fleet, member, peer } = await setup(0x50);
  const foreignNonce = 'cd'.repeat(32);
  const p = attestPayload({ signer: peer, nonce: foreignNonce, hive_id: 'hive_other', member_node_id: member.node_id, framing: 'spec' }, fleet.now);
  const local = { ...p, hive_id: HIVE_ID };
  expectRefusedUnchanged(member, 'nonce_mismatch', () => fleet.deliverBytes(peer, member, Fleet.encode('ATTEST', local, 'spec')));
});

test('ATTEST naming another hive → hive_mismatch, store unchanged', async () => {
  const { fleet, member, peer, challenge } = await setup(0x52);
  const p = attestPayload({ signer: peer, nonce: challenge.nonce, hive_id: 'hive_other', member_node_id: member.node_id, framing: 'spec' }, fleet.now);
  expectRefusedUnchanged(member, 'hive_mismatch', () => fleet.deliverBytes(peer, member, Fleet.encode('ATTEST', p, 'spec')));
});

test('ATTEST naming another member → member_mismatch, store unchanged', async () => {
  const { fleet, member, peer, challenge } = await setup(0x54);
  const elsewhere = fleet.add(0x56);
  const p = attestPayload({ signer: peer, nonce: challenge.nonce, hive_id: HIVE_ID, member_node_id: elsewhere.node_id, framing: 'spec' }, fleet.now);
  expectRefusedUnchanged(member, 'member_mismatch', () => fleet.deliverBytes(peer, member, Fleet.encode('ATTEST', p, 'spec')));
});

test('our nonce, but the signature binds another hive → bad_nonce_signature, store unchanged', async () => {
  const { fleet, member, peer, challenge } = await setup(0x57);
  const p = attestPayload(
    {
      signer: peer,
      nonce: challenge.nonce,
      hive_id: HIVE_ID,
      member_node_id: member.node_id,
      framing: 'spec',
      signedBinding: { hive_id: 'hive_other', member_node_id: member.node_id, nonce: challenge.nonce },
    },
    fleet.now,
  );
  expectRefusedUnchanged(member, 'bad_nonce_signature', () => fleet.deliverBytes(peer, member, Fleet.encode('ATTEST', p, 'spec')));
});

test('a bare-nonce signature (cl-hive style) does not satisfy a spec-framing challenge → bad_nonce_signature', async () => {
  const { fleet, member, peer, challenge } = await setup(0x59);
  const bare = attestPayload({ signer: peer, nonce: challenge.nonce, hive_id: HIVE_ID, member_node_id: member.node_id, framing: 'clhive' }, fleet.now);
  const p = { ...bare, hive_id: HIVE_ID, member_node_id: member.node_id };
  expectRefusedUnchanged(member, 'bad_nonce_signature', () => fleet.deliverBytes(peer, member, Fleet.encode('ATTEST', p, 'spec')));
});

test('ATTEST in the other framing than the HELLO → framing_mismatch, store unchanged', async () => {
  const { fleet, member, peer, challenge } = await setup(0x5b);
  const p = attestPayload({ signer: peer, nonce: challenge.nonce, hive_id: HIVE_ID, member_node_id: member.node_id, framing: 'clhive' }, fleet.now);
  expectRefusedUnchanged(member, 'framing_mismatch', () => fleet.deliverBytes(peer, member, Fleet.encode('ATTEST', p, 'clhive')));
});

test('ATTEST signed by a different key than the peer → pubkey_mismatch / bad signatures, store unchanged', async () => {
  const { fleet, member, peer, challenge } = await setup(0x5d);
  const mallory = fleet.add(0x5f);
  const forged = attestPayload({ signer: mallory, nonce: challenge.nonce, hive_id: HIVE_ID, member_node_id: member.node_id, framing: 'spec' }, fleet.now);
  expectRefusedUnchanged(member, 'pubkey_mismatch', () => fleet.deliverBytes(peer, member, Fleet.encode('ATTEST', forged, 'spec')));
  const manifest = { ...(forged.manifest as Record<string, unknown>), pubkey: peer.node_id };
  const relabelled = { ...forged, pubkey: peer.node_id, manifest };
  expectRefusedUnchanged(member, 'bad_nonce_signature', () => fleet.deliverBytes(peer, member, Fleet.encode('ATTEST', relabelled, 'spec')));
  const good = attestPayload({ signer: peer, nonce: challenge.nonce, hive_id: HIVE_ID, member_node_id: member.node_id, framing: 'spec' }, fleet.now);
  const tampered = { ...good, version: 'hivebox v9', manifest: { ...(good.manifest as Record<string, unknown>), version: 'hivebox v9' } };
  expectRefusedUnchanged(member, 'bad_manifest_signature', () => fleet.deliverBytes(peer, member, Fleet.encode('ATTEST', tampered, 'spec')));
});
