/**
 * Management receipts (spec 002 "Audit Trail"): every command, accepted or rejected, yields a
 * receipt signed by the node key — command (schema, action, params hash), agent DID, credential
 * id, payment proof reference, result (status, layer, rule, result hash), state hash before and
 * after, timestamp. Field names follow cl-hive's receipts where they exist (schema_id,
 * params_hash, result_hash, state_hash_before/after, executed_at; clhive-protocol.md §8.1).
 *
 * Signature: Lightning `signmessage` over `lightningSignedText(canonicalJson(receipt))`.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../canonical/python-json.ts';
import { lightningSignedText } from '../canonical/signed-text.ts';
import { verifyMessage } from '../crypto/lnsign.ts';
import { toHex, utf8 } from '../types.ts';
import type { MgmtLayer, MgmtRule } from './reject.ts';
import type { ChannelView } from './schemas/action.ts';

/** Outcome recorded in a receipt. */
export type ReceiptStatus = 'accepted' | 'rejected' | 'error';

/** The signed body of a receipt. */
export interface Receipt {
  /** 32 hex chars from 16 random bytes supplied by the driver. */
  readonly receipt_id: string;
  readonly node_id: string;
  readonly agent_did: string;
  readonly credential_id: string | null;
  readonly schema_id: string;
  readonly action: string | null;
  /** sha256 hex of the exact `schema_payload` text. */
  readonly params_hash: string;
  /** `cashu:<sha256 hex of token>`, `l402:<token id hex>` or null. */
  readonly payment_ref: string | null;
  readonly status: ReceiptStatus;
  readonly layer: MgmtLayer | null;
  readonly rule: MgmtRule | null;
  /** sha256 hex of the result JSON text. */
  readonly result_hash: string;
  readonly state_hash_before: string;
  readonly state_hash_after: string;
  /** Request nonce as a decimal string (u64). */
  readonly request_nonce: string;
  /** Unix seconds when the node decided. */
  readonly executed_at: number;
}

/** A receipt with the node's zbase32 signature. */
export interface SignedReceipt extends Receipt {
  readonly signature: string;
}

/** sha256 hex of UTF-8 `text`. */
export function sha256Hex(text: string): string {
  return toHex(sha256(utf8(text)));
}

/** The exact text the node signs for `r` (T of its cl-hive canonical form). */
export function receiptSignedText(r: Receipt): string {
  return lightningSignedText(canonicalJson({ ...r }));
}

/** `r` with the node's signature. */
export function signReceipt(r: Receipt, zbase: string): SignedReceipt {
  return { ...r, signature: zbase };
}

/** True when `r.signature` recovers to `nodeId` over `r` without its signature. */
export function verifyReceipt(r: SignedReceipt, nodeId: string): boolean {
  const { signature, ...body } = r;
  return body.node_id === nodeId && verifyMessage(receiptSignedText(body), signature, nodeId);
}

/**
 * sha256 of the node's management state: channels sorted by scid (fee_ppm, base_fee_msat,
 * to_us_msat, state) and the advisor-tunable config, as cl-hive JSON-canonical.
 */
export function stateHash(channels: Iterable<ChannelView>, config: Readonly<Record<string, number>>): Uint8Array {
  const rows = [...channels]
    .sort((a, b) => (a.scid < b.scid ? -1 : a.scid > b.scid ? 1 : 0))
    .map((c) => ({ scid: c.scid, fee_ppm: c.fee_ppm, base_fee_msat: c.base_fee_msat, to_us_msat: c.to_us_msat, state: c.state }));
  return sha256(utf8(canonicalJson({ channels: rows, config: { ...config } })));
}
