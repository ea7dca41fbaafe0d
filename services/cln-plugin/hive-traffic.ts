/**
 * Which custom messages are Hive traffic. Two framings carry the `HIVE` magic 0x48495645
 * (spec 001 §1.1, clhive-protocol.md §1.1):
 *  - cl-hive's: the magic is the start of the message, so the BOLT type is 0x4849 = 18505;
 *  - the spec's: an odd type in 32769…33000 whose body starts with the magic.
 * Spec 002's remote-management TLV messages 49152/49153 carry no magic; they are Hive traffic by type.
 * Everything else is foreign and left untouched (spec 001 "Receiver Behavior": pass-through).
 */

/** The 4-byte magic as hex. */
export const HIVE_MAGIC_HEX = '48495645';
/** BOLT type of cl-hive framed messages ("HI"). */
export const CLHIVE_FRAMING_TYPE = 0x4849;
/** Lowest message id of the spec's framing (spec 001 §1: odd ids 32769–33000). */
export const SPEC_TYPE_MIN = 32769;
/** Highest message id of the spec's framing (spec 001 §1). */
export const SPEC_TYPE_MAX = 33000;
/** Spec 002 management message and response types (even: must be declared in getmanifest `custommessages`). */
export const MANAGEMENT_TYPES: readonly number[] = [49152, 49153];

/** The `custommsg` hook `filters`: only these types reach the plugin (CLN v26.06 hook filters). */
export function custommsgFilters(): number[] {
  const odd: number[] = [];
  for (let t = SPEC_TYPE_MIN; t <= SPEC_TYPE_MAX; t += 2) odd.push(t);
  return [CLHIVE_FRAMING_TYPE, ...odd, ...MANAGEMENT_TYPES];
}

/** Classification of one hook payload. */
export type TrafficClass = 'hive' | 'management' | 'foreign';

/**
 * Classify a `custommsg` payload (hex including the 2-byte type, any case).
 * Too short, odd-length, non-hex or over `maxHexChars` → foreign (left to other plugins).
 */
export function classifyPayload(payloadHex: string, maxHexChars: number): TrafficClass {
  if (payloadHex.length < 4 || payloadHex.length > maxHexChars || payloadHex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(payloadHex)) return 'foreign';
  const hex = payloadHex.toLowerCase();
  if (hex.startsWith(HIVE_MAGIC_HEX)) return 'hive';
  const type = Number.parseInt(hex.slice(0, 4), 16);
  if (type >= SPEC_TYPE_MIN && type <= SPEC_TYPE_MAX && type % 2 === 1 && hex.startsWith(HIVE_MAGIC_HEX, 4)) return 'hive';
  if (MANAGEMENT_TYPES.includes(type)) return 'management';
  return 'foreign';
}
