/**
 * The SHA-256 every hot-path hash in the core goes through (Lightning message digests, cl-hive
 * `data_hash`/`sha256hex` strings): @noble/hashes by default, replaced once at start-up by a native
 * hasher (`services/secp256k1/select.ts` installs Bun's `CryptoHasher`, ~9× faster on short
 * inputs; issue 19 §3). The core stays sans-IO: it only calls the function it was given.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

/** A SHA-256 implementation: any bytes in, 32 bytes out (FIPS 180-4). */
export type Sha256 = (data: Uint8Array) => Uint8Array;

let current: Sha256 = nobleSha256;

/** SHA-256 of `data` with the installed implementation. */
export function sha256(data: Uint8Array): Uint8Array {
  return current(data);
}

/** Install the SHA-256 implementation (start-up only; it must be byte-identical to FIPS 180-4). */
export function useSha256(impl: Sha256): void {
  current = impl;
}

/** The pure-JS implementation, the default before `useSha256`. */
export const portableSha256: Sha256 = nobleSha256;
