/**
 * Branded identifiers and unit-carrying scalars shared by the whole sans-IO core.
 *
 * A `NodeId` is a 33-byte compressed secp256k1 public key written as 66 lowercase hex
 * characters (BOLT 1 / BOLT 7 `node_id`). Branding keeps a node id from being passed where
 * another hex string (a nonce, a scid) is expected.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

/** 66-hex lowercase compressed public key (BOLT 7 node_id), starting 02 or 03. */
export type NodeId = string & { readonly __brand: 'NodeId' };

/** 64-hex lowercase 32-byte nonce (spec 001 §2.2 HIVE_CHALLENGE). */
export type Nonce = string & { readonly __brand: 'Nonce' };

/**
 * Unix time in seconds (integer): every `now_s`, `*_at` and `timestamp` of the core. Branded so a
 * `UnixMillis` cannot be passed for it (a plain number still can: literals, stored columns).
 */
export type UnixSeconds = number & { readonly __unit?: 's' };

/** Unix time in milliseconds: every `now_ms` (driver clocks, swarm seen-set, timeouts). */
export type UnixMillis = number & { readonly __unit?: 'ms' };

/** Whole unix seconds of a millisecond clock reading (floored, as every driver tick does). */
export function secondsOf(now_ms: UnixMillis): UnixSeconds {
  return Math.floor(now_ms / 1000) as UnixSeconds;
}

/** Milliseconds of a unix-seconds time. */
export function millisOf(now_s: UnixSeconds): UnixMillis {
  return (now_s * 1000) as UnixMillis;
}

/** A lowercase 66-hex compressed public key (a BOLT 7 node_id). */
export const NODE_ID_RE = /^0[23][0-9a-f]{64}$/;
const NONCE_RE = /^[0-9a-f]{64}$/;

/** True when `s` is a lowercase 66-hex compressed pubkey (cl-hive `_valid_pubkey`, clhive-protocol.md §2.2). */
export function isNodeId(s: unknown): s is NodeId {
  return typeof s === 'string' && NODE_ID_RE.test(s);
}

/** True when `s` is exactly 64 lowercase hex characters (a 32-byte nonce). */
export function isNonce(s: unknown): s is Nonce {
  return typeof s === 'string' && NONCE_RE.test(s);
}

/** Bytes → lowercase hex. */
export function toHex(bytes: Uint8Array): string {
  return bytesToHex(bytes);
}

/**
 * Lowercase or uppercase hex → bytes.
 * @returns null when `hex` has odd length or a non-hex character (never throws).
 */
export function fromHex(hex: string): Uint8Array | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  return hexToBytes(hex.toLowerCase());
}

/** UTF-8 encode. */
export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}
