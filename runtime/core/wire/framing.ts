/**
 * The two framings of a Hive message inside a BOLT 1 custom message (spec 001 §1.1;
 * clhive-protocol.md §1.1, §15 item 1):
 *
 * - **spec**: BOLT type = the Hive message id (odd, 32769–33000), body = magic `HIVE` + envelope.
 *   `[type u16be][0x48495645][UTF-8 JSON envelope]`
 * - **clhive** (what the live cl-hive fleet sends): the message starts with the magic, so the BOLT
 *   type reads 0x4849 = 18505 ("HI") and the body starts "VE". `[0x48495645][UTF-8 JSON envelope]`
 *
 * Input is the whole custom message as CLN's `custommsg` hook gives it (2-byte type included).
 * Anything without the magic in either position is not Hive traffic and must pass through
 * (the hook answers `{"result":"continue"}`; lightningd also delivers e.g. type 7 peer_storage).
 */
import { type WireError, wireError } from './errors.ts';
import { WIRE_LIMITS } from './limits.ts';

/** Lowest and highest Hive message id (spec 001 §1: "32769 - 33000", odd). */
export const HIVE_TYPE_RANGE = { min: 32_769, max: 33_000 } as const;

/** True when `id` is odd and in the Hive range (a possible spec-framing BOLT type). */
export function isHiveTypeId(id: number): boolean {
  return id % 2 === 1 && id >= HIVE_TYPE_RANGE.min && id <= HIVE_TYPE_RANGE.max;
}

/** Which framing a Hive message uses on the wire. */
export type Framing = 'spec' | 'clhive';

/** The 4-byte magic `HIVE` = 0x48495645 (spec 001 §1.1). */
export const HIVE_MAGIC: Uint8Array = Uint8Array.of(0x48, 0x49, 0x56, 0x45);

/** BOLT type every cl-hive message reads as: the first two magic bytes, 0x4849 = 18505. */
export const CLHIVE_BOLT_TYPE = 0x4849;

/** Result of looking at a custom message's first bytes. */
export type FrameSplit =
  /** Not Hive traffic: hand it on untouched. `reason` is for logs. */
  | { readonly kind: 'not_hive'; readonly reason: string }
  /** Hive traffic that already breaks a framing rule (oversize). */
  | { readonly kind: 'error'; readonly framing: Framing; readonly error: WireError }
  /** Hive traffic: `body` is the envelope bytes after the magic; `boltType` the message's u16 type. */
  | { readonly kind: 'hive'; readonly framing: Framing; readonly boltType: number; readonly body: Uint8Array };

function hasMagicAt(msg: Uint8Array, at: number): boolean {
  if (msg.length < at + 4) return false;
  for (let i = 0; i < 4; i++) if (msg[at + i] !== HIVE_MAGIC[i]) return false;
  return true;
}

/**
 * The Hive framing of a custom message by its first six bytes: `clhive` (magic at byte 0), `spec`
 * (an odd Hive type 32769–33000, then the magic), or null (not Hive-framed).
 */
export function hiveFramingOf(msg: Uint8Array): Framing | null {
  if (hasMagicAt(msg, 0)) return 'clhive';
  if (msg.length >= 6 && isHiveTypeId((msg[0]! << 8) | msg[1]!) && hasMagicAt(msg, 2)) return 'spec';
  return null;
}

/**
 * Strip the framing of a custom message (traffic.ts classifies it; this is the decoder's step). Peeks at most 6 bytes before the size check,
 * so an oversize message is refused before anything is parsed.
 * @param msg whole custom message, 2-byte BOLT type included.
 * @returns `not_hive` (pass through), `error` (`oversize`), or `hive` with the envelope bytes.
 */
export function splitFrame(msg: Uint8Array): FrameSplit {
  if (msg.length < 4) return { kind: 'not_hive', reason: `message of ${msg.length} bytes is shorter than the magic` };
  const boltType = (msg[0]! << 8) | msg[1]!;
  const framing = hiveFramingOf(msg);
  if (framing === null) return { kind: 'not_hive', reason: `BOLT type ${boltType} without the HIVE magic` };
  const bodyAt = framing === 'clhive' ? 4 : 6;
  if (msg.length > WIRE_LIMITS.maxMessageBytes) {
    const detail = `message is ${msg.length} bytes, limit ${WIRE_LIMITS.maxMessageBytes}`;
    return { kind: 'error', framing, error: wireError('oversize', detail) };
  }
  return { kind: 'hive', framing, boltType, body: msg.subarray(bodyAt) };
}

/**
 * Frame envelope bytes for `sendcustommsg` (whose `msg` includes the BOLT type).
 * @param typeId the Hive message id; used as BOLT type in spec framing, ignored in clhive framing.
 * @returns the full custom message bytes (size is checked by the encoder, not here).
 */
export function joinFrame(framing: Framing, typeId: number, envelope: Uint8Array): Uint8Array {
  const head = framing === 'spec' ? 6 : 4;
  const out = new Uint8Array(head + envelope.length);
  if (framing === 'spec') {
    out[0] = typeId >> 8;
    out[1] = typeId & 0xff;
  }
  out.set(HIVE_MAGIC, head - 4);
  out.set(envelope, head);
  return out;
}
