/**
 * Archon-form document proofs (ecosystem.md §E "Archon / did:cid"): `proof {type:
 * "EcdsaSecp256k1Signature2019", created, verificationMethod, proofPurpose, proofValue}` where
 * proofValue is base64url(64-byte compact secp256k1 ECDSA over sha256(RFC 8785 JCS of the
 * document without `proof`)). Used for management credentials, revocations and reputation
 * credentials. This is not the JSON-LD signature suite of the same name.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { base64urlnopad } from '@scure/base';
import canonicalize from 'canonicalize';
import { utf8 } from '../types.ts';
import { verifyWithDidKeys, type DidKeys } from './did.ts';

/** The proof object attached to a signed document. */
export interface DocumentProof {
  readonly type: 'EcdsaSecp256k1Signature2019';
  /** ISO 8601 UTC. */
  readonly created: string;
  /** `did#key` of the signing key. */
  readonly verificationMethod: string;
  readonly proofPurpose: 'assertionMethod';
  /** base64url (no padding) of the 64-byte compact signature. */
  readonly proofValue: string;
}

/** RFC 8785 canonical JSON of `doc` (the `canonicalize` package). @throws TypeError for non-JSON input. */
export function jcs(doc: unknown): string {
  const s = canonicalize(doc);
  if (s === undefined) throw new TypeError('jcs: value has no JSON form');
  return s;
}

/** JCS(doc without `proof`): the text a proof covers (a signer with a display shows it). */
export function documentText(doc: Readonly<Record<string, unknown>>): string {
  const { proof: _proof, ...rest } = doc;
  return jcs(rest);
}

/** sha256(JCS(doc without `proof`)): the 32 bytes a proof signs. */
export function documentDigest(doc: Readonly<Record<string, unknown>>): Uint8Array {
  return sha256(utf8(documentText(doc)));
}

/** `doc` with an Archon-form proof made of `signature` (64 bytes compact). */
export function attachProof<T extends Record<string, unknown>>(doc: T, signature: Uint8Array, verificationMethod: string, createdIso: string): T & { proof: DocumentProof } {
  return {
    ...doc,
    proof: {
      type: 'EcdsaSecp256k1Signature2019',
      created: createdIso,
      verificationMethod,
      proofPurpose: 'assertionMethod',
      proofValue: base64urlnopad.encode(signature),
    },
  };
}

/**
 * True when `doc.proof` is an Archon-form proof by one of `signerKeys` over the rest of `doc`, and
 * its `verificationMethod` belongs to the signer's DID.
 */
export function verifyDocumentProof(doc: Readonly<Record<string, unknown>>, signerKeys: DidKeys): boolean {
  const proof = doc.proof as Partial<DocumentProof> | undefined;
  if (typeof proof !== 'object' || proof === null) return false;
  if (proof.type !== 'EcdsaSecp256k1Signature2019' || typeof proof.proofValue !== 'string' || typeof proof.verificationMethod !== 'string') return false;
  if (!proof.verificationMethod.startsWith(`${signerKeys.did}#`)) return false;
  let sig: Uint8Array;
  try {
    sig = base64urlnopad.decode(proof.proofValue);
  } catch {
    return false;
  }
  return verifyWithDidKeys(signerKeys, documentDigest(doc), sig, proof.verificationMethod);
}
