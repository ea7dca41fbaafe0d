/**
 * The member's audit of an ATTEST against its open challenge (spec 000 §4.2 step 6 "Certification",
 * §4.3 "Active Capability Probing"; spec 001 §2.2 step 4; clhive-protocol.md §2.3 ATTEST checks,
 * §15 items 2–3). Pure and side-effect free, so the bench can time it alone.
 *
 * Order: cheap structural checks first, then the two signature recoveries, then the capability
 * probe and the ticket's version rule:
 *   framing_mismatch → hive_mismatch → member_mismatch → pubkey_mismatch → nonce_mismatch →
 *   stale_manifest → bad_nonce_signature → bad_manifest_signature → fraudulent_manifest →
 *   ticket_version_too_old
 */
import { lightningSignedText } from '../canonical/signed-text.ts';
import { recoverSigner } from '../crypto/lnsign.ts';
import { err, ok, type Result } from '../result.ts';
import { claimedFeature, negotiatedFeatures, type HiveFeature } from '../ticket/features.ts';
import { checkVersion } from '../ticket/verify.ts';
import type { HiveMessageOf } from '../wire/decode.ts';
import { challengeSigningString } from '../wire/payloads/challenge.ts';
import { manifestSigningString } from '../wire/payloads/attest.ts';
import type { PyJson } from '../canonical/python-json.ts';
import { HANDSHAKE_LIMITS } from './handshake-limits.ts';
import type { HandshakeReject } from './handshake-types.ts';
import type { OpenChallenge } from './membership.ts';
import type { UnixSeconds } from '../types.ts';

/** What a verified ATTEST establishes about the candidate. */
export interface AttestedCandidate {
  readonly version: string;
  /** Features as claimed in the manifest (all of them, probe-able or not). */
  readonly features: readonly string[];
}

/**
 * Audit `msg` from `peer_id` against `challenge`, issued by `member_node_id`.
 * @param now_s unix seconds.
 * @returns the candidate's version and features, or the reject (with evidence for
 *   `fraudulent_manifest`: claimed, proven and the negotiated feature hex).
 */
export function verifyAttest(
  msg: HiveMessageOf<'ATTEST'>,
  challenge: OpenChallenge,
  member_node_id: string,
  peer_id: string,
  now_s: UnixSeconds,
): Result<AttestedCandidate, HandshakeReject> {
  const p = msg.payload;
  const m = p.manifest;
  const rej = (reason: HandshakeReject['reason'], fields?: Record<string, unknown>) =>
    err<HandshakeReject>({ reason, peer_id, msg_type: 'ATTEST', ...(fields ? { fields } : {}) });
  if (msg.framing !== challenge.framing) return rej('framing_mismatch', { expected: challenge.framing, got: msg.framing });
  if (p.hive_id !== undefined && p.hive_id !== challenge.hive_id) return rej('hive_mismatch', { expected: challenge.hive_id, got: p.hive_id });
  if (p.member_node_id !== undefined && p.member_node_id !== member_node_id) return rej('member_mismatch', { got: p.member_node_id });
  if (m.pubkey !== peer_id) return rej('pubkey_mismatch', { manifest_pubkey: m.pubkey });
  if (m.nonce !== challenge.nonce) return rej('nonce_mismatch');
  if (Math.abs(now_s - m.timestamp) > HANDSHAKE_LIMITS.manifestSkew_s) return rej('stale_manifest', { timestamp: m.timestamp });
  const nonceText = lightningSignedText(
    challengeSigningString(challenge.framing, { hive_id: challenge.hive_id, member_node_id, nonce: challenge.nonce }),
  );
  if (recoverSigner(nonceText, p.nonce_signature) !== peer_id) return rej('bad_nonce_signature');
  const rawManifest = (msg.raw as { readonly manifest: PyJson }).manifest;
  if (recoverSigner(lightningSignedText(manifestSigningString(rawManifest)), p.manifest_signature) !== peer_id) {
    return rej('bad_manifest_signature');
  }
  const proven = negotiatedFeatures(challenge.features_hex) ?? new Set<HiveFeature>();
  const claimed = m.features.flatMap((f) => {
    const c = claimedFeature(f);
    return c ? [c] : [];
  });
  const unproven = claimed.filter((f) => !proven.has(f));
  if (unproven.length) {
    return rej('fraudulent_manifest', { claimed, proven: [...proven], unproven, features_hex: challenge.features_hex });
  }
  const version = checkVersion(challenge, m.version);
  if (!version.ok) return rej('ticket_version_too_old', { min_version: challenge.min_version, version: m.version });
  return ok({ version: m.version, features: m.features });
}
