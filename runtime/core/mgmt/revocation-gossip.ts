/**
 * Credential revocations on the fleet transport (issue 9 §1 "revoke … gossiped to the fleet and
 * checked before every command"): the Hive message `MGMT_CREDENTIAL_REVOKE` (32889,
 * clhive-protocol.md §2.1, §8.2) in spec framing, its payload in cl-hive's shape
 * `{sender_id, event_id, timestamp, credential_id, issuer_id, reason}` plus `revocation`: the
 * Archon-signed revocation document (revocation.ts). The document's proof is the signature, so
 * cl-hive's `signature` (a `signmessage` by a node key) is absent; cl-hive nodes drop these.
 * Pure: decoding never throws, verification of the proof is the receiver's next step.
 */
import { isNodeId } from '../types.ts';
import type { Result } from '../result.ts';
import { decodeHiveMessage } from '../wire/decode.ts';
import { encodeHiveMessage } from '../wire/encode.ts';
import type { WireError } from '../wire/errors.ts';
import { MSG_TYPES } from '../wire/message-types.ts';
import { MAX_REVOCATION_REASON } from './revocation.ts';

/** The BOLT type the message travels as (spec framing: the Hive id). */
export const REVOCATION_GOSSIP_TYPE = MSG_TYPES.MGMT_CREDENTIAL_REVOKE;

/** A revocation as carried on the wire. */
export interface RevocationGossip {
  /** Node that first sent it (informational; trust comes from the document's proof). */
  readonly sender_id: string;
  /** Idempotency id (hex, 16–128 chars). */
  readonly event_id: string;
  /** Unix seconds when sent. */
  readonly timestamp: number;
  readonly credential_id: string;
  /** The revocation's issuer DID. */
  readonly issuer_id: string;
  readonly reason: string;
  /** The signed revocation document (`HiveCredentialRevocation` with `proof`). */
  readonly revocation: Readonly<Record<string, unknown>>;
}

/** What `decodeRevocationGossip` found. */
export type RevocationGossipDecode =
  | { readonly kind: 'not_revocation' }
  | { readonly kind: 'malformed'; readonly reason: string }
  | { readonly kind: 'revocation'; readonly gossip: RevocationGossip };

/**
 * Encode a signed revocation document for `sendcustommsg`.
 * @returns the whole custom message (type included), or the wire error (`invalid_field`, `oversize`).
 */
export function encodeRevocationGossip(revocation: Readonly<Record<string, unknown>>, sender_id: string, event_id: string, timestamp: number): Result<Uint8Array, WireError> {
  const payload = {
    sender_id,
    event_id,
    timestamp,
    credential_id: String(revocation.credential_id),
    issuer_id: String(revocation.issuer),
    reason: String(revocation.reason),
    revocation: JSON.parse(JSON.stringify(revocation)),
  };
  return encodeHiveMessage('MGMT_CREDENTIAL_REVOKE', payload, 'spec');
}

const str = (v: unknown, min: number, max: number): v is string => typeof v === 'string' && v.length >= min && v.length <= max;

/**
 * Decode a custom message (type included) as revocation gossip: Hive framing and envelope checks
 * (size, JSON, type), then the payload fields, and that the carried document names the same
 * credential and issuer as the payload.
 * @returns `not_revocation` for any other message, `malformed` with the failed rule, or the gossip.
 */
export function decodeRevocationGossip(msg: Uint8Array): RevocationGossipDecode {
  const d = decodeHiveMessage(msg);
  if (d.kind === 'not_hive') return { kind: 'not_revocation' };
  if (d.kind === 'malformed') {
    const boltType = msg.length >= 2 ? (msg[0]! << 8) | msg[1]! : -1;
    const ours = d.type === 'MGMT_CREDENTIAL_REVOKE' || (d.framing === 'spec' && boltType === REVOCATION_GOSSIP_TYPE);
    return ours ? { kind: 'malformed', reason: `${d.error.kind}: ${d.error.detail}` } : { kind: 'not_revocation' };
  }
  if (d.message.type !== 'MGMT_CREDENTIAL_REVOKE') return { kind: 'not_revocation' };
  const p = d.message.payload as Record<string, unknown>;
  const bad = (reason: string): RevocationGossipDecode => ({ kind: 'malformed', reason });
  if (!isNodeId(p.sender_id)) return bad('sender_id is not a node id');
  if (!str(p.event_id, 16, 128) || !/^[0-9a-f]+$/.test(p.event_id)) return bad('event_id is not 16..128 hex');
  if (typeof p.timestamp !== 'number' || !Number.isSafeInteger(p.timestamp) || p.timestamp < 0) return bad('timestamp is not unix seconds');
  if (!str(p.credential_id, 1, 128)) return bad('credential_id is not 1..128 characters');
  if (!str(p.issuer_id, 8, 256)) return bad('issuer_id is not a DID');
  if (!str(p.reason, 0, MAX_REVOCATION_REASON)) return bad(`reason is over ${MAX_REVOCATION_REASON} characters`);
  const doc = p.revocation;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return bad('revocation is not an object');
  const r = doc as Record<string, unknown>;
  if (r.credential_id !== p.credential_id || r.issuer !== p.issuer_id) return bad('revocation document names another credential or issuer');
  return {
    kind: 'revocation',
    gossip: { sender_id: p.sender_id, event_id: p.event_id, timestamp: p.timestamp, credential_id: p.credential_id, issuer_id: p.issuer_id, reason: p.reason, revocation: r },
  };
}
