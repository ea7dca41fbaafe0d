/**
 * `SignatureScheme` on the system's libsecp256k1 (Debian bookworm `libsecp256k1-1`, 0.2.0, built
 * with the recovery module; the same library bitcoind and lightningd use), called through `bun:ffi`.
 * Measured ~10× @noble/curves on recovery, what every inbound signed Hive message costs
 * (tests/bench/signatures.bench.ts).
 *
 * Pointers are taken per call (typed arrays passed straight as `ptr` arguments, fresh output
 * buffers per call): caching `ptr()` of small module-level typed arrays corrupted unrelated arrays
 * after a GC in Bun 1.4.5 (issue 19). Signing passes a NULL nonce function and no extra data, so
 * nonces are plain RFC 6979 — byte-identical to the noble schemes and lightningd
 * (tests/crypto/signmessage-vectors.test.ts runs the vectors against every scheme).
 *
 * Source of the C API: libsecp256k1 `include/secp256k1.h`, `include/secp256k1_recovery.h` (v0.2.0).
 */
import { dlopen, FFIType, type Pointer } from 'bun:ffi';
import type { SignatureScheme } from '../../runtime/core/crypto/scheme.ts';

/** The soname Debian ships (`libsecp256k1-1`, both amd64 and arm64). */
export const LIBSECP256K1_SONAME = 'libsecp256k1.so.1';

/** `SECP256K1_CONTEXT_NONE` (flags type "context", no legacy sign/verify bits). */
const CONTEXT_NONE = 1;
/** `SECP256K1_EC_COMPRESSED`. */
const EC_COMPRESSED = (1 << 1) | (1 << 8);

const { ptr, i32, u32 } = { ptr: FFIType.ptr, i32: FFIType.i32, u32: FFIType.u32 };
const SYMBOLS = {
  secp256k1_context_create: { args: [u32], returns: ptr },
  secp256k1_context_randomize: { args: [ptr, ptr], returns: i32 },
  secp256k1_ec_pubkey_create: { args: [ptr, ptr, ptr], returns: i32 },
  secp256k1_ec_pubkey_parse: { args: [ptr, ptr, ptr, FFIType.u64], returns: i32 },
  secp256k1_ec_pubkey_serialize: { args: [ptr, ptr, ptr, ptr, u32], returns: i32 },
  secp256k1_ecdsa_signature_parse_compact: { args: [ptr, ptr, ptr], returns: i32 },
  secp256k1_ecdsa_verify: { args: [ptr, ptr, ptr, ptr], returns: i32 },
  secp256k1_ecdsa_recoverable_signature_parse_compact: { args: [ptr, ptr, ptr, i32], returns: i32 },
  secp256k1_ecdsa_recoverable_signature_serialize_compact: { args: [ptr, ptr, ptr, ptr], returns: i32 },
  secp256k1_ecdsa_recover: { args: [ptr, ptr, ptr, ptr], returns: i32 },
  secp256k1_ecdsa_sign_recoverable: { args: [ptr, ptr, ptr, ptr, ptr, ptr], returns: i32 },
} as const;

/**
 * Open libsecp256k1 and build the scheme.
 * @param path library name or path (default {@link LIBSECP256K1_SONAME}).
 * @param seed32 32 random bytes for `secp256k1_context_randomize` (side-channel blinding of
 *   signing; results do not depend on it), or undefined to skip.
 * @throws Error when the library or one of its symbols (e.g. the recovery module) is missing.
 */
export function openLibsecp256k1(path: string = LIBSECP256K1_SONAME, seed32?: Uint8Array): SignatureScheme {
  const { symbols: s } = dlopen(path, SYMBOLS);
  const ctx = s.secp256k1_context_create(CONTEXT_NONE) as Pointer | null;
  if (ctx === null) throw new Error('libsecp256k1: secp256k1_context_create returned NULL');
  if (seed32 !== undefined && s.secp256k1_context_randomize(ctx, seed32) !== 1) {
    throw new Error('libsecp256k1: secp256k1_context_randomize failed');
  }

  function serialize(pubkey64: Uint8Array): Uint8Array {
    const out = new Uint8Array(33);
    const len = new BigUint64Array([33n]);
    s.secp256k1_ec_pubkey_serialize(ctx, out, len, pubkey64, EC_COMPRESSED);
    return out;
  }

  return {
    name: 'libsecp256k1',
    signRecoverable(digest, secretKey) {
      const sig = new Uint8Array(65);
      if (digest.length !== 32 || secretKey.length !== 32 || s.secp256k1_ecdsa_sign_recoverable(ctx, sig, digest, secretKey, null, null) !== 1) {
        throw new Error('libsecp256k1: secret key out of range');
      }
      const out = new Uint8Array(65);
      const recid = new Int32Array(1);
      s.secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, out.subarray(1), recid, sig);
      out[0] = recid[0]!;
      return out;
    },
    recover(sig65, digest) {
      if (sig65.length !== 65 || digest.length !== 32 || sig65[0]! > 3) return null;
      const sig = new Uint8Array(65);
      if (s.secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, sig, sig65.subarray(1), sig65[0]!) !== 1) return null;
      const pubkey = new Uint8Array(64);
      if (s.secp256k1_ecdsa_recover(ctx, pubkey, sig, digest) !== 1) return null;
      return serialize(pubkey);
    },
    verify(sig64, digest, publicKey) {
      if (sig64.length !== 64 || digest.length !== 32) return false;
      const sig = new Uint8Array(64);
      const pubkey = new Uint8Array(64);
      if (s.secp256k1_ecdsa_signature_parse_compact(ctx, sig, sig64) !== 1) return false;
      if (s.secp256k1_ec_pubkey_parse(ctx, pubkey, publicKey, BigInt(publicKey.length)) !== 1) return false;
      return s.secp256k1_ecdsa_verify(ctx, sig, digest, pubkey) === 1;
    },
    publicKey(secretKey) {
      const pubkey = new Uint8Array(64);
      if (secretKey.length !== 32 || s.secp256k1_ec_pubkey_create(ctx, pubkey, secretKey) !== 1) {
        throw new Error('libsecp256k1: secret key out of range');
      }
      return serialize(pubkey);
    },
  };
}
