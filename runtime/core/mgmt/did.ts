/**
 * DIDs for management identities (spec 002 §1 "Identity Layer"): `did:key` for secp256k1 keys
 * (offline, the default) and the key material of a resolved `did:cid` (Archon) document.
 *
 * `did:key`: `did:key:z` + base58btc(multicodec varint 0xe7 0x01 ‖ 33-byte compressed key)
 * (W3C CCG did:key method; multicodec table `secp256k1-pub`). Archon documents list
 * `verificationMethod[].publicKeyJwk {kty:'EC', crv:'secp256k1', x, y}` (base64url coordinates,
 * archetech/archon packages/gatekeeper/src/types.ts `DidCidDocument`).
 */
import { Point } from '@noble/secp256k1';
import { base58, base64urlnopad } from '@scure/base';
import { nobleScheme } from '../crypto/noble-scheme.ts';
import { err, ok, type Result } from '../result.ts';

/** The public keys a DID controls, as resolved. */
export interface DidKeys {
  readonly did: string;
  /** Verification methods: absolute id (`did#fragment`) and 33-byte compressed key. */
  readonly keys: readonly { readonly id: string; readonly public_key: Uint8Array }[];
}

/** Why a DID or its document did not yield keys. */
export type DidError =
  | { readonly kind: 'unsupported_method'; readonly did: string }
  | { readonly kind: 'malformed_did'; readonly did: string; readonly reason: string }
  | { readonly kind: 'malformed_document'; readonly did: string; readonly reason: string }
  | { readonly kind: 'deactivated'; readonly did: string }
  | { readonly kind: 'resolution_failed'; readonly did: string; readonly reason: string };

const SECP256K1_PUB = Uint8Array.of(0xe7, 0x01);
const DID_CID_RE = /^did:cid:[a-z2-7]{20,100}$/;

/**
 * `did:key` of a 33-byte compressed secp256k1 public key.
 * @throws RangeError when `publicKey` is not 33 bytes starting 02/03 (programmer error).
 */
export function didKeyFromPublicKey(publicKey: Uint8Array): string {
  if (publicKey.length !== 33 || (publicKey[0] !== 2 && publicKey[0] !== 3)) throw new RangeError('did:key needs a 33-byte compressed secp256k1 key');
  const body = new Uint8Array(35);
  body.set(SECP256K1_PUB);
  body.set(publicKey, 2);
  return `did:key:z${base58.encode(body)}`;
}

/**
 * The single key of a secp256k1 `did:key`; its verification method id is `did#z…`.
 * @returns `malformed_did` for bad base58, a non-secp256k1 multicodec or an off-curve key.
 */
export function resolveDidKey(did: string): Result<DidKeys, DidError> {
  if (!did.startsWith('did:key:z')) return err({ kind: 'malformed_did', did, reason: 'expected did:key:z…' });
  const mb = did.slice('did:key:'.length);
  let body: Uint8Array;
  try {
    body = base58.decode(mb.slice(1));
  } catch {
    return err({ kind: 'malformed_did', did, reason: 'bad base58btc' });
  }
  if (body.length !== 35 || body[0] !== SECP256K1_PUB[0] || body[1] !== SECP256K1_PUB[1]) {
    return err({ kind: 'malformed_did', did, reason: 'not a secp256k1-pub multicodec key' });
  }
  const public_key = body.slice(2);
  if (!isOnCurve(public_key)) return err({ kind: 'malformed_did', did, reason: 'key not on secp256k1' });
  return ok({ did, keys: [{ id: `${did}#${mb}`, public_key }] });
}

function isOnCurve(key: Uint8Array): boolean {
  if (key.length !== 33 || (key[0] !== 2 && key[0] !== 3)) return false;
  try {
    Point.fromBytes(key);
    return true;
  } catch {
    return false;
  }
}

/** DID method of `did`: `key`, `cid`, or null when it is not a DID this node can resolve. */
export function didMethod(did: string): 'key' | 'cid' | null {
  if (did.startsWith('did:key:')) return 'key';
  if (DID_CID_RE.test(did)) return 'cid';
  return null;
}

function jwkToCompressed(jwk: unknown): Uint8Array | null {
  if (typeof jwk !== 'object' || jwk === null) return null;
  const { kty, crv, x, y } = jwk as Record<string, unknown>;
  if (kty !== 'EC' || crv !== 'secp256k1' || typeof x !== 'string' || typeof y !== 'string') return null;
  try {
    const xb = base64urlnopad.decode(x);
    const yb = base64urlnopad.decode(y);
    if (xb.length !== 32 || yb.length !== 32) return null;
    const out = new Uint8Array(33);
    out[0] = yb[31]! % 2 === 0 ? 2 : 3;
    out.set(xb, 1);
    return isOnCurve(out) ? out : null;
  } catch {
    return null;
  }
}

/**
 * Keys of a gatekeeper `GET /api/v1/did/:did` response (`DidCidDocument`).
 * @param did the DID that was asked for; the document's `didDocument.id` must equal it.
 * @returns `deactivated` when `didDocumentMetadata.deactivated` is true, `malformed_document`
 *   when there is no secp256k1 JWK verification method.
 */
export function keysFromGatekeeperDocument(did: string, doc: unknown): Result<DidKeys, DidError> {
  if (typeof doc !== 'object' || doc === null) return err({ kind: 'malformed_document', did, reason: 'not an object' });
  const d = doc as { didDocument?: { id?: unknown; verificationMethod?: unknown }; didDocumentMetadata?: { deactivated?: unknown } };
  if (d.didDocumentMetadata?.deactivated === true) return err({ kind: 'deactivated', did });
  if (d.didDocument?.id !== did) return err({ kind: 'malformed_document', did, reason: 'didDocument.id does not match' });
  const vms = d.didDocument.verificationMethod;
  if (!Array.isArray(vms)) return err({ kind: 'malformed_document', did, reason: 'no verificationMethod' });
  const keys: { id: string; public_key: Uint8Array }[] = [];
  for (const vm of vms) {
    if (typeof vm !== 'object' || vm === null) continue;
    const { id, publicKeyJwk } = vm as { id?: unknown; publicKeyJwk?: unknown };
    const key = jwkToCompressed(publicKeyJwk);
    if (key === null || typeof id !== 'string') continue;
    keys.push({ id: id.startsWith('#') ? `${did}${id}` : id, public_key: key });
  }
  if (keys.length === 0) return err({ kind: 'malformed_document', did, reason: 'no secp256k1 JWK key' });
  return ok({ did, keys });
}

/**
 * True when the 64-byte compact `signature` over `digest` verifies against one of `keys`
 * (optionally only the method named `methodId`).
 */
export function verifyWithDidKeys(keys: DidKeys, digest: Uint8Array, signature: Uint8Array, methodId?: string): boolean {
  if (signature.length !== 64) return false;
  return keys.keys.some((k) => (methodId === undefined || k.id === methodId) && nobleScheme.verify(signature, digest, k.public_key));
}
