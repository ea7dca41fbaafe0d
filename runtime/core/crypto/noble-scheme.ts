/**
 * `SignatureScheme` on @noble/secp256k1 v3 (the user's choice): pure JS, audited, portable to
 * every Bun target. noble v3 needs its sync hash hooks set once (bun-platform-probe.md §2).
 */
import * as secp from '@noble/secp256k1';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { SignatureScheme } from './scheme.ts';

secp.hashes.sha256 = sha256;
secp.hashes.hmacSha256 = (key: Uint8Array, msg: Uint8Array) => hmac(sha256, key, msg);

/** @noble/secp256k1 implementation of {@link SignatureScheme}. */
export const nobleScheme: SignatureScheme = {
  name: '@noble/secp256k1',
  signRecoverable(digest, secretKey) {
    return secp.sign(digest, secretKey, { format: 'recovered', prehash: false });
  },
  recover(sig65, digest) {
    try {
      return secp.recoverPublicKey(sig65, digest, { prehash: false });
    } catch {
      return null;
    }
  },
  verify(sig64, digest, publicKey) {
    try {
      return secp.verify(sig64, digest, publicKey, { prehash: false });
    } catch {
      return false;
    }
  },
  publicKey(secretKey) {
    return secp.getPublicKey(secretKey, true);
  },
};
