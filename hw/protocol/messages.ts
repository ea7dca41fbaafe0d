/**
 * The CBOR request/response maps of INFO, GET_PUBKEY and SIGN (hw/PROTOCOL.md §3), as zod schemas,
 * and the deterministic codec both ends use: cbor2 with CBOR Common Deterministic Encoding
 * (draft-ietf-cbor-cde) for encoding and strict CDE checks when decoding. Decoding never throws:
 * garbage → `GarbageCbor`, a well-formed map of the wrong shape → `SchemaMismatch`.
 */
import { decode, encode } from 'cbor2';
import { z } from 'zod';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { REQUEST_NONCE_BYTES } from '../framing/constants.ts';
import type { FramingError } from '../framing/errors.ts';

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;
const bytes = (n: number) => z.instanceof(Uint8Array).refine((b) => b.length === n, `must be ${n} bytes`);
const text = (maxBytes: number) => z.string().refine((s) => utf8Bytes(s) <= maxBytes, `at most ${maxBytes} UTF-8 bytes`);
const nonce = bytes(REQUEST_NONCE_BYTES);
const uint = z.number().int().nonnegative();

/** Summary limits (PROTOCOL.md §3.3). */
export const SUMMARY_LIMITS = { title_bytes: 96, fields: 8, key_bytes: 24, value_bytes: 96 } as const;

/** `status: "error"` answer (PROTOCOL.md §3.5). */
export const ErrorAnswer = z.strictObject({ nonce, status: z.literal('error'), code: uint, reason: text(256) });

/** INFO request. */
export const InfoRequest = z.strictObject({ nonce });
/** INFO response. */
export const InfoResponse = z.strictObject({
  nonce,
  model: text(64),
  firmware: text(32),
  protocol: uint,
  serial: text(64),
  timeout_s: z.number().int().min(10).max(600),
});

/** GET_PUBKEY request. */
export const PubkeyRequest = z.strictObject({ nonce, purpose: text(32) });
/** GET_PUBKEY response: the slot's compressed public key, or an error answer. */
export const PubkeyResponse = z.union([
  z.strictObject({ nonce, purpose: text(32), slot: uint, pubkey: bytes(33) }),
  ErrorAnswer,
]);

/** SIGN request (PROTOCOL.md §3.3). `text` length is checked by the device (TEXT_TOO_LONG), not here. */
export const SignRequest = z.strictObject({
  nonce,
  purpose: text(32),
  text: z.string().min(1),
  summary: z.strictObject({
    title: text(SUMMARY_LIMITS.title_bytes),
    fields: z
      .record(text(SUMMARY_LIMITS.key_bytes), text(SUMMARY_LIMITS.value_bytes))
      .refine((f) => Object.keys(f).length <= SUMMARY_LIMITS.fields, `at most ${SUMMARY_LIMITS.fields} fields`),
  }),
});

/** SIGN response, one shape per status. */
export const SignResponse = z.discriminatedUnion('status', [
  z.strictObject({ nonce, status: z.literal('approved'), signature: bytes(65), pubkey: bytes(33), slot: uint }),
  z.strictObject({ nonce, status: z.literal('rejected') }),
  z.strictObject({ nonce, status: z.literal('timeout'), after_s: uint }),
  z.strictObject({ nonce, status: z.literal('busy') }),
  z.strictObject({ nonce, status: z.literal('cancelled') }),
  ErrorAnswer,
]);

export type InfoRequest = z.infer<typeof InfoRequest>;
export type InfoResponse = z.infer<typeof InfoResponse>;
export type PubkeyRequest = z.infer<typeof PubkeyRequest>;
export type PubkeyResponse = z.infer<typeof PubkeyResponse>;
export type SignRequest = z.infer<typeof SignRequest>;
export type SignResponse = z.infer<typeof SignResponse>;
export type ErrorAnswer = z.infer<typeof ErrorAnswer>;

/** Encode a message map with CBOR Common Deterministic Encoding. */
export function encodeMessage(value: Record<string, unknown>): Uint8Array {
  return encode(value, { cde: true });
}

/**
 * Decode a CBOR message and check it against `schema`.
 * @returns the typed map, `GarbageCbor` (not CBOR, trailing bytes, non-deterministic encoding,
 *   indefinite lengths, duplicate keys) or `SchemaMismatch` (missing, extra or mistyped keys).
 */
export function decodeMessage<S extends z.ZodType>(schema: S, payload: Uint8Array): Result<z.infer<S>, FramingError> {
  let value: unknown;
  try {
    value = decode(payload, { cde: true, rejectDuplicateKeys: true, rejectUndefined: true });
  } catch (e) {
    return err({ kind: 'GarbageCbor', reason: e instanceof Error ? e.message : String(e) });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return err({ kind: 'SchemaMismatch', reason: issue ? `${issue.path.join('.') || '(map)'}: ${issue.message}` : 'invalid' });
  }
  return ok(parsed.data);
}
