/**
 * The codec's typed errors: a closed union naming the broken rule and the field (style-anchors.md
 * "Errors", cf. LDK `DecodeError`). Every malformed input yields one of these as a returned value;
 * nothing throws past the codec.
 */

/** Which rule a message broke. */
export type WireErrorKind =
  /** The CLI/daemon input was not an even-length hex string. */
  | 'bad_hex'
  /** Whole message over 65,535 bytes (checked before parsing). */
  | 'oversize'
  /** The Hive magic is present but the envelope is missing or cut off mid-JSON. */
  | 'short_read'
  /** Envelope bytes are not valid UTF-8. */
  | 'bad_utf8'
  /** Envelope is not JSON. */
  | 'bad_json'
  /** JSON nested deeper than `WIRE_LIMITS.maxJsonDepth`. */
  | 'too_deep'
  /** An array or object with more items than `WIRE_LIMITS` allows. */
  | 'too_many_items'
  /** An integer literal above Number.MAX_SAFE_INTEGER (would lose precision). */
  | 'unsafe_integer'
  /** `type` is not a known Hive message id. */
  | 'unknown_type'
  /** Spec framing: the BOLT type differs from the envelope `type`. */
  | 'type_mismatch'
  /** Envelope `version` outside 1..2 (or missing). */
  | 'unsupported_version'
  /** Envelope or payload field fails its schema (type, format, cap, cross-field rule). */
  | 'invalid_field'
  /** `timestamp` older than the type's max age. */
  | 'stale_timestamp'
  /** `timestamp` more than the allowed clock skew in the future. */
  | 'future_timestamp';

/** One codec error. `field` is a dotted path into the envelope/payload when the rule is about a field. */
export interface WireError {
  readonly kind: WireErrorKind;
  readonly field?: string;
  readonly detail: string;
}

/** Build a `WireError` (omits `field` when undefined so errors compare and print cleanly). */
export function wireError(kind: WireErrorKind, detail: string, field?: string): WireError {
  return field === undefined ? { kind, detail } : { kind, field, detail };
}
