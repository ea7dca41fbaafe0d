/**
 * BOLT 1 BigSize integers and TLV streams, the framing of the 49152/49153 management messages
 * (spec 002 §3 "Message Format"; BOLT 1 "Type-Length-Value Format" and "Appendix A: BigSize").
 *
 * Decoding enforces BOLT 1's stream rules: minimal BigSize encodings, a length that fits the
 * remaining bytes, strictly increasing types, and "it's ok to be odd": an unknown even type is an
 * error, an unknown odd type is skipped.
 */
import { err, ok, type Result } from '../result.ts';

/** Why a TLV stream did not decode (BOLT 1 reader requirements). */
export type TlvError =
  | { readonly kind: 'short_read'; readonly at: number }
  | { readonly kind: 'non_minimal_bigsize'; readonly at: number }
  | { readonly kind: 'types_not_increasing'; readonly type: bigint }
  | { readonly kind: 'unknown_even_type'; readonly type: bigint }
  | { readonly kind: 'length_too_large'; readonly type: bigint; readonly length: bigint };

/** One TLV record: `type` and raw `value` bytes. */
export interface TlvRecord {
  readonly type: bigint;
  readonly value: Uint8Array;
}

const U16_MIN = 0xfdn;
const U32_MIN = 0x10000n;
const U64_MIN = 0x100000000n;
const U64_MAX = 0xffffffffffffffffn;

/**
 * BigSize encoding of `n` (1, 3, 5 or 9 bytes, big-endian).
 * @throws RangeError when `n` is negative or above 2^64−1 (programmer error).
 */
export function encodeBigSize(n: bigint): Uint8Array {
  if (n < 0n || n > U64_MAX) throw new RangeError(`bigsize: expected 0..2^64-1, got ${n}`);
  if (n < U16_MIN) return Uint8Array.of(Number(n));
  const width = n < U32_MIN ? 2 : n < U64_MIN ? 4 : 8;
  const out = new Uint8Array(1 + width);
  out[0] = width === 2 ? 0xfd : width === 4 ? 0xfe : 0xff;
  const view = new DataView(out.buffer);
  if (width === 2) view.setUint16(1, Number(n), false);
  else if (width === 4) view.setUint32(1, Number(n), false);
  else view.setBigUint64(1, n, false);
  return out;
}

/**
 * Read one BigSize at `at`.
 * @returns the value and the offset after it; `short_read` or `non_minimal_bigsize` otherwise.
 */
export function decodeBigSize(bytes: Uint8Array, at: number): Result<{ value: bigint; next: number }, TlvError> {
  const first = bytes[at];
  if (first === undefined) return err({ kind: 'short_read', at });
  if (first < 0xfd) return ok({ value: BigInt(first), next: at + 1 });
  const width = first === 0xfd ? 2 : first === 0xfe ? 4 : 8;
  if (at + 1 + width > bytes.length) return err({ kind: 'short_read', at });
  const view = new DataView(bytes.buffer, bytes.byteOffset + at + 1, width);
  const value = width === 2 ? BigInt(view.getUint16(0, false)) : width === 4 ? BigInt(view.getUint32(0, false)) : view.getBigUint64(0, false);
  const min = width === 2 ? U16_MIN : width === 4 ? U32_MIN : U64_MIN;
  if (value < min) return err({ kind: 'non_minimal_bigsize', at });
  return ok({ value, next: at + 1 + width });
}

/**
 * Serialise records as a TLV stream.
 * @throws RangeError when the types are not strictly increasing (programmer error: a writer MUST
 *   order records by type, BOLT 1).
 */
export function encodeTlvStream(records: readonly TlvRecord[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let last = -1n;
  for (const r of records) {
    if (r.type <= last) throw new RangeError(`tlv: types must increase, ${r.type} after ${last}`);
    last = r.type;
    parts.push(encodeBigSize(r.type), encodeBigSize(BigInt(r.value.length)), r.value);
  }
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/**
 * Parse a TLV stream, keeping only records whose type is in `known`.
 * @param known the types this reader understands; unknown odd types are skipped, unknown even
 *   types fail with `unknown_even_type` (BOLT 1).
 * @returns records in stream order (types strictly increasing), or the first `TlvError`.
 */
export function decodeTlvStream(bytes: Uint8Array, known: ReadonlySet<bigint>): Result<TlvRecord[], TlvError> {
  const out: TlvRecord[] = [];
  let at = 0;
  let last = -1n;
  while (at < bytes.length) {
    const t = decodeBigSize(bytes, at);
    if (!t.ok) return t;
    const l = decodeBigSize(bytes, t.value.next);
    if (!l.ok) return l;
    const type = t.value.value;
    const length = l.value.value;
    if (type <= last) return err({ kind: 'types_not_increasing', type });
    if (length > BigInt(bytes.length - l.value.next)) return err({ kind: 'length_too_large', type, length });
    const start = l.value.next;
    const end = start + Number(length);
    if (known.has(type)) out.push({ type, value: bytes.slice(start, end) });
    else if (type % 2n === 0n) return err({ kind: 'unknown_even_type', type });
    last = type;
    at = end;
  }
  return ok(out);
}
