/**
 * The operator's side of the credential lifecycle (spec 002 §1 "Credential Lifecycle"): issue,
 * renew and revoke management credentials, and issue advisor reputation credentials — each signed
 * on the hardware signer (`DigestSigner`, purposes `credential`/`revoke`, a button press) in
 * Archon's proof form, and recorded in the mgmt store.
 */
import { buildCredential, parseCredential, type CredentialSpec, didKeyFromPublicKey, revenueDeltaPct, attachProof, documentDigest, documentText, advisorMetrics, buildReputationCredential, reputationOutcome, buildRevocation, DAY_S, unixToIso } from '../../core/mgmt/index.ts';
import type { ApprovalSummary, DigestSigner, SignerError, SignerPurpose } from '../../core/ports.ts';
import { err, ok, type Result } from '../../core/result.ts';
import { fromHex } from '../../core/types.ts';
import type { MgmtStore } from '../../../services/mgmt-store/mgmt-store.ts';

/** Sign `doc` on the signer and attach the proof; the issuer DID is the `did:key` of the purpose's key. */
export async function signDocument<T extends Record<string, unknown>>(
  signer: DigestSigner,
  purpose: SignerPurpose,
  summary: ApprovalSummary,
  build: (issuer: string) => T,
  now: number,
): Promise<Result<T & { proof: unknown }, SignerError>> {
  const pub = await signer.publicKey(purpose);
  if (!pub.ok) return pub;
  const issuer = didKeyFromPublicKey(fromHex(pub.node_id)!);
  const doc = build(issuer);
  const sig = await signer.signDigest(documentDigest(doc), { purpose, summary, document: documentText(doc) });
  if (!sig.ok) return sig;
  if (sig.value.signature.length !== 64 || sig.value.node_id !== pub.node_id) return err({ kind: 'SignerRefused', reason: 'signer returned a signature by another key' });
  const vm = `${issuer}#${issuer.slice('did:key:'.length)}`;
  return ok(attachProof(doc, sig.value.signature, vm, unixToIso(now)));
}

/** Operator's issuer DID for `purpose` (the `did:key` of that signer slot). */
export async function issuerDid(signer: DigestSigner, purpose: SignerPurpose = 'credential'): Promise<Result<string, SignerError>> {
  const pub = await signer.publicKey(purpose);
  return pub.ok ? ok(didKeyFromPublicKey(fromHex(pub.node_id)!)) : pub;
}

/** A credential to issue; `issuer` comes from the signer. */
export type IssueRequest = Omit<CredentialSpec, 'issuer'>;

/**
 * Issue a management credential: button press on the signer, then stored.
 * @returns the signed credential JSON text, or the signer's refusal.
 */
export async function issueCredential(signer: DigestSigner, store: MgmtStore, req: IssueRequest, now: number): Promise<Result<string, SignerError>> {
  const days = Math.round((req.expires_at - req.issued_at) / DAY_S);
  const summary = {
    title: `management credential: ${req.tier} for ${days} days`,
    fields: {
      agent: req.agent_did,
      node: req.node_id,
      schemas: req.constraints.allowed_schemas.join(','),
      max_fee_change_pct: String(req.constraints.max_fee_change_pct),
      max_rebalance_sats: String(req.constraints.max_rebalance_sats),
      max_daily_actions: String(req.constraints.max_daily_actions),
    },
  };
  const signed = await signDocument(signer, 'credential', summary, (issuer) => buildCredential({ ...req, issuer }), now);
  if (!signed.ok) return signed;
  const json = JSON.stringify(signed.value);
  const parsed = parseCredential(json);
  if (!parsed.ok) return err({ kind: 'SignerRefused', reason: `issued credential does not parse: ${parsed.error.detail}` });
  const c = parsed.value;
  store.putCredential({ id: c.id, agent_did: c.agent_did, issuer: c.issuer, tier: c.tier, issued_at: c.issued_at, expires_at: c.expires_at, json });
  return ok(json);
}

/**
 * Renew a stored credential: same subject, scope and compensation, a new id and a validity window
 * starting `now`, `validity_s` long (default: as long as the old one) (spec 002 §1 "Renewal").
 * @returns the new credential JSON, or `SignerRefused` when `credentialId` is unknown.
 */
export async function renewCredential(signer: DigestSigner, store: MgmtStore, credentialId: string, now: number, idBytes: Uint8Array, validity_s?: number): Promise<Result<string, SignerError>> {
  const stored = store.getCredential(credentialId);
  const old = stored ? parseCredential(stored.json) : null;
  if (!old?.ok) return err({ kind: 'SignerRefused', reason: `unknown credential ${credentialId}` });
  const c = old.value;
  return issueCredential(
    signer,
    store,
    {
      agent_did: c.agent_did,
      node_id: c.node_id,
      tier: c.tier,
      permissions: c.permission_flags,
      constraints: c.constraints,
      compensation: c.compensation,
      issued_at: now,
      expires_at: now + (validity_s ?? c.expires_at - c.issued_at),
      idBytes,
    },
    now,
  );
}

/**
 * Revoke a credential: a signed revocation (purpose `revoke`, button press) stored locally and
 * returned for gossip to the fleet.
 */
export async function revokeCredential(signer: DigestSigner, store: MgmtStore, credentialId: string, reason: string, now: number): Promise<Result<string, SignerError>> {
  const summary = { title: `revoke management credential ${credentialId}`, fields: { reason } };
  const signed = await signDocument(signer, 'revoke', summary, (issuer) => buildRevocation({ credential_id: credentialId, issuer, reason, revoked_at: now }), now);
  if (!signed.ok) return signed;
  const json = JSON.stringify(signed.value);
  store.putRevocation({ credential_id: credentialId, issuer: String(signed.value.issuer), reason, revoked_at: now, json });
  return ok(json);
}

/** Revenue figures for a reputation credential, msat over 7-day windows. */
export interface RevenueFigures {
  readonly baseline_msat: number;
  readonly current_msat: number;
}

/**
 * Issue a `DIDReputationCredential` (domain `hive:advisor`) for `agentDid` from the node's receipts
 * and recorded changes over its credentials' period, signed on the signer (purpose `credential`).
 * @returns the signed credential JSON, or `SignerRefused` when the agent has no credential here.
 */
export async function issueReputation(signer: DigestSigner, store: MgmtStore, agentDid: string, revenue: RevenueFigures, now: number, idBytes: Uint8Array): Promise<Result<string, SignerError>> {
  const creds = store.listCredentials(agentDid);
  if (creds.length === 0) return err({ kind: 'SignerRefused', reason: `no credential was issued to ${agentDid}` });
  const start = Math.min(...creds.map((c) => c.issued_at));
  const end = Math.min(now, Math.max(...creds.map((c) => c.expires_at)));
  const receipts = store.receipts(agentDid);
  const channels = store
    .changesBy(agentDid)
    .map((c) => /^(?:fee|rebalance):(.+)$/.exec(c.target)?.[1])
    .filter((s): s is string => s !== undefined);
  const metrics = advisorMetrics(receipts, channels, revenueDeltaPct(revenue.baseline_msat, revenue.current_msat), start, end);
  const outcome = reputationOutcome(metrics, creds.some((c) => store.isRevoked(c.id)));
  const summary = { title: `reputation credential for ${agentDid}`, fields: { outcome, actions_taken: String(metrics.actions_taken), revenue_delta_pct: String(metrics.revenue_delta_pct) } };
  const signed = await signDocument(
    signer,
    'credential',
    summary,
    (issuer) => buildReputationCredential({ issuer, agent_did: agentDid, start, end, issued_at: now, metrics, outcome, receipt_ids: receipts.map((r) => r.receipt_id), idBytes }),
    now,
  );
  return signed.ok ? ok(JSON.stringify(signed.value)) : signed;
}
