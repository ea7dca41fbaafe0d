/**
 * Accepting revocations gossiped by the fleet (issue 9 §1: revocations are gossiped and checked
 * before every command): verify the revocation's proof against its issuer's DID and that the
 * issuer is one this node trusts, then add it to the store's revocation list.
 */
import { verifyRevocation } from '../../core/mgmt/index.ts';
import { err, ok, type Result } from '../../core/result.ts';
import type { MgmtStore } from '../../../services/mgmt-store/mgmt-store.ts';
import type { DidResolver } from '../../../services/mgmt/did-resolver.ts';

/**
 * Verify and store a revocation document (JSON text).
 * @returns the revoked credential id, or why it was refused (nothing stored).
 */
export async function acceptRevocation(store: MgmtStore, resolver: DidResolver, trustedIssuers: ReadonlySet<string>, json: string, now: number): Promise<Result<string, string>> {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return err('not JSON');
  }
  const issuer = (doc as { issuer?: unknown } | null)?.issuer;
  if (typeof issuer !== 'string' || !trustedIssuers.has(issuer)) return err('issuer is not trusted here');
  const keys = await resolver.resolve(issuer, now);
  if (!keys.ok) return err(`issuer unresolvable: ${keys.error.kind}`);
  const r = verifyRevocation(doc, keys.value);
  if (!r.ok) return r;
  store.putRevocation({ ...r.value, json });
  return ok(r.value.credential_id);
}
