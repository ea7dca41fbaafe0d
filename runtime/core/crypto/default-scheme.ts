/**
 * `defaultScheme`: the signature library every Hivebox signature check uses unless a caller
 * passes another. It starts as @noble/curves — pure JS, so it exists in every `bun build --compile`
 * binary on every target — and the process replaces it once at start-up with the system
 * libsecp256k1 through `bun:ffi` where the library is installed (`services/secp256k1/select.ts`;
 * ~10× faster recovery, issue 19 §1). tiny-secp256k1 is not a candidate: its `.wasm` is not
 * embedded by `bun build --compile`. All schemes produce byte-identical RFC 6979 signatures and
 * recover the same keys (tests/crypto/signmessage-vectors.test.ts runs the vectors against each).
 */
import { curvesScheme } from './curves-scheme.ts';
import type { SignatureScheme } from './scheme.ts';

/** The scheme used when a caller does not pass one (a live binding: see `useDefaultScheme`). */
export let defaultScheme: SignatureScheme = curvesScheme;

/** Install the process-wide default scheme (start-up only). */
export function useDefaultScheme(scheme: SignatureScheme): void {
  defaultScheme = scheme;
}
