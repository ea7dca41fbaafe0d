/**
 * Which `custommsg` hook payloads the plugin forwards to the daemon. The classification itself is
 * the core's, shared with the daemon's router and the engines (runtime/core/wire/traffic.ts:
 * hive | management | revocation | foreign); the plugin adds only the transport checks of the
 * hook's hex (length, hex digits) and the hook filters lightningd applies before calling it.
 */
import { CLHIVE_BOLT_TYPE, HIVE_TYPE_RANGE } from '../../runtime/core/wire/framing.ts';
import { classifyTrafficHex, MANAGEMENT_TYPES, type TrafficClass } from '../../runtime/core/wire/traffic.ts';

/** The `custommsg` hook `filters`: only these types reach the plugin (CLN v26.06 hook filters). */
export function custommsgFilters(): number[] {
  const odd: number[] = [];
  for (let t = HIVE_TYPE_RANGE.min; t <= HIVE_TYPE_RANGE.max; t += 2) odd.push(t);
  return [CLHIVE_BOLT_TYPE, ...odd, ...MANAGEMENT_TYPES];
}

/**
 * Classify a `custommsg` payload (hex including the 2-byte type, any case).
 * Too short, odd-length, non-hex or over `maxHexChars` → foreign (left to other plugins).
 */
export function classifyPayload(payloadHex: string, maxHexChars: number): TrafficClass {
  if (payloadHex.length < 4 || payloadHex.length > maxHexChars || payloadHex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(payloadHex)) return 'foreign';
  return classifyTrafficHex(payloadHex);
}
