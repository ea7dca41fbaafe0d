/**
 * Uniform draws from a tick's injected entropy (the core never reads a random source itself):
 * sha256(entropy ‖ label), first 4 bytes as a fraction. Distinct labels give independent draws
 * from the same tick's bytes.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from '../types.ts';

/**
 * A value in [0, 1) derived from `entropy` (≥ 16 random bytes from the driver) and `label`.
 * Deterministic: the same bytes and label give the same value.
 */
export function uniformOf(entropy: Uint8Array, label: string): number {
  const l = utf8(label);
  const buf = new Uint8Array(entropy.length + l.length);
  buf.set(entropy);
  buf.set(l, entropy.length);
  const d = sha256(buf);
  return new DataView(d.buffer, d.byteOffset, 4).getUint32(0) / 0x1_0000_0000;
}
