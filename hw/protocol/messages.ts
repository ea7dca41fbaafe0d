/**
 * The CBOR request/response maps of INFO, GET_PUBKEY, SIGN and SIGN_DIGEST (hw/PROTOCOL.md §3), as zod schemas,
 * and the deterministic codec both ends use: cbor2 with CBOR Common Deterministic Encoding
 * (draft-ietf-cbor-cde) for encoding and strict CDE checks when decoding. Decoding never throws:
 * garbage → `GarbageCbor`, a well-formed map of the wrong shape → `SchemaMismatch`.
 */
import { z } from 'zod';
import { lazy } from '../../runtime/core/lazy.ts';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { REQUEST_NONCE_BYTES } from '../framing/constants.ts';
import type { FramingError } from '../framing/errors.ts';

/** The CBOR codec, loaded on the first message: an absent signer never needs it (issue 19 §4). */
const cbor = lazy(() => require('cbor2') as typeof import('cbor2'));

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;
const bytes = (n: number) => z.instanceof(Uint8Array).refine((b) => b.length === n, `must be ${n} bytes`);
const text = (maxBytes: number) => z.string().refine((s) => utf8Bytes(s) <= maxBytes, `at most ${maxBytes} UTF-8 bytes`);
const nonce = lazy(() => bytes(REQUEST_NONCE_BYTES));
const uint = lazy(() => z.number().int().nonnegative());

/** Summary limits (PROTOCOL.md §3.3). */
export const SUMMARY_LIMITS = { title_bytes: 96, fields: 8, key_bytes: 24, value_bytes: 96 } as const;

/** `status: "error"` answer (PROTOCOL.md §3.5). */
export const ErrorAnswer = lazy(() => z.strictObject({ nonce: nonce(), status: z.literal('error'), code: uint(), reason: text(256) }));

/** INFO request. */
export const InfoRequest = lazy(() => z.strictObject({ nonce: nonce() }));
/** INFO response. */
export const InfoResponse = lazy(() =>
  z.strictObject({
    nonce: nonce(),
    model: text(64),
    firmware: text(32),
    protocol: uint(),
    serial: text(64),
    timeout_s: z.number().int().min(10).max(600),
  }),
);

/** GET_PUBKEY request. */
export const PubkeyRequest = lazy(() => z.strictObject({ nonce: nonce(), purpose: text(32) }));
/** GET_PUBKEY response: the slot's compressed public key, or an error answer. */
export const PubkeyResponse = lazy(() =>
  z.union([
    z.strictObject({ nonce: nonce(), purpose: text(32), slot: uint(), pubkey: bytes(33) }),
    ErrorAnswer(),
  ]),
);

/** SIGN request (PROTOCOL.md §3.3). `text` length is checked by the device (TEXT_TOO_LONG), not here. */
export const SignRequest = lazy(() =>
  z.strictObject({
    nonce: nonce(),
    purpose: text(32),
    text: z.string().min(1),
    summary: z.strictObject({
      title: text(SUMMARY_LIMITS.title_bytes),
      fields: z
        .record(text(SUMMARY_LIMITS.key_bytes), text(SUMMARY_LIMITS.value_bytes))
        .refine((f) => Object.keys(f).length <= SUMMARY_LIMITS.fields, `at most ${SUMMARY_LIMITS.fields} fields`),
    }),
  }),
);

/** The answers SIGN and SIGN_DIGEST share besides `approved`. */
const notApproved = lazy(() =>
  [
    z.strictObject({ nonce: nonce(), status: z.literal('rejected') }),
    z.strictObject({ nonce: nonce(), status: z.literal('timeout'), after_s: uint() }),
    z.strictObject({ nonce: nonce(), status: z.literal('busy') }),
    z.strictObject({ nonce: nonce(), status: z.literal('cancelled') }),
    ErrorAnswer(),
  ] as const,
);

/** SIGN response, one shape per status. */
export const SignResponse = lazy(() =>
  z.discriminatedUnion('status', [
    z.strictObject({ nonce: nonce(), status: z.literal('approved'), signature: bytes(65), pubkey: bytes(33), slot: uint() }),
    ...notApproved(),
  ]),
);

/**
 * SIGN_DIGEST request (PROTOCOL.md §3.6): the JCS document itself, never a bare digest; no host
 * summary — the device shows only what it derives from the document. `document` length is checked
 * by the device (TEXT_TOO_LONG), `format` by the device too (FORMAT_UNSUPPORTED).
 */
export const SignDigestRequest = lazy(() =>
  z.strictObject({
    nonce: nonce(),
    purpose: text(32),
    format: text(32),
    document: z.string().min(1),
  }),
);

/** SIGN_DIGEST response: `approved` carries the SHA-256 the device computed and the 64-byte compact signature. */
export const SignDigestResponse = lazy(() =>
  z.discriminatedUnion('status', [
    z.strictObject({ nonce: nonce(), status: z.literal('approved'), digest: bytes(32), signature: bytes(64), pubkey: bytes(33), slot: uint() }),
    ...notApproved(),
  ]),
);

export type InfoRequest = z.infer<ReturnType<typeof InfoRequest>>;
export type InfoResponse = z.infer<ReturnType<typeof InfoResponse>>;
export type PubkeyRequest = z.infer<ReturnType<typeof PubkeyRequest>>;
export type PubkeyResponse = z.infer<ReturnType<typeof PubkeyResponse>>;
export type SignRequest = z.infer<ReturnType<typeof SignRequest>>;
export type SignResponse = z.infer<ReturnType<typeof SignResponse>>;
export type SignDigestRequest = z.infer<ReturnType<typeof SignDigestRequest>>;
export type SignDigestResponse = z.infer<ReturnType<typeof SignDigestResponse>>;
export type ErrorAnswer = z.infer<ReturnType<typeof ErrorAnswer>>;

/** Encode a message map with CBOR Common Deterministic Encoding. */
export function encodeMessage(value: Record<string, unknown>): Uint8Array {
  return cbor().encode(value, { cde: true });
}

/**
 * Decode a CBOR message and check it against the schema `schema` returns (one of the getters above:
 * each schema is built on its first use, not when the signer code loads; issue 19 §4).
 * @returns the typed map, `GarbageCbor` (not CBOR, trailing bytes, non-deterministic encoding,
 *   indefinite lengths, duplicate keys) or `SchemaMismatch` (missing, extra or mistyped keys).
 */
export function decodeMessage<S extends z.ZodType>(schema: () => S, payload: Uint8Array): Result<z.infer<S>, FramingError> {
  let value: unknown;
  try {
    value = cbor().decode(payload, { cde: true, rejectDuplicateKeys: true, rejectUndefined: true });
  } catch (e) {
    return err({ kind: 'GarbageCbor', reason: e instanceof Error ? e.message : String(e) });
  }
  const parsed = schema().safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return err({ kind: 'SchemaMismatch', reason: issue ? `${issue.path.join('.') || '(map)'}: ${issue.message}` : 'invalid' });
  }
  return ok(parsed.data);
}
