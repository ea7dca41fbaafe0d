/**
 * The SHA-256 every hot-path hash in the core goes through (Lightning message digests, cl-hive
 * `data_hash`/`sha256hex` strings): @noble/hashes by default, replaced once at start-up by a native
 * hasher (`services/secp256k1/select.ts` installs Bun's `CryptoHasher`, ~9× faster on short
 * inputs; issue 19 §3). The core stays sans-IO: it only calls the function it was given.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

/** A SHA-256 implementation (FIPS 180-4): of bytes, and of a string's UTF-8 encoding (lone surrogates as U+FFFD, like `TextEncoder`). */
export interface Sha256 {
  bytes(data: Uint8Array): Uint8Array;
  utf8(text: string): Uint8Array;
}

const encoder = new TextEncoder();

/** The pure-JS implementation, the default before `useSha256`. */
export const portableSha256: Sha256 = {
  bytes: nobleSha256,
  utf8: (text) => nobleSha256(encoder.encode(text)),
};

let current: Sha256 = portableSha256;

/** SHA-256 of `data` with the installed implementation. */
export function sha256(data: Uint8Array): Uint8Array {
  return current.bytes(data);
}

/** SHA-256 of the UTF-8 encoding of `text` (a native hasher reads the string without a copy). */
export function sha256Utf8(text: string): Uint8Array {
  return current.utf8(text);
}

/** Install the SHA-256 implementation (start-up only; it must be byte-identical to FIPS 180-4). */
export function useSha256(impl: Sha256): void {
  current = impl;
}
