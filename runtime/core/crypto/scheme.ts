/**
 * `SignatureScheme`: the secp256k1 ECDSA operations Lightning `signmessage` needs, behind one
 * interface so the fastest measured library can be used without touching callers
 * (issue 2 §3; benchmarked in tests/bench/signatures.bench.ts).
 *
 * All digests are the 32-byte sha256d already computed by the caller (`prehash` off).
 */
export interface SignatureScheme {
  /** Library name, reported by the benchmark. */
  readonly name: string;
  /**
   * Sign a 32-byte digest with a 32-byte secret key (RFC 6979 deterministic nonce).
   * @returns 65 bytes `[recid(0..3)] ‖ r(32) ‖ s(32)` with low-s.
   */
  signRecoverable(digest: Uint8Array, secretKey: Uint8Array): Uint8Array;
  /**
   * Recover the signer from `[recid] ‖ r ‖ s` over `digest`.
   * @returns the 33-byte compressed public key, or null when the signature is invalid.
   */
  recover(sig65: Uint8Array, digest: Uint8Array): Uint8Array | null;
  /** Verify a 64-byte compact `r ‖ s` signature against a 33-byte compressed public key. */
  verify(sig64: Uint8Array, digest: Uint8Array, publicKey: Uint8Array): boolean;
  /** 33-byte compressed public key of a 32-byte secret key. */
  publicKey(secretKey: Uint8Array): Uint8Array;
}
