/**
 * The management request (type 49152, 0xC000) and response (type 49153, 0xC001) custom messages:
 * TLV payloads with the fields of spec 002 §3 "Message Format", their codecs, size limits and the
 * exact bytes each signature covers.
 *
 * Bytes handed to `sendcustommsg` are `type (u16 BE) ‖ TLV stream`. Messages over 65,535 bytes
 * are rejected before any parsing (spec 002 §3 "Message Size"; BOLT 8 maximum message length).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../canonical/python-json.ts';
import { lightningSignedText } from '../canonical/signed-text.ts';
import { err, ok, type Result } from '../result.ts';
import { toHex, utf8 } from '../types.ts';
import { MGMT_REQUEST_TYPE, MGMT_RESPONSE_TYPE } from '../wire/traffic.ts';
import { decodeTlvStream, encodeTlvStream, type TlvError, type TlvRecord } from './tlv.ts';

/** Size limits, in bytes unless named otherwise. */
export const MGMT_LIMITS = {
  /** Whole message incl. the 2-byte type: the BOLT 8 maximum (spec 002 §3 "Message Size"). */
  max_message_bytes: 65_535,
  /** `schema_type`, e.g. `hive:fee-policy/v1`. */
  max_schema_type_bytes: 128,
  /** Agent's compact secp256k1 signature (r ‖ s). */
  agent_signature_bytes: 64,
  /** Node's recoverable Lightning signature (header ‖ r ‖ s, the zbase32 payload). */
  node_signature_bytes: 65,
  /** `state_hash`: sha256. */
  state_hash_bytes: 32,
} as const;

/** Request TLV types (spec 002 §3). */
export const REQUEST_TLV = { schema_type: 1n, schema_payload: 2n, credential: 3n, payment_proof: 4n, signature: 5n, nonce: 6n, timestamp: 7n } as const;
/** Response TLV types (spec 002 §3). */
export const RESPONSE_TLV = { request_nonce: 1n, status: 2n, result: 3n, state_hash: 4n, signature: 5n, receipt: 6n } as const;

/** Response status byte (spec 002 §3): 0 success, 1 rejected, 2 error. */
export type MgmtStatus = 0 | 1 | 2;

/** A decoded 49152 request. Text fields are the exact UTF-8 received (signatures cover bytes). */
export interface MgmtRequest {
  readonly schema_type: string;
  /** The command JSON text `{schema, action, params}` exactly as signed. */
  readonly schema_payload: string;
  /** The management credential (W3C VC JSON text). */
  readonly credential: string;
  /** `cashuA…`/`cashuB…` token or `L402 <macaroon>:<preimage>`; absent when the model needs none. */
  readonly payment_proof: string | null;
  /** 64-byte compact secp256k1 signature by the agent's DID key over {@link requestDigest}. */
  readonly signature: Uint8Array;
  /** u64, strictly increasing per agent DID. */
  readonly nonce: bigint;
  /** Unix seconds. */
  readonly timestamp: number;
}

/** A decoded 49153 response. */
export interface MgmtResponse {
  readonly request_nonce: bigint;
  readonly status: MgmtStatus;
  /** Result JSON text. */
  readonly result: string;
  /** sha256 of the node's management state after the command (32 bytes). */
  readonly state_hash: Uint8Array;
  /** 65-byte Lightning recoverable signature by the node key over {@link responseSignedText}. */
  readonly signature: Uint8Array;
  /** Signed receipt JSON text (see receipt.ts). */
  readonly receipt: string;
}

/** Why a management message did not decode. */
export type MgmtDecodeError =
  | { readonly kind: 'oversize'; readonly bytes: number }
  | { readonly kind: 'wrong_type'; readonly type: number }
  | { readonly kind: 'tlv'; readonly tlv: TlvError }
  | { readonly kind: 'missing_field'; readonly field: string }
  | { readonly kind: 'invalid_value'; readonly field: string; readonly reason: string };

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
const REQUEST_KNOWN = new Set<bigint>(Object.values(REQUEST_TLV));
const RESPONSE_KNOWN = new Set<bigint>(Object.values(RESPONSE_TLV));
const U64_MAX = 0xffffffffffffffffn;

function u64be(n: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n, false);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function framed(type: number, records: readonly TlvRecord[]): Uint8Array {
  const body = encodeTlvStream(records);
  const out = new Uint8Array(2 + body.length);
  out[0] = type >> 8;
  out[1] = type & 0xff;
  out.set(body, 2);
  return out;
}

/**
 * The 32-byte digest the agent signs: sha256(schema_type ‖ schema_payload ‖ nonce u64 BE ‖
 * timestamp u64 BE) (spec 002 §3 field [5], extended to nonce and timestamp by issue 9 §2).
 */
export function requestDigest(req: Pick<MgmtRequest, 'schema_type' | 'schema_payload' | 'nonce' | 'timestamp'>): Uint8Array {
  return sha256(concat([utf8(req.schema_type), utf8(req.schema_payload), u64be(req.nonce), u64be(BigInt(req.timestamp))]));
}

/**
 * The text the node signs with Lightning `signmessage` for a response: cl-hive JSON-canonical of
 * `{kind, request_nonce (decimal string), status, result_sha256, state_hash, receipt_sha256}`
 * passed through `lightningSignedText` (hex and ASCII only, so T equals S).
 */
export function responseSignedText(res: Omit<MgmtResponse, 'signature'>): string {
  return lightningSignedText(
    canonicalJson({
      kind: 'hive:mgmt-response/v1',
      request_nonce: res.request_nonce.toString(),
      status: res.status,
      result_sha256: toHex(sha256(utf8(res.result))),
      state_hash: toHex(res.state_hash),
      receipt_sha256: toHex(sha256(utf8(res.receipt))),
    }),
  );
}

/**
 * Serialise a request as custommsg bytes (type 0xC000 ‖ TLV).
 * @throws RangeError when a field is out of range (nonce above u64, signature not 64 bytes) —
 *   the caller built it wrong.
 */
export function encodeRequest(req: MgmtRequest): Uint8Array {
  if (req.signature.length !== MGMT_LIMITS.agent_signature_bytes) throw new RangeError('request signature must be 64 bytes');
  if (req.nonce < 0n || req.nonce > U64_MAX) throw new RangeError('nonce must be a u64');
  const records: TlvRecord[] = [
    { type: REQUEST_TLV.schema_type, value: utf8(req.schema_type) },
    { type: REQUEST_TLV.schema_payload, value: utf8(req.schema_payload) },
    { type: REQUEST_TLV.credential, value: utf8(req.credential) },
  ];
  if (req.payment_proof !== null) records.push({ type: REQUEST_TLV.payment_proof, value: utf8(req.payment_proof) });
  records.push(
    { type: REQUEST_TLV.signature, value: req.signature },
    { type: REQUEST_TLV.nonce, value: u64be(req.nonce) },
    { type: REQUEST_TLV.timestamp, value: u64be(BigInt(req.timestamp)) },
  );
  return framed(MGMT_REQUEST_TYPE, records);
}

/**
 * Serialise a response as custommsg bytes (type 0xC001 ‖ TLV).
 * @throws RangeError on a wrong-size state hash or signature (programmer error).
 */
export function encodeResponse(res: MgmtResponse): Uint8Array {
  if (res.state_hash.length !== MGMT_LIMITS.state_hash_bytes) throw new RangeError('state_hash must be 32 bytes');
  if (res.signature.length !== MGMT_LIMITS.node_signature_bytes) throw new RangeError('node signature must be 65 bytes');
  return framed(MGMT_RESPONSE_TYPE, [
    { type: RESPONSE_TLV.request_nonce, value: u64be(res.request_nonce) },
    { type: RESPONSE_TLV.status, value: Uint8Array.of(res.status) },
    { type: RESPONSE_TLV.result, value: utf8(res.result) },
    { type: RESPONSE_TLV.state_hash, value: res.state_hash },
    { type: RESPONSE_TLV.signature, value: res.signature },
    { type: RESPONSE_TLV.receipt, value: utf8(res.receipt) },
  ]);
}

type Fields = Map<bigint, Uint8Array>;

function unframe(bytes: Uint8Array, type: number, known: ReadonlySet<bigint>): Result<Fields, MgmtDecodeError> {
  if (bytes.length > MGMT_LIMITS.max_message_bytes) return err({ kind: 'oversize', bytes: bytes.length });
  if (bytes.length < 2) return err({ kind: 'tlv', tlv: { kind: 'short_read', at: 0 } });
  const got = (bytes[0]! << 8) | bytes[1]!;
  if (got !== type) return err({ kind: 'wrong_type', type: got });
  const records = decodeTlvStream(bytes.subarray(2), known);
  if (!records.ok) return err({ kind: 'tlv', tlv: records.error });
  return ok(new Map(records.value.map((r) => [r.type, r.value])));
}

function need(fields: Fields, type: bigint, name: string): Result<Uint8Array, MgmtDecodeError> {
  const v = fields.get(type);
  return v === undefined ? err({ kind: 'missing_field', field: name }) : ok(v);
}

function text(fields: Fields, type: bigint, name: string, maxBytes: number = MGMT_LIMITS.max_message_bytes): Result<string, MgmtDecodeError> {
  const v = need(fields, type, name);
  if (!v.ok) return v;
  if (v.value.length > maxBytes) return err({ kind: 'invalid_value', field: name, reason: `longer than ${maxBytes} bytes` });
  try {
    return ok(STRICT_UTF8.decode(v.value));
  } catch {
    return err({ kind: 'invalid_value', field: name, reason: 'not UTF-8' });
  }
}

function fixed(fields: Fields, type: bigint, name: string, size: number): Result<Uint8Array, MgmtDecodeError> {
  const v = need(fields, type, name);
  if (!v.ok) return v;
  return v.value.length === size ? v : err({ kind: 'invalid_value', field: name, reason: `expected ${size} bytes, got ${v.value.length}` });
}

function u64(fields: Fields, type: bigint, name: string): Result<bigint, MgmtDecodeError> {
  const v = fixed(fields, type, name, 8);
  return v.ok ? ok(new DataView(v.value.buffer, v.value.byteOffset, 8).getBigUint64(0, false)) : v;
}

/**
 * Decode custommsg bytes (incl. the 2-byte type) as a 49152 request.
 * Checks, in order: size ≤ 65,535 before parsing, type 0xC000, BOLT 1 TLV rules, required
 * fields [1][2][3][5][6][7], exact field sizes, strict UTF-8, timestamp within 2^53.
 * @returns the request or a {@link MgmtDecodeError}; never throws.
 */
export function decodeRequest(bytes: Uint8Array): Result<MgmtRequest, MgmtDecodeError> {
  const f = unframe(bytes, MGMT_REQUEST_TYPE, REQUEST_KNOWN);
  if (!f.ok) return f;
  const schema_type = text(f.value, REQUEST_TLV.schema_type, 'schema_type', MGMT_LIMITS.max_schema_type_bytes);
  if (!schema_type.ok) return schema_type;
  const schema_payload = text(f.value, REQUEST_TLV.schema_payload, 'schema_payload');
  if (!schema_payload.ok) return schema_payload;
  const credential = text(f.value, REQUEST_TLV.credential, 'credential');
  if (!credential.ok) return credential;
  let payment_proof: string | null = null;
  if (f.value.has(REQUEST_TLV.payment_proof)) {
    const p = text(f.value, REQUEST_TLV.payment_proof, 'payment_proof');
    if (!p.ok) return p;
    payment_proof = p.value;
  }
  const signature = fixed(f.value, REQUEST_TLV.signature, 'signature', MGMT_LIMITS.agent_signature_bytes);
  if (!signature.ok) return signature;
  const nonce = u64(f.value, REQUEST_TLV.nonce, 'nonce');
  if (!nonce.ok) return nonce;
  const timestamp = u64(f.value, REQUEST_TLV.timestamp, 'timestamp');
  if (!timestamp.ok) return timestamp;
  if (timestamp.value > BigInt(Number.MAX_SAFE_INTEGER)) return err({ kind: 'invalid_value', field: 'timestamp', reason: 'beyond 2^53' });
  return ok({
    schema_type: schema_type.value,
    schema_payload: schema_payload.value,
    credential: credential.value,
    payment_proof,
    signature: signature.value,
    nonce: nonce.value,
    timestamp: Number(timestamp.value),
  });
}

/**
 * Decode custommsg bytes (incl. the 2-byte type) as a 49153 response.
 * @returns the response or a {@link MgmtDecodeError} (status byte outside 0..2 is `invalid_value`).
 */
export function decodeResponse(bytes: Uint8Array): Result<MgmtResponse, MgmtDecodeError> {
  const f = unframe(bytes, MGMT_RESPONSE_TYPE, RESPONSE_KNOWN);
  if (!f.ok) return f;
  const request_nonce = u64(f.value, RESPONSE_TLV.request_nonce, 'request_nonce');
  if (!request_nonce.ok) return request_nonce;
  const status = fixed(f.value, RESPONSE_TLV.status, 'status', 1);
  if (!status.ok) return status;
  const s = status.value[0]!;
  if (s > 2) return err({ kind: 'invalid_value', field: 'status', reason: `unknown status ${s}` });
  const result = text(f.value, RESPONSE_TLV.result, 'result');
  if (!result.ok) return result;
  const state_hash = fixed(f.value, RESPONSE_TLV.state_hash, 'state_hash', MGMT_LIMITS.state_hash_bytes);
  if (!state_hash.ok) return state_hash;
  const signature = fixed(f.value, RESPONSE_TLV.signature, 'signature', MGMT_LIMITS.node_signature_bytes);
  if (!signature.ok) return signature;
  const receipt = text(f.value, RESPONSE_TLV.receipt, 'receipt');
  if (!receipt.ok) return receipt;
  return ok({
    request_nonce: request_nonce.value,
    status: s as MgmtStatus,
    result: result.value,
    state_hash: state_hash.value,
    signature: signature.value,
    receipt: receipt.value,
  });
}
