/**
 * What the signer agrees to sign with SIGN_DIGEST (hw/PROTOCOL.md §3.6, §4.1): RFC 8785 (JCS)
 * documents whose SHA-256 becomes an Archon-form proof (spec 002 §1; runtime/core/mgmt/proof.ts) —
 * management credentials and reputation credentials (purpose `credential`) and credential
 * revocations (purpose `revoke`). The device receives the document text, not a bare digest, checks
 * that it is canonical and has exactly the expected shape, and derives the title and fields it
 * shows from the text alone. Pure; shared by the device model and the host driver.
 */
import { z } from 'zod';
import { CREDENTIAL_LIMITS, jcs, isoToUnix, isTier } from '../../runtime/core/mgmt/index.ts';
import type { SignerPurpose } from '../../runtime/core/ports.ts';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { clipUtf8, isDisplayable, shortId, type TextMalformed } from './purposes.ts';
import { SUMMARY_LIMITS } from './messages.ts';

/** The only `format` of SIGN_DIGEST: compact ECDSA over SHA-256 of the JCS document text. */
export const DIGEST_FORMAT = 'compact-sha256-jcs';

/** Purposes SIGN_DIGEST accepts (both on the admin slot, both need the button). */
export const DIGEST_PURPOSES: ReadonlySet<SignerPurpose> = new Set<SignerPurpose>(['credential', 'revoke']);

/** What the device shows for a document, and the DID the document says signs it. */
export interface DerivedDocument {
  readonly title: string;
  readonly fields: Readonly<Record<string, string>>;
  /** `issuer` of the document: must be the `did:key` of the purpose's slot key. */
  readonly issuer: string;
}

const shown = (max: number) => z.string().min(1).max(max).refine(isDisplayable, 'has characters the device cannot display');
const did = shown(256).regex(/^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/, 'not a DID');
const iso = z.string().refine((s) => isoToUnix(s) !== null, 'not an ISO 8601 UTC time');
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const ManagementCredential = z.strictObject({
  '@context': z.array(z.string()).min(1),
  id: shown(128),
  type: z.array(z.string()).refine((t) => t.includes('VerifiableCredential') && t.includes('HiveManagementCredential')),
  issuer: did,
  credentialSubject: z.strictObject({
    id: did,
    nodeId: z.string().regex(/^0[23][0-9a-f]{64}$/),
    permissions: z.record(z.string(), z.boolean()),
    constraints: z.strictObject({
      max_fee_change_pct: z.number().min(0).max(1000),
      max_rebalance_sats: count,
      max_daily_actions: count,
      allowed_schemas: z.array(shown(128)).max(CREDENTIAL_LIMITS.max_allowed_schemas),
    }),
    tier: z.string().refine(isTier, 'unknown tier'),
    compensation: z.strictObject({
      model: z.enum(['per_action', 'subscription', 'performance']),
      rate_sats: count,
      currency: shown(64),
      performance_share_pct: z.number().min(0).max(100).optional(),
    }),
  }),
  issuanceDate: iso,
  expirationDate: iso,
});

const ReputationCredential = z.strictObject({
  '@context': z.array(z.string()).min(1),
  id: shown(128),
  type: z.array(z.string()).refine((t) => t.includes('VerifiableCredential') && t.includes('DIDReputationCredential')),
  issuer: did,
  issuanceDate: iso,
  credentialSubject: z.strictObject({
    id: did,
    domain: shown(64),
    period: z.strictObject({ start: iso, end: iso }),
    metrics: z.record(shown(32), z.number()),
    outcome: z.enum(['renew', 'revoke', 'neutral']),
    evidence: z.array(z.record(z.string(), z.unknown())).max(16),
  }),
});

const Revocation = z.strictObject({
  type: z.array(z.string()).refine((t) => t.includes('HiveCredentialRevocation')),
  issuer: did,
  credential_id: shown(128),
  reason: shown(500),
  revoked_at: iso,
});

const malformed = (reason: string): { ok: false; error: TextMalformed } => err({ kind: 'TextMalformed', reason });

function derived(title: string, fields: Record<string, string>, issuer: string): Result<DerivedDocument, TextMalformed> {
  const clipped = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, clipUtf8(v)]));
  return ok({ title: clipUtf8(title, SUMMARY_LIMITS.title_bytes), fields: clipped, issuer });
}

function firstIssue(e: z.ZodError): string {
  const i = e.issues[0];
  return i ? `${i.path.join('.') || '(document)'}: ${i.message}` : 'invalid';
}

const days = (from: string, until: string) => {
  const d = (isoToUnix(until)! - isoToUnix(from)!) / 86_400;
  return Number.isInteger(d) ? String(d) : d.toFixed(1);
};

function describeManagement(doc: unknown): Result<DerivedDocument, TextMalformed> {
  const p = ManagementCredential.safeParse(doc);
  if (!p.success) return malformed(`not a management credential: ${firstIssue(p.error)}`);
  const c = p.data;
  const s = c.credentialSubject;
  const span = isoToUnix(c.expirationDate)! - isoToUnix(c.issuanceDate)!;
  if (span <= 0 || span > CREDENTIAL_LIMITS.max_validity_days * 86_400) return malformed(`validity outside 1 s..${CREDENTIAL_LIMITS.max_validity_days} days`);
  const d = days(c.issuanceDate, c.expirationDate);
  const k = s.constraints;
  const share = s.compensation.performance_share_pct === undefined ? '' : `, share ${s.compensation.performance_share_pct} %`;
  return derived(
    `management credential for ${shortId(s.id)}: tier ${s.tier}, ${d} days`,
    {
      agent: s.id,
      node: s.nodeId,
      tier: s.tier,
      schemas: k.allowed_schemas.join(', ') || '(none)',
      valid: `${d} days`,
      expires: c.expirationDate,
      limits: `fee ±${k.max_fee_change_pct} %, rebalance ≤ ${k.max_rebalance_sats} sat, ${k.max_daily_actions} actions/day`,
      payment: `${s.compensation.model} ${s.compensation.rate_sats} sat${share}`,
    },
    c.issuer,
  );
}

function describeReputation(doc: unknown): Result<DerivedDocument, TextMalformed> {
  const p = ReputationCredential.safeParse(doc);
  if (!p.success) return malformed(`not a reputation credential: ${firstIssue(p.error)}`);
  const s = p.data.credentialSubject;
  if (isoToUnix(s.period.end)! <= isoToUnix(s.period.start)!) return malformed('period ends before it starts');
  const metrics = Object.entries(s.metrics).map(([k, v]) => `${k}=${v}`).join(', ');
  return derived(
    `${s.domain} reputation for ${shortId(s.id)}: ${s.outcome}`,
    { subject: s.id, domain: s.domain, outcome: s.outcome, period: `${s.period.start} → ${s.period.end}`, metrics: metrics || '(none)' },
    p.data.issuer,
  );
}

function describeRevocation(doc: unknown): Result<DerivedDocument, TextMalformed> {
  const p = Revocation.safeParse(doc);
  if (!p.success) return malformed(`not a credential revocation: ${firstIssue(p.error)}`);
  const r = p.data;
  return derived(`revoke credential ${shortId(r.credential_id)}: ${r.reason}`, { credential: r.credential_id, reason: r.reason, at: r.revoked_at }, r.issuer);
}

/**
 * Check that `text` is an RFC 8785 canonical JSON document of `purpose`'s kind, without a `proof`,
 * and derive what the device shows (PROTOCOL.md §4.1).
 * @returns title, fields and the issuer DID, or `TextMalformed` naming the rule that failed
 *   (not JSON, not canonical, a `proof` present, wrong shape, purpose not signable as a digest).
 */
export function describeDigestDocument(purpose: SignerPurpose, text: string): Result<DerivedDocument, TextMalformed> {
  if (!DIGEST_PURPOSES.has(purpose)) return malformed(`purpose ${purpose} is not signed in format ${DIGEST_FORMAT}`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return malformed('document is not JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return malformed('document is not a JSON object');
  if (jcs(doc) !== text) return malformed('document is not RFC 8785 (JCS) canonical');
  if (Object.hasOwn(doc, 'proof')) return malformed('document already carries a proof');
  const type = (doc as { type?: unknown }).type;
  const types = Array.isArray(type) ? type : [];
  if (purpose === 'revoke') return describeRevocation(doc);
  if (types.includes('HiveManagementCredential')) return describeManagement(doc);
  if (types.includes('DIDReputationCredential')) return describeReputation(doc);
  return malformed('credential type is neither HiveManagementCredential nor DIDReputationCredential');
}
