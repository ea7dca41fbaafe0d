/**
 * The Hive envelope `{"type": <int>, "version": <int>, "payload": {...}}` (UTF-8 JSON after the
 * magic; clhive-protocol.md §1.2–1.3). Decoding keeps Python's int/float distinction (`pyLoads`)
 * so signed payload values re-serialise byte-identically; encoding mirrors cl-hive's
 * `json.dumps(envelope, separators=(',', ':'))` (keys unsorted, `ensure_ascii` on).
 */
import { type PyJson, PyFloat, pyDumps, pyLoads } from '../canonical/python-json.ts';
import { err, ok, type Result } from '../result.ts';
import { type WireError, wireError } from './errors.ts';
import { checkJsonValue, scanJsonText } from './json-guard.ts';
import { type MsgType, msgTypeName } from './message-types.ts';

/** Envelope versions a receiver accepts (cl-hive `SUPPORTED_VERSIONS = {1, 2}`). */
export const SUPPORTED_ENVELOPE_VERSIONS = { min: 1, max: 2 } as const;
/** The envelope version Hivebox sends (cl-hive `PROTOCOL_VERSION`; §1.7: always send 1). */
export const SENT_ENVELOPE_VERSION = 1;

/** A payload object exactly as parsed (PyFloat kept), the input of signature recomputation. */
export type RawPayload = { readonly [key: string]: PyJson };

/** A parsed, not yet schema-validated envelope. */
export interface RawEnvelope {
  readonly type: MsgType;
  readonly typeId: number;
  readonly version: number;
  readonly payload: RawPayload;
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof PyFloat);
}

/**
 * Decode envelope bytes (what follows the magic).
 * @returns the envelope, or `short_read` (empty / cut off), `bad_utf8`, `too_deep`, `bad_json`,
 *   `too_many_items`, `unsafe_integer`, `invalid_field` (field `envelope`, `type` or `payload`),
 *   `unknown_type`, `unsupported_version`.
 */
export function decodeEnvelope(body: Uint8Array): Result<RawEnvelope, WireError> {
  if (body.length === 0) return err(wireError('short_read', 'no envelope after the magic'));
  let text: string;
  try {
    text = utf8Fatal.decode(body);
  } catch {
    return err(wireError('bad_utf8', 'envelope is not valid UTF-8'));
  }
  const scanned = scanJsonText(text);
  if (!scanned.ok) return scanned;
  let parsed: unknown;
  try {
    parsed = pyLoads(text, scanned.value.floatSyntax);
  } catch (e) {
    return err(wireError('bad_json', e instanceof Error ? e.message : 'envelope is not JSON'));
  }
  const checked = checkJsonValue(parsed);
  if (!checked.ok) return checked;
  if (!isPlainObject(parsed)) return err(wireError('invalid_field', 'envelope must be a JSON object', 'envelope'));
  const typeId = parsed.type;
  if (typeof typeId !== 'number' || !Number.isInteger(typeId)) {
    return err(wireError('invalid_field', 'envelope type must be an integer', 'type'));
  }
  const type = msgTypeName(typeId);
  if (type === null) return err(wireError('unknown_type', `message type ${typeId} is not a Hive type`, 'type'));
  const version = parsed.version;
  if (
    typeof version !== 'number' ||
    !Number.isInteger(version) ||
    version < SUPPORTED_ENVELOPE_VERSIONS.min ||
    version > SUPPORTED_ENVELOPE_VERSIONS.max
  ) {
    return err(wireError('unsupported_version', `envelope version ${JSON.stringify(version ?? null)} not in 1..2`, 'version'));
  }
  const payload = parsed.payload === undefined ? {} : parsed.payload;
  if (!isPlainObject(payload)) return err(wireError('invalid_field', 'payload must be a JSON object', 'payload'));
  return ok({ type, typeId, version, payload: payload as RawPayload });
}

/**
 * Serialise an envelope as cl-hive does: `{"type":…,"version":1,"payload":…}`, compact, keys in
 * that order, non-ASCII as `\uXXXX`, Python float formatting.
 * @returns UTF-8 bytes (no magic).
 */
export function encodeEnvelope(typeId: number, payload: RawPayload): Uint8Array {
  const text = pyDumps({ type: typeId, version: SENT_ENVELOPE_VERSION, payload }, { sortKeys: false });
  return new TextEncoder().encode(text);
}
