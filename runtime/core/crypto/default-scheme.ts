/**
 * `defaultScheme`: the signature library every Hivebox signature check uses unless a caller
 * passes another. It starts as @noble/curves — pure JS, so it exists in every `bun build --compile`
 * binary on every target — and the process replaces it once at start-up with the system
 * libsecp256k1 through `bun:ffi` where the library is installed (`services/secp256k1/select.ts`;
 * ~10× faster recovery, issue 19 §1). tiny-secp256k1 is not a candidate: its `.wasm` is not
 * embedded by `bun build --compile`. All schemes produce byte-identical RFC 6979 signatures and
 * recover the same keys (tests/crypto/signmessage-vectors.test.ts runs the vectors against each).
 */
import { lazy } from '../lazy.ts';
import type { SignatureScheme } from './scheme.ts';

/**
 * @noble/curves' scheme, loaded on its first use: a process that installs libsecp256k1 before it
 * signs or checks anything never evaluates the pure-JS curve (~4 ms of every `hivebox` start;
 * issue 19 §4).
 */
const curves = lazy(() => (require('./curves-scheme.ts') as typeof import('./curves-scheme.ts')).curvesScheme);

/** The pure-JS scheme, the default until start-up installs another: each call goes to @noble/curves. */
const pureJsScheme: SignatureScheme = {
  name: '@noble/curves',
  signRecoverable: (digest, secretKey) => curves().signRecoverable(digest, secretKey),
  recover: (sig65, digest) => curves().recover(sig65, digest),
  verify: (sig64, digest, publicKey) => curves().verify(sig64, digest, publicKey),
  publicKey: (secretKey) => curves().publicKey(secretKey),
};

/** The scheme used when a caller does not pass one (a live binding: see `useDefaultScheme`). */
export let defaultScheme: SignatureScheme = pureJsScheme;

/** Install the process-wide default scheme (start-up only). */
export function useDefaultScheme(scheme: SignatureScheme): void {
  defaultScheme = scheme;
}
