/**
 * LND's channel id forms: `chan_id` is the BOLT 7 short channel id packed into a uint64
 * (block << 40 | tx << 16 | output, lnwire.ShortChannelID), sent as a decimal string (grpc-js
 * `longs: String`); CLN writes the same id as `BLOCKxTXxOUT`. Init features: LND's feature map
 * (bit → Feature) vs CLN's hex bitfield (BOLT 9, big-endian).
 */

/** `BxTxO` → LND `chan_id` (decimal uint64 string). @throws RangeError for a malformed scid (caller's programming error). */
export function chanIdOfScid(scid: string): string {
  const m = /^(\d+)x(\d+)x(\d+)$/.exec(scid);
  if (!m) throw new RangeError(`not a short channel id: ${scid}`);
  return ((BigInt(m[1]!) << 40n) | (BigInt(m[2]!) << 16n) | BigInt(m[3]!)).toString();
}

/** LND `chan_id` (decimal uint64 string) → `BxTxO`. */
export function scidOfChanId(chanId: string): string {
  const v = BigInt(chanId);
  return `${v >> 40n}x${(v >> 16n) & 0xffffffn}x${v & 0xffffn}`;
}

/** Feature bits set in a BOLT 9 hex bitfield. */
export function featureBits(hex: string): number[] {
  if (hex === '') return [];
  const v = BigInt(`0x${hex}`);
  const bits: number[] = [];
  for (let i = 0; v >> BigInt(i) !== 0n; i++) if ((v >> BigInt(i)) & 1n) bits.push(i);
  return bits;
}

/** A BOLT 9 hex bitfield (whole bytes) with `bits` set. */
export function featureHex(bits: readonly number[]): string {
  if (bits.length === 0) return '';
  const v = bits.reduce((acc, b) => acc | (1n << BigInt(b)), 0n);
  const hex = v.toString(16);
  return hex.length % 2 === 0 ? hex : `0${hex}`;
}
