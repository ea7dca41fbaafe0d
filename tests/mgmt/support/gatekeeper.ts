/**
 * A local Archon gatekeeper for tests: Bun.serve on 127.0.0.1 answering `GET /api/v1/did/:did`
 * with documents in the gatekeeper's `DidCidDocument` shape (archetech/archon
 * packages/gatekeeper/src/types.ts): `didDocument.verificationMethod[].publicKeyJwk` (secp256k1).
 */
import { base64urlnopad } from '@scure/base';
import { Point } from '@noble/secp256k1';

/** A running local gatekeeper. */
export interface LocalGatekeeper {
  readonly url: string;
  /** Requests served per DID. */
  readonly hits: Map<string, number>;
  /** Publish (or replace) the key of `did`; `deactivated` marks it as in Archon. */
  register(did: string, publicKey: Uint8Array, deactivated?: boolean): void;
  stop(): Promise<void>;
}

/** Start the gatekeeper. */
export function startGatekeeper(): LocalGatekeeper {
  const docs = new Map<string, unknown>();
  const hits = new Map<string, number>();
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch(req) {
      const m = /^\/api\/v1\/did\/(.+)$/.exec(new URL(req.url).pathname);
      if (!m) return new Response('not found', { status: 404 });
      const did = decodeURIComponent(m[1]!);
      hits.set(did, (hits.get(did) ?? 0) + 1);
      const doc = docs.get(did);
      return doc ? Response.json(doc) : Response.json({ error: 'DID not found' }, { status: 404 });
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    hits,
    register(did, publicKey, deactivated = false) {
      const raw = Point.fromBytes(publicKey).toBytes(false);
      docs.set(did, {
        '@context': 'https://w3id.org/did-resolution/v1',
        didDocument: {
          '@context': ['https://www.w3.org/ns/did/v1'],
          id: did,
          verificationMethod: [
            { id: '#key-1', controller: did, type: 'EcdsaSecp256k1VerificationKey2019', publicKeyJwk: { kty: 'EC', crv: 'secp256k1', x: base64urlnopad.encode(raw.slice(1, 33)), y: base64urlnopad.encode(raw.slice(33)) } },
          ],
          authentication: ['#key-1'],
          assertionMethod: ['#key-1'],
        },
        didDocumentMetadata: { created: '2026-02-14T00:00:00Z', deactivated, confirmed: true },
        didDocumentData: {},
        didDocumentRegistration: { version: 1, type: 'agent', registry: 'hyperswarm' },
      });
    },
    stop: () => server.stop(true),
  };
}
