/**
 * `defaultScheme`: the signature library every Hivebox signature check uses unless a caller
 * passes another (issue 2 §3). Chosen once at module load by measured speed
 * (tests/bench/signatures.bench.ts under Bun 1.4.5: tiny-secp256k1 recovers ~2× faster than
 * @noble/curves and ~3× faster than @noble/secp256k1):
 *
 * 1. tiny-secp256k1 (WASM libsecp256k1) when its `.wasm` file can be loaded — a checkout or an
 *    installed tree;
 * 2. otherwise @noble/secp256k1, the portable default (a `bun build --compile` binary does not
 *    embed tiny-secp256k1's `.wasm`, whose import then fails; checked).
 *
 * All schemes produce byte-identical RFC 6979 signatures (tests/crypto/schemes.test.ts).
 */
import { nobleScheme } from './noble-scheme.ts';
import type { SignatureScheme } from './scheme.ts';

/**
 * Loaded with a synchronous `require`, not a top-level `await import()`: a top-level await makes
 * this module async, and `bun build --compile` (1.4.5) then emits a bundle that dies at start with
 * `ReferenceError: __promiseAll is not defined` (oven-sh/bun PR #42046, an unwrapped module that
 * awaits two async ESM wrappers: lnsign.ts and signed-parts.ts both import this file).
 */
function fastestLoadable(): SignatureScheme {
  try {
    return (require('./tiny-secp-scheme.ts') as typeof import('./tiny-secp-scheme.ts')).tinySecpScheme;
  } catch {
    return nobleScheme;
  }
}

/** The fastest scheme that loads in this process (see file header). */
export const defaultScheme: SignatureScheme = fastestLoadable();
