/**
 * `SignatureScheme` on tiny-secp256k1 v2: bitcoin-core's libsecp256k1 compiled to WebAssembly.
 *
 * Loading it reads `secp256k1.wasm` from node_modules (the package does `readFileSync` at import),
 * so no other core module imports this file: the daemon may pick it at start-up, the core itself
 * stays sans-IO. Signing passes no extra entropy, so nonces are plain RFC 6979 (deterministic,
 * byte-identical to the noble schemes and lightningd).
 */
import * as tiny from 'tiny-secp256k1';
import type { SignatureScheme } from './scheme.ts';

/** tiny-secp256k1 (WASM libsecp256k1) implementation of {@link SignatureScheme}. */
export const tinySecpScheme: SignatureScheme = {
  name: 'tiny-secp256k1',
  signRecoverable(digest, secretKey) {
    const { signature, recoveryId } = tiny.signRecoverable(digest, secretKey);
    const out = new Uint8Array(65);
    out[0] = recoveryId;
    out.set(signature, 1);
    return out;
  },
  recover(sig65, digest) {
    const recid = sig65[0]!;
    if (sig65.length !== 65 || recid > 3) return null;
    try {
      return tiny.recover(digest, sig65.subarray(1), recid as 0 | 1 | 2 | 3, true);
    } catch {
      return null;
    }
  },
  verify(sig64, digest, publicKey) {
    try {
      return tiny.verify(digest, publicKey, sig64, true);
    } catch {
      return false;
    }
  },
  publicKey(secretKey) {
    const pub = tiny.pointFromScalar(secretKey, true);
    if (pub === null) throw new Error('tiny-secp256k1: secret key out of range');
    return pub;
  },
};
