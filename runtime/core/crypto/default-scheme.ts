/**
 * `defaultScheme`: the signature library every Hivebox signature check uses unless a caller
 * passes another (issue 2 §3). Measured under Bun 1.4.5 (tests/bench/signatures.bench.ts):
 * tiny-secp256k1 (WASM libsecp256k1) is fastest, @noble/curves second (recover ~1.6× faster than
 * @noble/secp256k1), @noble/secp256k1 third.
 *
 * The default is @noble/curves: pure JS, so it is embedded in every `bun build --compile`
 * binary (x64 and arm64) and behaves identically on every target. tiny-secp256k1 is not the
 * default because its `.wasm` is not embedded by `bun build --compile`, and loading it lazily
 * needs a top-level await that Bun 1.4.5's bundler mis-compiles (`__promiseAll is not defined`
 * in the compiled binary). @noble/secp256k1 (the user's choice) remains the portable reference
 * scheme; all three produce byte-identical RFC 6979 signatures (tests/crypto/schemes.test.ts).
 */
import { curvesScheme } from './curves-scheme.ts';
import type { SignatureScheme } from './scheme.ts';

/** The scheme used when a caller does not pass one (see file header for why). */
export const defaultScheme: SignatureScheme = curvesScheme;
