/**
 * Encoding a Hive message for `sendcustommsg` in a chosen framing (spec 001 §1.1; cl-hive
 * `protocol.serialize`). The payload is validated against the same schema a receiver uses, so
 * Hivebox never sends what it would itself reject; the whole message must fit 65,535 bytes.
 */
import type { PyJson } from '../canonical/python-json.ts';
import { err, ok, type Result } from '../result.ts';
import { type WireError, wireError } from './errors.ts';
import { encodeEnvelope, type RawPayload } from './envelope.ts';
import { type Framing, joinFrame } from './framing.ts';
import { WIRE_LIMITS } from './limits.ts';
import { MSG_TYPES, type MsgType } from './message-types.ts';
import { validatePayload } from './schemas.ts';

/** A payload to send: JSON values, `PyFloat` for Python floats; `undefined` keys are omitted. */
export type PayloadInput = { readonly [key: string]: PyJson | undefined };

/**
 * Encode `payload` as a Hive message of `type`.
 * @returns the full custom message bytes (BOLT type included) for `sendcustommsg`, or
 *   `invalid_field` (payload fails the schema) / `oversize` (over 65,535 bytes).
 */
export function encodeHiveMessage(type: MsgType, payload: PayloadInput, framing: Framing): Result<Uint8Array, WireError> {
  const checked = validatePayload(type, framing, payload);
  if (!checked.ok) return checked;
  const typeId = MSG_TYPES[type];
  const bytes = joinFrame(framing, typeId, encodeEnvelope(typeId, payload as RawPayload));
  if (bytes.length > WIRE_LIMITS.maxMessageBytes) {
    return err(wireError('oversize', `message would be ${bytes.length} bytes, limit ${WIRE_LIMITS.maxMessageBytes}`));
  }
  return ok(bytes);
}
