/**
 * Memoised credential proof checks: a management credential travels with every command, so the
 * managed node remembers proofs that verified (keyed by issuer keys, the JCS digest of the
 * document and the proof value) instead of repeating the ECDSA verification. Only successes are
 * kept; the cache is cleared when it reaches its bound.
 */
import { documentDigest, verifyDocumentProof, type DidKeys } from '../../core/mgmt/index.ts';
import { toHex } from '../../core/types.ts';

/** A bounded memo over {@link verifyDocumentProof}. */
export class ProofCache {
  private readonly ok = new Set<string>();

  constructor(private readonly max = 1024) {}

  /** Same contract as `verifyDocumentProof`. */
  readonly check = (doc: Readonly<Record<string, unknown>>, keys: DidKeys): boolean => {
    const proofValue = (doc.proof as { proofValue?: unknown } | undefined)?.proofValue;
    const key = `${keys.did}|${keys.keys.map((k) => toHex(k.public_key)).join(',')}|${toHex(documentDigest(doc))}|${String(proofValue)}`;
    if (this.ok.has(key)) return true;
    const valid = verifyDocumentProof(doc, keys);
    if (valid) {
      if (this.ok.size >= this.max) this.ok.clear();
      this.ok.add(key);
    }
    return valid;
  };
}
