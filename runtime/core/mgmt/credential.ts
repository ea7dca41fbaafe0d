/**
 * Management credentials (spec 002 §1 "Management Credentials", "Credential Lifecycle"): the W3C
 * VC shape, building an unsigned credential for the operator's signer, parsing one presented by
 * an agent, and verifying it (issuer, proof, node, dates, revocation, tier).
 *
 * The proof is Archon's form (proof.ts). Validity is capped at 730 days as in cl-hive
 * (clhive-protocol.md §8.1).
 */
import { z } from 'zod';
import { err, ok, type Result } from '../result.ts';
import type { DidKeys } from './did.ts';
import { verifyDocumentProof, type DocumentProof } from './proof.ts';
import { effectivePermissions, isTier, PERMISSIONS, type Permission, type Tier } from './tiers.ts';
import { DAY_S, isoToUnix, unixToIso } from './time.ts';
import type { UnixSeconds } from '../types.ts';

/** Limits on a presented credential. */
export const CREDENTIAL_LIMITS = {
  /** Longest credential JSON accepted, bytes (spec 002 §3: a whole command is ~2–4 KB). */
  max_bytes: 8192,
  /** Longest validity, days (cl-hive `did_credentials`/management credential cap). */
  max_validity_days: 730,
  /** Most `allowed_schemas` patterns. */
  max_allowed_schemas: 32,
} as const;

/** Payment model of a credential (spec 002 §2 "Payment Models"). */
export type CompensationModel = 'per_action' | 'subscription' | 'performance';

/** `credentialSubject.constraints` (spec 002 §1). */
export interface CredentialConstraints {
  /** Largest fee change a `set_anchor` may make, percent of the current fee_ppm. */
  readonly max_fee_change_pct: number;
  /** Largest `circular_rebalance` amount, sats. */
  readonly max_rebalance_sats: number;
  /** Accepted commands per UTC day. */
  readonly max_daily_actions: number;
  /** Schema patterns: exact `hive:x/v1`, `hive:x/*`, or `*`. */
  readonly allowed_schemas: readonly string[];
}

/** `credentialSubject.compensation` (spec 002 §1, §2). */
export interface Compensation {
  readonly model: CompensationModel;
  /** Price of one command in sats (per_action). */
  readonly rate_sats: number;
  /** Accepted currencies, e.g. `L402|cashu`. */
  readonly currency: string;
  /** Performance share of the revenue gain, percent (performance model). */
  readonly performance_share_pct?: number;
}

const didString = z.string().min(8).max(256).regex(/^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/);

const credentialShape = z.object({
  '@context': z.array(z.string()).min(1),
  id: z.string().min(1).max(128),
  type: z.array(z.string()).refine((t) => t.includes('VerifiableCredential') && t.includes('HiveManagementCredential'), 'type must include HiveManagementCredential'),
  issuer: didString,
  credentialSubject: z.object({
    id: didString,
    nodeId: z.string().regex(/^0[23][0-9a-f]{64}$/),
    permissions: z.record(z.string(), z.boolean()),
    constraints: z.object({
      max_fee_change_pct: z.number().min(0).max(1000),
      max_rebalance_sats: z.number().int().min(0).max(2_100_000_000_000_000),
      max_daily_actions: z.number().int().min(1).max(1_000_000),
      allowed_schemas: z.array(z.string().min(1).max(128)).max(CREDENTIAL_LIMITS.max_allowed_schemas),
    }),
    tier: z.string().refine(isTier, 'unknown tier'),
    compensation: z.object({
      model: z.enum(['per_action', 'subscription', 'performance']),
      rate_sats: z.number().int().min(0).max(100_000_000),
      currency: z.string().max(64),
      performance_share_pct: z.number().min(0).max(100).optional(),
    }),
  }),
  issuanceDate: z.string(),
  expirationDate: z.string(),
  proof: z.object({ type: z.string(), verificationMethod: z.string(), proofValue: z.string() }).passthrough(),
});

/** A presented credential whose shape is valid (not yet verified). `raw` is what the proof covers. */
export interface ParsedCredential {
  readonly raw: Readonly<Record<string, unknown>>;
  readonly id: string;
  readonly issuer: string;
  readonly agent_did: string;
  readonly node_id: string;
  readonly tier: Tier;
  readonly permission_flags: Readonly<Partial<Record<Permission, boolean>>>;
  readonly constraints: CredentialConstraints;
  readonly compensation: Compensation;
  /** Unix seconds. */
  readonly issued_at: number;
  /** Unix seconds. */
  readonly expires_at: number;
}

/** A credential that passed every check, with the permissions its tier really grants. */
export interface VerifiedCredential extends ParsedCredential {
  readonly permissions: ReadonlySet<Permission>;
}

/** Why a credential was refused (credential layer of spec 002 "Trust Model"). */
export type CredentialRule =
  | 'malformed_credential'
  | 'untrusted_issuer'
  | 'bad_credential_signature'
  | 'wrong_node'
  | 'not_yet_valid'
  | 'expired'
  | 'validity_too_long'
  | 'revoked';

/** A credential rejection: the rule and a human-readable detail. */
export interface CredentialReject {
  readonly rule: CredentialRule;
  readonly detail: string;
}

/**
 * Parse presented credential JSON text and check its shape and dates' format.
 * @returns `malformed_credential` for oversize, non-JSON, wrong shape or bad dates.
 */
export function parseCredential(text: string): Result<ParsedCredential, CredentialReject> {
  const bad = (detail: string) => err({ rule: 'malformed_credential' as const, detail });
  if (text.length > CREDENTIAL_LIMITS.max_bytes) return bad(`longer than ${CREDENTIAL_LIMITS.max_bytes} bytes`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return bad('not JSON');
  }
  const shape = credentialShape.safeParse(raw);
  if (!shape.success) return bad(shape.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const c = shape.data;
  const issued_at = isoToUnix(c.issuanceDate);
  const expires_at = isoToUnix(c.expirationDate);
  if (issued_at === null || expires_at === null || expires_at <= issued_at) return bad('issuanceDate/expirationDate malformed or out of order');
  const flags: Partial<Record<Permission, boolean>> = {};
  for (const p of PERMISSIONS) if (c.credentialSubject.permissions[p] === true) flags[p] = true;
  return ok({
    raw: raw as Record<string, unknown>,
    id: c.id,
    issuer: c.issuer,
    agent_did: c.credentialSubject.id,
    node_id: c.credentialSubject.nodeId,
    tier: c.credentialSubject.tier as Tier,
    permission_flags: flags,
    constraints: c.credentialSubject.constraints,
    compensation: c.credentialSubject.compensation,
    issued_at,
    expires_at,
  });
}

/** What the verifier knows: the issuer's keys, who may issue for this node, revocations, time. */
export interface CredentialContext {
  /** Resolved keys of `credential.issuer`. */
  readonly issuerKeys: DidKeys;
  /** DIDs allowed to issue management credentials for this node (the operator's). */
  readonly trustedIssuers: ReadonlySet<string>;
  /** This node's id (66-hex). */
  readonly nodeId: string;
  /** True when the credential id is on the revocation list. */
  readonly revoked: boolean;
  /** Unix seconds. */
  readonly now_s: UnixSeconds;
  /**
   * The proof check; defaults to {@link verifyDocumentProof}. A driver may pass a memoised
   * version (credentials are presented with every command).
   */
  readonly proofCheck?: (doc: Readonly<Record<string, unknown>>, keys: DidKeys) => boolean;
}

/**
 * Verify a parsed credential (spec 002 §1 lifecycle step 3). Checks, each with its own rule:
 * issuer trusted, proof by the issuer, subject node is us, `issuanceDate ≤ now_s < expirationDate`,
 * validity ≤ 730 days, not revoked.
 */
export function verifyCredential(c: ParsedCredential, ctx: CredentialContext): Result<VerifiedCredential, CredentialReject> {
  if (!ctx.trustedIssuers.has(c.issuer)) return err({ rule: 'untrusted_issuer', detail: `${c.issuer} may not issue for this node` });
  if (ctx.issuerKeys.did !== c.issuer || !(ctx.proofCheck ?? verifyDocumentProof)(c.raw, ctx.issuerKeys)) {
    return err({ rule: 'bad_credential_signature', detail: 'proof does not verify against the issuer DID' });
  }
  if (c.node_id !== ctx.nodeId) return err({ rule: 'wrong_node', detail: `credential is for ${c.node_id}` });
  if (ctx.now_s < c.issued_at) return err({ rule: 'not_yet_valid', detail: `valid from ${unixToIso(c.issued_at)}` });
  if (ctx.now_s >= c.expires_at) return err({ rule: 'expired', detail: `expired at ${unixToIso(c.expires_at)}` });
  if (c.expires_at - c.issued_at > CREDENTIAL_LIMITS.max_validity_days * DAY_S) {
    return err({ rule: 'validity_too_long', detail: `validity over ${CREDENTIAL_LIMITS.max_validity_days} days` });
  }
  if (ctx.revoked) return err({ rule: 'revoked', detail: `credential ${c.id} is revoked` });
  return ok({ ...c, permissions: effectivePermissions(c.tier, c.permission_flags) });
}

/** Inputs of {@link buildCredential}. Times are unix seconds; `idBytes` is 16 random bytes. */
export interface CredentialSpec {
  readonly issuer: string;
  readonly agent_did: string;
  readonly node_id: string;
  readonly tier: Tier;
  readonly permissions: Readonly<Partial<Record<Permission, boolean>>>;
  readonly constraints: CredentialConstraints;
  readonly compensation: Compensation;
  readonly issued_at: number;
  readonly expires_at: number;
  readonly idBytes: Uint8Array;
}

/** RFC 4122 version-4 UUID text from 16 random bytes. @throws RangeError on a wrong length. */
export function uuidV4(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new RangeError('uuid needs 16 random bytes');
  const b = Uint8Array.from(bytes);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The unsigned credential (everything but `proof`) in spec 002's shape, ready for
 * `documentDigest` and the operator's signer. Only permissions the tier allows are set true.
 */
export function buildCredential(spec: CredentialSpec): Record<string, unknown> {
  const allowed = effectivePermissions(spec.tier, spec.permissions);
  const permissions = Object.fromEntries(PERMISSIONS.map((p) => [p, allowed.has(p)]));
  return {
    '@context': ['https://www.w3.org/2018/credentials/v1', 'https://hive.lightning/management/v1'],
    id: `urn:uuid:${uuidV4(spec.idBytes)}`,
    type: ['VerifiableCredential', 'HiveManagementCredential'],
    issuer: spec.issuer,
    credentialSubject: {
      id: spec.agent_did,
      nodeId: spec.node_id,
      permissions,
      constraints: { ...spec.constraints, allowed_schemas: [...spec.constraints.allowed_schemas] },
      tier: spec.tier,
      compensation: { ...spec.compensation },
    },
    issuanceDate: unixToIso(spec.issued_at),
    expirationDate: unixToIso(spec.expires_at),
  };
}

/** Type guard for a credential object carrying a proof (as stored/presented). */
export type SignedCredential = Record<string, unknown> & { proof: DocumentProof };
