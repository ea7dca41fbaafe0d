/**
 * What one swarm frame carries (issue 10 §3). The sidecar length-prefixes frames on the Noise
 * stream (services/swarm/PROTOCOL.md); the gate sees whole frame payloads, of two kinds:
 * - Hive frame: the exact bytes a member hands to `sendcustommsg`, in either framing of
 *   runtime/core/wire/framing.ts — cl-hive's magic `HIVE` ‖ UTF-8 JSON envelope
 *   (clhive-protocol.md §1.1), or spec 001 §1.1's odd Hive type (u16be) ‖ `HIVE` ‖ envelope, which
 *   Hivebox members speak to each other — so it enters `HiveEngine.onCustomMsg` unchanged (a GOSSIP
 *   signature covers a framing-specific string, so the framing cannot be rewritten in transit);
 * - binding frame: magic `HSWB` ‖ UTF-8 JSON binding statement (binding.ts), first on a connection.
 */
import { err, ok, type Result } from '../result.ts';
import { utf8 } from '../types.ts';
import { hiveFramingOf } from '../wire/framing.ts';
import type { BindingReject, BindingStatement } from './binding.ts';
import type { SwarmLimits } from './limits.ts';

/** `HIVE`: cl-hive's 4-byte magic, first bytes of every Hive envelope (spec 001 §1.1). */
export const HIVE_MAGIC = utf8('HIVE');
/** `HSWB` (Hivebox SWarm Binding): magic of a binding frame. */
export const BINDING_MAGIC = utf8('HSWB');

/** Kind of a frame payload by its first four bytes. */
export type FrameKind = 'hive' | 'binding' | 'unknown';

function startsWith(bytes: Uint8Array, magic: Uint8Array): boolean {
  if (bytes.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[i] !== magic[i]) return false;
  return true;
}

/**
 * Classify a frame payload by its magic: `binding` (`HSWB`), `hive` (`HIVE` at byte 0, or an odd
 * Hive type 32769–33000 followed by `HIVE` at byte 2), else `unknown`.
 */
export function frameKind(bytes: Uint8Array): FrameKind {
  if (startsWith(bytes, BINDING_MAGIC)) return 'binding';
  return hiveFramingOf(bytes) === null ? 'unknown' : 'hive';
}

/** Binding frame payload: `HSWB` ‖ JSON of the statement. */
export function encodeBindingFrame(st: BindingStatement): Uint8Array {
  const body = utf8(
    JSON.stringify({
      hive_id: st.hive_id,
      node_id: st.node_id,
      swarm_key: st.swarm_key,
      issued_at: st.issued_at,
      expires_at: st.expires_at,
      signature: st.signature,
    }),
  );
  const out = new Uint8Array(BINDING_MAGIC.length + body.length);
  out.set(BINDING_MAGIC, 0);
  out.set(body, BINDING_MAGIC.length);
  return out;
}

/**
 * Parse a binding frame payload (size, magic, UTF-8, JSON); `admitStatement` checks the shape.
 * @returns the parsed JSON value, or `malformed_binding`.
 */
export function parseBindingFrame(bytes: Uint8Array, limits: SwarmLimits): Result<unknown, BindingReject> {
  if (bytes.length > limits.max_binding_frame_bytes || frameKind(bytes) !== 'binding') return err('malformed_binding');
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(BINDING_MAGIC.length)));
  } catch {
    return err('malformed_binding');
  }
  return ok(parsed);
}
