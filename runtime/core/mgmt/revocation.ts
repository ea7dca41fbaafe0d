/**
 * Signed credential revocations (spec 002 §1 lifecycle step 4: "Operator can revoke at any time";
 * issue 9 §1 "gossiped to the fleet and checked before every command"). A revocation is a small
 * JSON document with an Archon-form proof by the credential's issuer, so any fleet member can
 * verify it before adding the id to its revocation list.
 */
import { err, ok, type Result } from '../result.ts';
import type { DidKeys } from './did.ts';
import { verifyDocumentProof } from './proof.ts';
import { isoToUnix, unixToIso } from './time.ts';

/** A verified revocation. */
export interface Revocation {
  readonly credential_id: string;
  readonly issuer: string;
  readonly reason: string;
  /** Unix seconds. */
  readonly revoked_at: number;
}

/** Longest reason, characters (cl-hive revocation reason 1–500). */
export const MAX_REVOCATION_REASON = 500;

/** The unsigned revocation document for the issuer's signer. */
export function buildRevocation(r: Revocation): Record<string, unknown> {
  return {
    type: ['HiveCredentialRevocation'],
    issuer: r.issuer,
    credential_id: r.credential_id,
    reason: r.reason.slice(0, MAX_REVOCATION_REASON),
    revoked_at: unixToIso(r.revoked_at),
  };
}

/**
 * Verify a revocation document signed by `issuerKeys`.
 * @returns the revocation, or a reason string when the shape or proof is wrong.
 */
export function verifyRevocation(doc: unknown, issuerKeys: DidKeys): Result<Revocation, string> {
  if (typeof doc !== 'object' || doc === null) return err('not an object');
  const d = doc as Record<string, unknown>;
  const revoked_at = isoToUnix(d.revoked_at);
  if (!Array.isArray(d.type) || !d.type.includes('HiveCredentialRevocation')) return err('not a HiveCredentialRevocation');
  if (typeof d.credential_id !== 'string' || typeof d.issuer !== 'string' || typeof d.reason !== 'string' || revoked_at === null) return err('malformed fields');
  if (d.issuer !== issuerKeys.did) return err('issuer keys do not match');
  if (!verifyDocumentProof(d, issuerKeys)) return err('bad proof');
  return ok({ credential_id: d.credential_id, issuer: d.issuer, reason: d.reason, revoked_at });
}
