/**
 * Start-up choice of the crypto backend (issue 19 §1, §3): the system libsecp256k1 through
 * `bun:ffi` and Bun's native SHA-256 (`Bun.CryptoHasher`) when the library is installed, otherwise
 * the pure-JS @noble/curves and @noble/hashes already in place — with one log line saying so.
 * Called once by every `hivebox` command before it does any work (runtime/cli/main.ts).
 */
import { useDefaultScheme } from '../../runtime/core/crypto/default-scheme.ts';
import type { SignatureScheme } from '../../runtime/core/crypto/scheme.ts';
import { type Sha256, useSha256 } from '../../runtime/core/crypto/sha256.ts';
import { LIBSECP256K1_SONAME, openLibsecp256k1 } from './libsecp256k1.ts';

/** What `selectCrypto` installed. */
export interface CryptoSelection {
  /** `libsecp256k1` or `@noble/curves`. */
  readonly scheme: string;
  /** `bun` (native CryptoHasher) — Bun always has it. */
  readonly sha256: 'bun';
  /** Why the native library is not used, or null when it is. */
  readonly fallback_reason: string | null;
}

/** Bun's native SHA-256, one reused hasher (`digest()` resets it); strings are hashed as UTF-8 without a copy. */
export function bunSha256(): Sha256 {
  const hasher = new Bun.CryptoHasher('sha256');
  return {
    bytes: (data) => hasher.update(data).digest(),
    utf8: (text) => hasher.update(text, 'utf8').digest(),
  };
}

/** Open libsecp256k1 with a random blinding seed; throws like `openLibsecp256k1`. */
export function nativeScheme(path: string = LIBSECP256K1_SONAME): SignatureScheme {
  return openLibsecp256k1(path, crypto.getRandomValues(new Uint8Array(32)));
}

let selected: CryptoSelection | null = null;

/**
 * Install the fastest available backend, once per process (later calls return the first result).
 * @param log receives one line when the native library is missing (the fallback is still correct,
 *   about 10× slower on signature recovery).
 * @param path libsecp256k1 to open (tests pass a missing path to exercise the fallback).
 */
export function selectCrypto(log: (line: string) => void = (l) => console.error(l), path: string = LIBSECP256K1_SONAME): CryptoSelection {
  if (selected !== null) return selected;
  useSha256(bunSha256());
  try {
    const scheme = nativeScheme(path);
    useDefaultScheme(scheme);
    selected = { scheme: scheme.name, sha256: 'bun', fallback_reason: null };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    log(`hivebox: ${path} not usable (${reason}); signatures use @noble/curves (pure JS, ~10x slower recovery). Install libsecp256k1-1.`);
    selected = { scheme: '@noble/curves', sha256: 'bun', fallback_reason: reason };
  }
  return selected;
}
