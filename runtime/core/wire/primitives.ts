/**
 * zod building blocks for payload schemas, one per cl-hive validation primitive
 * (clhive-protocol.md §2.2). Integers must be JSON integers (a Python float such as `1.0` is
 * refused, as `isinstance(x, int)` refuses it); float fields accept both and the validated view
 * holds a plain number. Each is built on its first use (`lazy`), as are the payload schemas made
 * of them, so loading the wire code builds no zod schema (issue 19 §4).
 */
import { z } from 'zod';
import { PyFloat } from '../canonical/python-json.ts';
import { lazy } from '../lazy.ts';
import { NODE_ID_RE } from '../types.ts';
import { FIELD_LIMITS } from './limits.ts';

/** `_valid_pubkey`: 66 lowercase hex chars starting 02/03 (a BOLT 7 node_id). */
export const pubkey = lazy(() => z.string().regex(NODE_ID_RE, 'expected a node id: 66 lowercase hex chars starting 02 or 03'));

/** 64 lowercase hex chars: a 32-byte nonce or sha256 hex digest. */
export const hex64 = lazy(() => z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex chars'));

/** `_valid_request_id` (request_id, proposal_id): 1..64 lowercase hex chars. */
export const requestId = lazy(() => z.string().regex(/^[0-9a-f]{1,64}$/, 'expected 1..64 lowercase hex chars'));

/** One or more zbase32 characters (Zooko's alphabet). */
export const ZBASE32_RE = /^[ybndrfg8ejkmcpqxot1uwisza345h769]+$/;

/** A zbase32 Lightning signature field (cl-hive: "present" = ≥ 10 chars; Hivebox caps the length). */
export const zbaseSig = lazy(() =>
  z.string().min(FIELD_LIMITS.signatureMinChars).max(FIELD_LIMITS.signatureMaxChars).regex(ZBASE32_RE, 'expected zbase32 characters'),
);

/** Free-text `reason`: 1..512 chars (`MAX_REASON_LEN`). */
export const reason = lazy(() => z.string().min(1).max(FIELD_LIMITS.reasonChars));

/** A string of at most `max` characters. */
export function text(max: number = FIELD_LIMITS.stringChars): z.ZodString {
  return z.string().max(max);
}

/** A hive id: 1..128 chars without control characters (cl-hive: `"hive_" + 16 hex`). */
export const hiveId = lazy(() =>
  z
    .string()
    .min(1)
    .max(FIELD_LIMITS.hiveIdChars)
    .regex(/^[^\u0000-\u001f\u007f]+$/, 'control characters are not allowed'),
);

/** A JSON integer ≥ 0 (Python int, not float): counts, sats, versions. */
export const count = lazy(() => z.number().int().nonnegative());

/** Unwrap a `PyFloat` to its number so float-accepting fields see one type. */
function unwrapFloat(v: unknown): unknown {
  return v instanceof PyFloat ? v.value : v;
}

/** `timestamp`: unix seconds, an int or float > 0 (cl-hive `_check_timestamp_freshness`). */
export const timestamp = lazy(() => z.preprocess(unwrapFloat, z.number().positive()));

/** Membership tier as carried in member lists (cl-hive: `member`/`neophyte`; older line `admin`). */
export const tier = lazy(() => z.enum(['admin', 'member', 'neophyte']));
