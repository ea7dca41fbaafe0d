/**
 * The fixed binary payloads of the transport-level commands (hw/PROTOCOL.md §2.4–2.6): the 17-byte
 * INIT response, the 3-byte KEEPALIVE and the 1-byte ERROR. Pure encode/decode; decoders return
 * null on a wrong length instead of throwing.
 */
import { INIT_NONCE_BYTES, INIT_RESPONSE_BYTES } from './constants.ts';

/** Decoded INIT response. */
export interface InitResponse {
  /** The host's 8-byte nonce, echoed. */
  readonly nonce: Uint8Array;
  /** The channel the device allocated. */
  readonly cid: number;
  readonly protocol_version: number;
  /** Firmware `[major, minor, build]`. */
  readonly firmware: readonly [number, number, number];
  /** Capability flags; bit 0 = has a button. */
  readonly capabilities: number;
}

/** Encode the 17-byte INIT response. @throws RangeError when the nonce is not 8 bytes (programmer error). */
export function encodeInitResponse(r: InitResponse): Uint8Array {
  if (r.nonce.length !== INIT_NONCE_BYTES) throw new RangeError('INIT nonce must be 8 bytes');
  const out = new Uint8Array(INIT_RESPONSE_BYTES);
  out.set(r.nonce, 0);
  new DataView(out.buffer).setUint32(8, r.cid);
  out[12] = r.protocol_version;
  out.set(r.firmware, 13);
  out[16] = r.capabilities;
  return out;
}

/** Decode an INIT response; null unless exactly 17 bytes. */
export function decodeInitResponse(p: Uint8Array): InitResponse | null {
  if (p.length !== INIT_RESPONSE_BYTES) return null;
  return {
    nonce: p.slice(0, 8),
    cid: new DataView(p.buffer, p.byteOffset + 8, 4).getUint32(0),
    protocol_version: p[12]!,
    firmware: [p[13]!, p[14]!, p[15]!],
    capabilities: p[16]!,
  };
}

/** Decoded KEEPALIVE: status byte and whole seconds left until the device-side timeout. */
export interface Keepalive {
  readonly status: number;
  readonly seconds_left: number;
}

/** Encode a 3-byte KEEPALIVE payload (`seconds_left` clamped to 0..65535). */
export function encodeKeepalive(k: Keepalive): Uint8Array {
  const s = Math.max(0, Math.min(0xffff, Math.ceil(k.seconds_left)));
  return Uint8Array.from([k.status, s >> 8, s & 0xff]);
}

/** Decode a KEEPALIVE payload; null unless exactly 3 bytes. */
export function decodeKeepalive(p: Uint8Array): Keepalive | null {
  if (p.length !== 3) return null;
  return { status: p[0]!, seconds_left: (p[1]! << 8) | p[2]! };
}

/** Decode an ERROR payload (1 byte); null on any other length. */
export function decodeErrorCode(p: Uint8Array): number | null {
  return p.length === 1 ? p[0]! : null;
}
