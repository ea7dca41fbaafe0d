/**
 * Lightning `signmessage` / `checkmessage` format (CLN doc lightning-signmessage(7), lnd
 * `SignMessage`): zbase32 of `[31 + recid] ‖ r ‖ s` over sha256d("Lightning Signed Message:" ‖ T).
 *
 * `T` is the exact text lightningd would hash; for a canonical string build it with
 * `lightningSignedText` (clhive-protocol.md §3.1). Verification is local public-key recovery — no
 * RPC round trip, and it accepts unannounced nodes that CLN's `checkmessage` without a pubkey
 * rejects (error 1301).
 */
import { base32nopad } from '@scure/base';
import { toHex } from '../types.ts';
import { sha256, sha256Utf8 } from './sha256.ts';
import { defaultScheme } from './default-scheme.ts';
import type { SignatureScheme } from './scheme.ts';

const PREFIX = 'Lightning Signed Message:';
/** Length of a zbase32 Lightning signature: 65 bytes → 104 characters. */
export const ZBASE_SIG_LENGTH = 104;

const RFC4648 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ZBASE = 'ybndrfg8ejkmcpqxot1uwisza345h769';
const TO_Z = new Map([...RFC4648].map((c, i) => [c, ZBASE[i]!]));
/** zbase32 character code → 5-bit value, 255 for a character outside the alphabet. */
const Z_VALUE = new Uint8Array(128).fill(255);
for (let i = 0; i < ZBASE.length; i++) Z_VALUE[ZBASE.charCodeAt(i)] = i;

/**
 * z-base-32 (Zooko's alphabet, MSB-first like RFC 4648, no padding). Encoding is @scure/base's
 * audited `base32nopad` with the alphabet translated; decoding, which every inbound signature
 * pays, reads 5 bits per character straight from a table (same rules: non-zero padding bits and
 * characters outside the alphabet are refused; tests/crypto/signmessage-vectors.test.ts compares it
 * with @scure/base).
 */
export const zbase32 = {
  encode(bytes: Uint8Array): string {
    return [...base32nopad.encode(bytes)].map((c) => TO_Z.get(c)!).join('');
  },
  /** @throws Error on a character outside the alphabet, an impossible length or non-zero padding bits. */
  decode(text: string): Uint8Array {
    const out = new Uint8Array((text.length * 5) >> 3);
    let acc = 0;
    let bits = 0;
    let o = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const v = c < 128 ? Z_VALUE[c]! : 255;
      if (v === 255) throw new Error(`zbase32: bad character ${JSON.stringify(text[i])}`);
      acc = ((acc << 5) | v) & 0xfff;
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out[o++] = acc >> bits;
      }
    }
    if (bits >= 5 || (acc & ((1 << bits) - 1)) !== 0) throw new Error('zbase32: non-zero padding bits or impossible length');
    return out;
  },
};

/** sha256d("Lightning Signed Message:" ‖ utf8(text)) — the 32-byte digest Lightning signs. */
export function lightningDigest(text: string): Uint8Array {
  return sha256(sha256Utf8(PREFIX + text));
}

/**
 * Sign `text` exactly as lightningd's `signmessage` would with this secret key.
 * @param text the raw text hashed (already escaped, see `lightningSignedText`).
 * @param secretKey 32 bytes.
 * @returns 104-char zbase32 signature.
 */
export function signMessage(text: string, secretKey: Uint8Array, scheme: SignatureScheme = defaultScheme): string {
  const sig = scheme.signRecoverable(lightningDigest(text), secretKey);
  const out = new Uint8Array(65);
  out.set(sig);
  out[0] = 31 + sig[0]!;
  return zbase32.encode(out);
}

/**
 * Recover the 66-hex node id that made `zsig` over `text`.
 * @returns the compressed public key as lowercase hex, or null for a malformed/invalid signature
 *   (wrong length, bad zbase32 character, header byte outside 31..34 or 27..30, not on the curve).
 */
export function recoverSigner(text: string, zsig: string, scheme: SignatureScheme = defaultScheme): string | null {
  if (typeof zsig !== 'string' || zsig.length !== ZBASE_SIG_LENGTH) return null;
  let raw: Uint8Array;
  try {
    raw = zbase32.decode(zsig);
  } catch {
    return null;
  }
  if (raw.length !== 65) return null;
  const header = raw[0]!;
  let recid: number;
  if (header >= 31 && header <= 34) recid = header - 31;
  else if (header >= 27 && header <= 30) recid = header - 27;
  else return null;
  raw[0] = recid;
  const pub = scheme.recover(raw, lightningDigest(text));
  return pub ? toHex(pub) : null;
}

/** True when `zsig` over `text` recovers to `nodeId` (66-hex). */
export function verifyMessage(text: string, zsig: string, nodeId: string, scheme: SignatureScheme = defaultScheme): boolean {
  return recoverSigner(text, zsig, scheme) === nodeId;
}
