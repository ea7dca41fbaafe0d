/**
 * BOLT 11 invoices for simnet. Encoding (the `invoice` command): mainnet `lnbc` prefix, amount with
 * the shortest multiplier, tagged fields p (payment_hash), s (payment_secret), d (description),
 * x (expiry), c (min_final_cltv_expiry_delta, CLN default 18), 9 (features: var_onion_optin and
 * payment_secret compulsory, basic_mpp optional), signed by the node key over
 * sha256(hrp ‖ data) with a recoverable signature, bech32 without length limit. Decoding (the
 * `pay` command): the same fields from any BOLT 11 invoice, the payee recovered from the signature
 * (or taken from an `n` field that the signature must match), unknown fields skipped.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bech32 } from '@scure/base';
import { nobleScheme } from '../../core/crypto/noble-scheme.ts';
import { toHex, utf8 } from '../../core/types.ts';

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

const TAG = { p: 1, s: 16, d: 13, x: 6, c: 24, n: 19, features: 5 } as const;
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

/** A decoded invoice (amount absent for "any amount" invoices). */
export interface DecodedBolt11 {
  /** Human-readable currency prefix, e.g. `bc` (mainnet), `tb`, `bcrt`. */
  readonly currency: string;
  readonly amount_msat: number | null;
  readonly timestamp_s: number;
  readonly payment_hash: string;
  readonly payment_secret: string | null;
  readonly description: string | null;
  /** Seconds after `timestamp_s` (BOLT 11 default 3600). */
  readonly expiry_s: number;
  readonly min_final_cltv_expiry: number;
  /** 66-hex node id that signed the invoice. */
  readonly payee: string;
}

const MULTIPLIER_MSAT: Readonly<Record<string, number>> = { m: 100_000_000, u: 100_000, n: 100 };
const SIGNATURE_WORDS = 104;

function wordsToUint(words: readonly number[]): number {
  return words.reduce((n, w) => n * 32 + w, 0);
}

function parseAmount(amount: string): number | null | 'bad' {
  if (amount === '') return null;
  const m = /^([1-9]\d*)([munp]?)$/.exec(amount);
  if (!m) return 'bad';
  if (m[2] === '') return Number(m[1]) * 100_000_000_000;
  if (m[2] === 'p') return Number(m[1]) % 10 === 0 ? Number(m[1]) / 10 : 'bad';
  const msat = Number(m[1]) * MULTIPLIER_MSAT[m[2]!]!;
  return Number.isSafeInteger(msat) ? msat : 'bad';
}

/**
 * Decode and check a BOLT 11 invoice.
 * @returns the fields, or a reason string (bad bech32, bad amount, missing or malformed payment
 *   hash, bad signature).
 */
export function decodeBolt11(invoice: string): DecodedBolt11 | string {
  let prefix: string;
  let words: number[];
  try {
    ({ prefix, words } = bech32.decode(invoice.toLowerCase() as `${string}1${string}`, false));
  } catch {
    return 'Bad bech32 string';
  }
  const hrp = /^ln([a-z]+?)(\d*[munp]?)$/.exec(prefix);
  if (!hrp) return 'Bad human-readable part';
  const amount_msat = parseAmount(hrp[2]!);
  if (amount_msat === 'bad') return 'Invalid amount';
  if (words.length < 7 + SIGNATURE_WORDS) return 'Too short';
  const data = words.slice(0, -SIGNATURE_WORDS);
  const sigBytes = bech32.fromWords(words.slice(-SIGNATURE_WORDS));
  const fields: { payment_hash?: string; payment_secret?: string; description?: string; expiry_s?: number; cltv?: number; n?: string } = {};
  for (let i = 7; i < data.length; ) {
    const tag = data[i]!;
    const len = wordsToUint(data.slice(i + 1, i + 3));
    const body = data.slice(i + 3, i + 3 + len);
    if (body.length !== len) return 'Truncated field';
    i += 3 + len;
    if (tag === TAG.p && len === 52) fields.payment_hash = toHex(bech32.fromWords(body));
    else if (tag === TAG.s && len === 52) fields.payment_secret = toHex(bech32.fromWords(body));
    else if (tag === TAG.d) fields.description = new TextDecoder().decode(bech32.fromWordsUnsafe(body) ?? new Uint8Array());
    else if (tag === TAG.x) fields.expiry_s = wordsToUint(body);
    else if (tag === TAG.c) fields.cltv = wordsToUint(body);
    else if (tag === TAG.n && len === 53) fields.n = toHex(bech32.fromWords(body));
  }
  if (!fields.payment_hash) return 'No valid payment_hash';
  const recoverable = new Uint8Array(65);
  recoverable[0] = sigBytes[64]!;
  recoverable.set(sigBytes.subarray(0, 64), 1);
  const pub = recoverable[0]! <= 3 ? nobleScheme.recover(recoverable, sha256(new Uint8Array([...utf8(prefix), ...wordsToBytesPadded(data)]))) : null;
  if (!pub) return 'Bad signature';
  const payee = toHex(pub);
  if (fields.n !== undefined && fields.n !== payee) return 'Signature does not match the n field';
  return {
    currency: hrp[1]!,
    amount_msat,
    timestamp_s: wordsToUint(data.slice(0, 7)),
    payment_hash: fields.payment_hash,
    payment_secret: fields.payment_secret ?? null,
    description: fields.description ?? null,
    expiry_s: fields.expiry_s ?? 3600,
    min_final_cltv_expiry: fields.cltv ?? 18,
    payee,
  };
}
