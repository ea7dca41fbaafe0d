/**
 * L402 macaroon identifier v0 (lightninglabs/L402 spec, ecosystem.md §E):
 * `version u16 BE (0) ‖ payment_hash (32) ‖ token_id (32)`.
 */
import { toHex } from '../../runtime/core/types.ts';

/** A decoded identifier; hashes and ids as lowercase hex. */
export interface L402Identifier {
  readonly payment_hash: string;
  readonly token_id: string;
}

const LENGTH = 2 + 32 + 32;

/** Encode an identifier. @throws RangeError on wrong-length inputs (programmer error). */
export function encodeIdentifier(paymentHash: Uint8Array, tokenId: Uint8Array): Uint8Array {
  if (paymentHash.length !== 32 || tokenId.length !== 32) throw new RangeError('payment_hash and token_id are 32 bytes');
  const out = new Uint8Array(LENGTH);
  out.set(paymentHash, 2);
  out.set(tokenId, 34);
  return out;
}

/** Decode an identifier, or null when it is not version 0 of the right length. */
export function decodeIdentifier(bytes: Uint8Array): L402Identifier | null {
  if (bytes.length !== LENGTH || bytes[0] !== 0 || bytes[1] !== 0) return null;
  return { payment_hash: toHex(bytes.slice(2, 34)), token_id: toHex(bytes.slice(34)) };
}
