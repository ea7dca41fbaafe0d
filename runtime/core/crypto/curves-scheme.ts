/**
 * `SignatureScheme` on @noble/curves v2 (`secp256k1` from `@noble/curves/secp256k1.js`): the
 * same audited pure-JS lineage as @noble/secp256k1 with more precomputation and endomorphism-
 * accelerated multiplication. Benchmarked in tests/bench/signatures.bench.ts.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { SignatureScheme } from './scheme.ts';

/** @noble/curves implementation of {@link SignatureScheme}. */
export const curvesScheme: SignatureScheme = {
  name: '@noble/curves',
  signRecoverable(digest, secretKey) {
    return secp256k1.sign(digest, secretKey, { format: 'recovered', prehash: false });
  },
  recover(sig65, digest) {
    try {
      return secp256k1.recoverPublicKey(sig65, digest, { prehash: false });
    } catch {
      return null;
    }
  },
  verify(sig64, digest, publicKey) {
    try {
      return secp256k1.verify(sig64, digest, publicKey, { prehash: false });
    } catch {
      return false;
    }
  },
  publicKey(secretKey) {
    return secp256k1.getPublicKey(secretKey, true);
  },
};
