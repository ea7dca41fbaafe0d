/**
 * Lightning `signmessage` / `checkmessage` format (CLN doc lightning-signmessage(7), lnd
 * `SignMessage`): zbase32 of `[31 + recid] ‖ r ‖ s` over sha256d("Lightning Signed Message:" ‖ T).
 *
 * `T` is the exact text lightningd would hash; for a canonical string build it with
 * `lightningSignedText` (clhive-protocol.md §3.1). Verification is local public-key recovery — no
 * RPC round trip, and it accepts unannounced nodes that CLN's `checkmessage` without a pubkey
 * rejects (error 1301).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { base32nopad } from '@scure/base';
import { toHex, utf8 } from '../types.ts';
import { defaultScheme } from './default-scheme.ts';
import type { SignatureScheme } from './scheme.ts';

const PREFIX = utf8('Lightning Signed Message:');
/** Length of a zbase32 Lightning signature: 65 bytes → 104 characters. */
export const ZBASE_SIG_LENGTH = 104;

const RFC4648 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ZBASE = 'ybndrfg8ejkmcpqxot1uwisza345h769';
const TO_Z = new Map([...RFC4648].map((c, i) => [c, ZBASE[i]!]));
const FROM_Z = new Map([...ZBASE].map((c, i) => [c, RFC4648[i]!]));

/**
 * z-base-32 (Zooko's alphabet, MSB-first like RFC 4648, no padding): @scure/base's audited
 * `base32nopad` codec with the alphabet translated.
 */
export const zbase32 = {
  encode(bytes: Uint8Array): string {
    return [...base32nopad.encode(bytes)].map((c) => TO_Z.get(c)!).join('');
  },
  /** @throws Error on a character outside the alphabet or non-zero padding bits. */
  decode(text: string): Uint8Array {
    const mapped = [...text].map((c) => {
      const r = FROM_Z.get(c);
      if (r === undefined) throw new Error(`zbase32: bad character ${JSON.stringify(c)}`);
      return r;
    });
    return base32nopad.decode(mapped.join(''));
  },
};

/** sha256d("Lightning Signed Message:" ‖ utf8(text)) — the 32-byte digest Lightning signs. */
export function lightningDigest(text: string): Uint8Array {
  const body = utf8(text);
  const buf = new Uint8Array(PREFIX.length + body.length);
  buf.set(PREFIX, 0);
  buf.set(body, PREFIX.length);
  return sha256(sha256(buf));
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
  const sig = new Uint8Array(raw);
  sig[0] = recid;
  const pub = scheme.recover(sig, lightningDigest(text));
  return pub ? toHex(pub) : null;
}

/** True when `zsig` over `text` recovers to `nodeId` (66-hex). */
export function verifyMessage(text: string, zsig: string, nodeId: string, scheme: SignatureScheme = defaultScheme): boolean {
  return recoverSigner(text, zsig, scheme) === nodeId;
}
