/**
 * DID resolution for management (spec 002 §1 lifecycle step 3): `did:key` offline, `did:cid`
 * (Archon) through a configurable gatekeeper (`GET <url>/api/v1/did/<did>`, archetech/archon
 * gatekeeper-client.ts) with the resolved keys cached for `cache_ttl_s`. Decoded `did:key`s are
 * memoised too (decoding checks the point is on the curve).
 */
import { didMethod, keysFromGatekeeperDocument, resolveDidKey, type DidError, type DidKeys } from '../../runtime/core/mgmt/index.ts';
import { err, ok, type Result } from '../../runtime/core/result.ts';

/** Resolves a DID to its keys. `now` is unix seconds (cache expiry). Never throws. */
export interface DidResolver {
  resolve(did: string, now: number): Promise<Result<DidKeys, DidError>>;
}

/** Options of {@link HiveDidResolver}. */
export interface ResolverOptions {
  /** Gatekeeper base URL, e.g. `http://localhost:4224`; without it `did:cid` is unresolvable. */
  readonly gatekeeperUrl?: string;
  /** Cache lifetime of resolved `did:cid` keys, seconds (default 3600). */
  readonly cache_ttl_s?: number;
  /** HTTP timeout, ms (default 5000). */
  readonly timeout_ms?: number;
  /** Largest document accepted, bytes (default 64 KiB). */
  readonly max_document_bytes?: number;
}

/** `did:key` + `did:cid` resolver with a TTL cache. */
export class HiveDidResolver implements DidResolver {
  private readonly cache = new Map<string, { keys: DidKeys; until: number }>();
  private readonly didKeys = new Map<string, DidKeys>();

  constructor(private readonly opts: ResolverOptions = {}) {}

  async resolve(did: string, now: number): Promise<Result<DidKeys, DidError>> {
    const method = didMethod(did);
    if (method === 'key') return this.resolveKey(did);
    if (method !== 'cid') return err({ kind: 'unsupported_method', did });
    const hit = this.cache.get(did);
    if (hit && hit.until > now) return ok(hit.keys);
    const fetched = await this.fetchDocument(did);
    if (!fetched.ok) return fetched;
    const keys = keysFromGatekeeperDocument(did, fetched.value);
    if (keys.ok) this.cache.set(did, { keys: keys.value, until: now + (this.opts.cache_ttl_s ?? 3600) });
    return keys;
  }

  private resolveKey(did: string): Result<DidKeys, DidError> {
    const hit = this.didKeys.get(did);
    if (hit) return ok(hit);
    const r = resolveDidKey(did);
    if (r.ok) {
      if (this.didKeys.size >= 4096) this.didKeys.clear();
      this.didKeys.set(did, r.value);
    }
    return r;
  }

  /** Forget cached documents (e.g. after a revocation or key rotation notice). */
  clear(): void {
    this.cache.clear();
  }

  private async fetchDocument(did: string): Promise<Result<unknown, DidError>> {
    const base = this.opts.gatekeeperUrl;
    if (!base) return err({ kind: 'resolution_failed', did, reason: 'no gatekeeper configured' });
    try {
      const res = await fetch(`${base.replace(/\/$/, '')}/api/v1/did/${encodeURIComponent(did)}`, { signal: AbortSignal.timeout(this.opts.timeout_ms ?? 5000) });
      if (!res.ok) return err({ kind: 'resolution_failed', did, reason: `gatekeeper HTTP ${res.status}` });
      const text = await res.text();
      if (text.length > (this.opts.max_document_bytes ?? 65_536)) return err({ kind: 'resolution_failed', did, reason: 'document too large' });
      return ok(JSON.parse(text) as unknown);
    } catch (e) {
      return err({ kind: 'resolution_failed', did, reason: e instanceof Error ? e.message : String(e) });
    }
  }
}
