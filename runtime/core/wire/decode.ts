/**
 * Decoding a custom message into a validated Hive message (spec 001 §1; clhive-protocol.md
 * §1.3): framing → envelope → spec type check → payload schema. Three outcomes, never a throw:
 * not Hive traffic (pass through), malformed Hive traffic (typed error), or a message.
 * Timestamp freshness and signatures are separate checks (freshness.ts, signing/).
 */
import { fromHex } from '../types.ts';
import { type WireError, wireError } from './errors.ts';
import { decodeEnvelope, type RawPayload } from './envelope.ts';
import { type Framing, splitFrame } from './framing.ts';
import { WIRE_LIMITS } from './limits.ts';
import { MSG_TYPES, type MsgType } from './message-types.ts';
import { type PayloadOf, validatePayload } from './schemas.ts';

/** A decoded, schema-valid Hive message of type `T`. */
export interface HiveMessageOf<T extends MsgType> {
  readonly framing: Framing;
  readonly type: T;
  /** The Hive message id (envelope `type`). */
  readonly type_id: (typeof MSG_TYPES)[T];
  /** Envelope version (1 or 2). */
  readonly version: number;
  /** Validated view: unknown and `_`-prefixed keys stripped, Python floats as numbers. */
  readonly payload: PayloadOf<T>;
  /** The payload exactly as parsed (PyFloat kept, all keys): input of signature recomputation. */
  readonly raw: RawPayload;
}

/** Any decoded Hive message, discriminated by `type`. */
export type HiveMessage = { [K in MsgType]: HiveMessageOf<K> }[MsgType];

/** What `decodeHiveMessage` found. */
export type DecodeOutcome =
  /** Not Hive traffic: the hook must answer `continue` and nothing else happens. */
  | { readonly kind: 'not_hive'; readonly reason: string }
  /** Hive traffic that breaks a rule; `type` is set once the envelope type was read. */
  | { readonly kind: 'malformed'; readonly framing: Framing | null; readonly type?: MsgType; readonly error: WireError }
  | { readonly kind: 'message'; readonly message: HiveMessage };

/**
 * Decode one custom message.
 * @param msg the whole message as the `custommsg` hook gives it (2-byte BOLT type included).
 * @returns `not_hive`, `malformed` (errors: oversize, short_read, bad_utf8, bad_json, too_deep,
 *   too_many_items, unsafe_integer, unknown_type, unsupported_version, type_mismatch,
 *   invalid_field) or `message`.
 */
export function decodeHiveMessage(msg: Uint8Array): DecodeOutcome {
  const frame = splitFrame(msg);
  if (frame.kind === 'not_hive') return frame;
  if (frame.kind === 'error') return { kind: 'malformed', framing: frame.framing, error: frame.error };
  const { framing } = frame;
  const env = decodeEnvelope(frame.body);
  if (!env.ok) return { kind: 'malformed', framing, error: env.error };
  const { type, typeId, version, payload: raw } = env.value;
  if (framing === 'spec' && frame.boltType !== typeId) {
    const detail = `BOLT type ${frame.boltType} but envelope type ${typeId}`;
    return { kind: 'malformed', framing, type, error: wireError('type_mismatch', detail, 'type') };
  }
  const payload = validatePayload(type, framing, raw);
  if (!payload.ok) return { kind: 'malformed', framing, type, error: payload.error };
  const message = { framing, type, type_id: typeId, version, payload: payload.value, raw } as HiveMessage;
  return { kind: 'message', message };
}

/**
 * Decode a custom message given as hex (`custommsg` hook `payload`, `sendcustommsg` `msg`).
 * Oversize hex is classified from its first bytes only.
 * @returns as `decodeHiveMessage`, plus `malformed`/`bad_hex` for text that is not hex.
 */
export function decodeHiveHex(hex: string): DecodeOutcome {
  const limitChars = 2 * WIRE_LIMITS.maxMessageBytes;
  const head = fromHex(hex.length > limitChars ? hex.slice(0, 12) : hex);
  if (head === null || hex.length % 2 !== 0) {
    return { kind: 'malformed', framing: null, error: wireError('bad_hex', 'input is not an even-length hex string') };
  }
  if (hex.length <= limitChars) return decodeHiveMessage(head);
  const frame = splitFrame(head);
  if (frame.kind === 'not_hive') return frame;
  const detail = `message is ${hex.length / 2} bytes, limit ${WIRE_LIMITS.maxMessageBytes}`;
  return { kind: 'malformed', framing: frame.framing, error: wireError('oversize', detail) };
}
