/**
 * Whose a custom message is, decided once from its first six bytes (issue 14 item 4) and shared by the CLN plugin
 * (services/cln-plugin/hive-traffic.ts: forward or leave), the daemon's engine router
 * (runtime/daemon/compose-engines.ts: a table from class to engine) and the engines:
 *
 * - `hive`: Hive-framed (framing.ts `hiveFramingOf`: cl-hive's magic at byte 0, or an odd Hive type
 *   32769–33000 then the magic; spec 001 §1.1, clhive-protocol.md §1.1);
 * - `revocation`: a spec-framed `MGMT_CREDENTIAL_REVOKE` (32889), the management credential
 *   revocation gossip (runtime/core/mgmt/revocation-gossip.ts), owned by the management engine;
 * - `management`: spec 002's TLV request 49152 / response 49153, Hive traffic by type (no magic);
 * - `foreign`: everything else, left untouched (spec 001 "Receiver Behavior": pass-through).
 */
import { fromHex } from '../types.ts';
import { hiveFramingOf } from './framing.ts';

/** Spec 002 management request (0xC000) — even: must be declared in getmanifest `custommessages`. */
export const MGMT_REQUEST_TYPE = 0xc000;
/** Spec 002 management response (0xC001). */
export const MGMT_RESPONSE_TYPE = 0xc001;
/** `MGMT_CREDENTIAL_REVOKE` (clhive-protocol.md §2.1): its spec-framed form is the revocation gossip. */
export const MGMT_CREDENTIAL_REVOKE_TYPE = 32889;
/** The management message types (spec 002 §3). */
export const MANAGEMENT_TYPES: readonly number[] = [MGMT_REQUEST_TYPE, MGMT_RESPONSE_TYPE];

/** Whose a custom message is. */
export type TrafficClass = 'hive' | 'management' | 'revocation' | 'foreign';

/**
 * Classify a custom message by its first six bytes (the 2-byte BOLT type included).
 * @returns the class; never throws.
 */
export function classifyTraffic(msg: Uint8Array): TrafficClass {
  const type = msg.length >= 2 ? (msg[0]! << 8) | msg[1]! : -1;
  const framing = hiveFramingOf(msg);
  if (framing === 'spec' && type === MGMT_CREDENTIAL_REVOKE_TYPE) return 'revocation';
  if (framing !== null) return 'hive';
  return MANAGEMENT_TYPES.includes(type) ? 'management' : 'foreign';
}

/**
 * `classifyTraffic` for the hex the `custommsg` hook and the IPC carry (any case). Only the first
 * 12 hex chars are read; a prefix that is not hex is `foreign`.
 */
export function classifyTrafficHex(payloadHex: string): TrafficClass {
  const head = fromHex(payloadHex.slice(0, 12));
  return head === null ? 'foreign' : classifyTraffic(head);
}
