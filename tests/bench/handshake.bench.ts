/**
 * Handshake figures (issue 2 §8): full ATTEST verification per second — framing/hive/nonce
 * checks, both signature recoveries (nonce string and manifest) and the capability probe — as the
 * member runs it (`verifyAttest`), plus invite-ticket verification per second (`verifyTicket`,
 * one recovery): first with the previous default (@noble/curves), then with what `selectCrypto`
 * installs in the daemon (libsecp256k1 + Bun's SHA-256 where present), with the ratio between them.
 */
import { lightningSignedText } from '../../runtime/core/canonical/signed-text.ts';
import { curvesScheme } from '../../runtime/core/crypto/curves-scheme.ts';
import { defaultScheme, useDefaultScheme } from '../../runtime/core/crypto/default-scheme.ts';
import { portableSha256, useSha256 } from '../../runtime/core/crypto/sha256.ts';
import { signMessage } from '../../runtime/core/crypto/lnsign.ts';
import { verifyAttest } from '../../runtime/core/machines/handshake-attest.ts';
import type { OpenChallenge } from '../../runtime/core/machines/membership.ts';
import { verifyTicket } from '../../runtime/core/ticket/verify.ts';
import type { Nonce } from '../../runtime/core/types.ts';
import { decodeHiveMessage, type HiveMessageOf } from '../../runtime/core/wire/decode.ts';
import { manifestSigningString } from '../../runtime/core/wire/payloads/attest.ts';
import { challengeSigningString } from '../../runtime/core/wire/payloads/challenge.ts';
import { Fleet, ALL_FEATURES_HEX } from '../handshake/pair.ts';
import { ADMIN_ID, HIVE_ID, T0, issueTicket, nodeIdOf, secretKey } from '../ticket/fixtures.ts';
import { bunSha256, selectCrypto } from '../../services/secp256k1/select.ts';
import { type Figure, opsPerSecond } from './harness.ts';

const candidateSk = secretKey(0x21);
const candidate = nodeIdOf(candidateSk);
const member = nodeIdOf(secretKey(0x11));
const nonce = 'ab'.repeat(32);
const challenge: OpenChallenge = {
  peer_id: candidate,
  nonce: nonce as Nonce,
  hive_id: HIVE_ID,
  framing: 'spec',
  issued_at: T0,
  join_via: 'ticket',
  ticket_id: '01'.repeat(16),
  requirements: 1,
  min_version: '0.1',
  features_hex: ALL_FEATURES_HEX,
};
const manifest = { pubkey: candidate, version: 'hivebox v0.1.0', features: ['splice', 'anchor', 'proto-v2'], timestamp: T0, nonce };
const payload = {
  ...manifest,
  manifest,
  nonce_signature: signMessage(lightningSignedText(challengeSigningString('spec', { hive_id: HIVE_ID, member_node_id: member, nonce })), candidateSk),
  manifest_signature: signMessage(lightningSignedText(manifestSigningString(manifest)), candidateSk),
  hive_id: HIVE_ID,
  member_node_id: member,
};
const decoded = decodeHiveMessage(Fleet.encode('ATTEST', payload, 'spec'));
if (decoded.kind !== 'message' || decoded.message.type !== 'ATTEST') throw new Error('bench setup: ATTEST did not decode');
const attest = decoded.message as HiveMessageOf<'ATTEST'>;
if (!verifyAttest(attest, challenge, member, candidate, T0).ok) throw new Error('bench setup: ATTEST does not verify');

const { encoded } = await issueTicket();
const ctx = { hive_id: HIVE_ID, trusted_admins: new Set([ADMIN_ID]), now_s: T0, node_id: candidate, used_tickets: new Map() };
if (!verifyTicket(encoded, ctx).ok) throw new Error('bench setup: ticket does not verify');

selectCrypto();
const installed = { scheme: defaultScheme, sha256: bunSha256() };
useDefaultScheme(curvesScheme);
useSha256(portableSha256);
const before: Record<string, Figure> = {};
for (const installedRun of [false, true]) {
  if (installedRun) {
    useDefaultScheme(installed.scheme);
    useSha256(installed.sha256);
  }
  const judge = (op: string) => (installedRun ? { previous: before[op] } : {});
  const attestFigure = await opsPerSecond(`handshake.attest_verify_full.${defaultScheme.name}`, 300, () => verifyAttest(attest, challenge, member, candidate, T0), 5, judge('attest'));
  const ticketFigure = await opsPerSecond(`handshake.ticket_verify.${defaultScheme.name}`, 500, () => verifyTicket(encoded, ctx), 5, judge('ticket'));
  if (!installedRun) Object.assign(before, { attest: attestFigure, ticket: ticketFigure });
}
