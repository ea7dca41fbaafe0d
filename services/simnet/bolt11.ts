/**
 * BOLT 11 invoice encoding for simnet's `invoice` command: mainnet `lnbc` prefix, amount with the
 * shortest multiplier, tagged fields p (payment_hash), s (payment_secret), d (description),
 * x (expiry), c (min_final_cltv_expiry_delta, CLN default 18), 9 (features: var_onion_optin and
 * payment_secret compulsory, basic_mpp optional), signed by the node key over
 * sha256(hrp ‖ data) with a recoverable signature, bech32 without length limit.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bech32 } from '@scure/base';
import { nobleScheme } from '../../runtime/core/crypto/noble-scheme.ts';
import { utf8 } from '../../runtime/core/types.ts';

/** Fields of one invoice. */
export interface Bolt11Fields {
  readonly amount_msat: number;
  readonly timestamp_s: number;
  readonly payment_hash: Uint8Array;
  readonly payment_secret: Uint8Array;
  readonly description: string;
  readonly expiry_s: number;
  readonly min_final_cltv_expiry: number;
}

const TAG = { p: 1, s: 16, d: 13, x: 6, c: 24, features: 5 } as const;
/** Feature bits 8 (var_onion_optin), 14 (payment_secret), 17 (basic_mpp). */
const FEATURE_BITS = (1n << 8n) | (1n << 14n) | (1n << 17n);

function uintWords(n: bigint, minWords = 1): number[] {
  const out: number[] = [];
  while (n > 0n || out.length < minWords) {
    out.unshift(Number(n & 31n));
    n >>= 5n;
  }
  return out;
}

function tagged(tag: number, data: number[]): number[] {
  return [tag, ...uintWords(BigInt(data.length), 2), ...data];
}

/** 5-bit words → bytes, zero-padding the last byte (BOLT 11 signature preimage). */
function wordsToBytesPadded(words: number[]): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const w of words) {
    acc = (acc << 5) | w;
    bits += 5;
    while (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  if (bits > 0) out.push((acc << (8 - bits)) & 0xff);
  return Uint8Array.from(out);
}

function amountPart(msat: number): string {
  if (msat % 100_000_000 === 0) return `${msat / 100_000_000}m`;
  if (msat % 100_000 === 0) return `${msat / 100_000}u`;
  if (msat % 100 === 0) return `${msat / 100}n`;
  return `${msat * 10}p`;
}

/** Encode and sign an invoice with the node's secret key. */
export function encodeBolt11(f: Bolt11Fields, secretKey: Uint8Array): string {
  const hrp = `lnbc${amountPart(f.amount_msat)}`;
  const data = [
    ...uintWords(BigInt(f.timestamp_s), 7),
    ...tagged(TAG.p, bech32.toWords(f.payment_hash)),
    ...tagged(TAG.s, bech32.toWords(f.payment_secret)),
    ...tagged(TAG.d, bech32.toWords(utf8(f.description))),
    ...tagged(TAG.x, uintWords(BigInt(f.expiry_s))),
    ...tagged(TAG.c, uintWords(BigInt(f.min_final_cltv_expiry))),
    ...tagged(TAG.features, uintWords(FEATURE_BITS)),
  ];
  const pre = new Uint8Array([...utf8(hrp), ...wordsToBytesPadded(data)]);
  const sig = nobleScheme.signRecoverable(sha256(pre), secretKey);
  const rsRecid = new Uint8Array(65);
  rsRecid.set(sig.slice(1), 0);
  rsRecid[64] = sig[0]!;
  return bech32.encode(hrp, [...data, ...bech32.toWords(rsRecid)], false);
}
