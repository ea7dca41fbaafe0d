/**
 * Macaroon v2 binary serialisation (libmacaroons / go-macaroon "V2 binary format": version byte 2,
 * then fields `type ‖ uvarint length ‖ bytes` — location 1, identifier 2, vid 4, signature 6 — with
 * end-of-section 0 after the header, after each caveat and after the caveat list).
 *
 * Why owned: `macaroon` 3.0.4's `exportBinary` never records its buffer capacity, so the buffer
 * doubles on every append and runs out of memory once a macaroon has ~20 fields (four caveats).
 * The library still builds the HMAC chain, imports (its reader is sound) and verifies.
 */
import type { Macaroon } from 'macaroon';

const FIELD = { eos: 0, location: 1, identifier: 2, vid: 4, signature: 6 } as const;

function uvarint(n: number): number[] {
  const out: number[] = [];
  let x = n;
  while (x >= 0x80) {
    out.push((x & 0x7f) | 0x80);
    x >>>= 7;
  }
  out.push(x);
  return out;
}

/** The v2 binary encoding of `mac` (what `exportBinary` would return). */
export function exportBinaryV2(mac: Macaroon): Uint8Array {
  const out: number[] = [2];
  const field = (type: number, data: Uint8Array) => out.push(type, ...uvarint(data.length), ...data);
  const enc = new TextEncoder();
  if (mac.location) field(FIELD.location, enc.encode(mac.location));
  field(FIELD.identifier, mac.identifier);
  out.push(FIELD.eos);
  for (const c of mac.caveats) {
    if (c.location) field(FIELD.location, enc.encode(c.location));
    field(FIELD.identifier, c.identifier);
    if (c.vid) field(FIELD.vid, c.vid);
    out.push(FIELD.eos);
  }
  out.push(FIELD.eos);
  field(FIELD.signature, mac.signature);
  return Uint8Array.from(out);
}
