/**
 * The Hivebox invite ticket: its fields, limits, and the exact text the admin signs.
 *
 * An admin (on the fleet signer) issues a ticket that lets one node join one hive
 * (spec 000 §4.1, spec 001 §2.1, issue 2 §5). It travels as base64url of its JSON and rides in
 * HELLO. The signature covers T = lightningSignedText(JSON-canonical of every field except
 * `signature`) (clhive-protocol.md §3.1–3.2), so it verifies the same way as every other Hive
 * signature. cl-hive's older, unbound ticket form is decoded read-only in legacy.ts.
 */
import { canonicalJson } from '../canonical/python-json.ts';
import { lightningSignedText } from '../canonical/signed-text.ts';
import type { NodeId } from '../types.ts';

/** Largest encoded ticket accepted or produced: 10 KiB (cl-hive MAX_TICKET_SIZE). */
export const TICKET_MAX_BYTES = 10 * 1024;
/** Default validity of a new ticket: 24 h (cl-hive DEFAULT_TICKET_HOURS, `--valid-hours=24`). */
export const DEFAULT_VALID_HOURS = 24;
/** Longest validity an invite may have: 168 h (one week). The genesis record is not a ticket. */
export const MAX_VALID_HOURS = 168;
/** Tolerated clock difference for `issued_at` in the future: 300 s (cl-hive MAX_CLOCK_SKEW_SECONDS). */
export const TICKET_CLOCK_SKEW_S = 300;
/** Random bytes in a ticket id (16 → 32 hex characters). */
export const TICKET_ID_BYTES = 16;
/** Longest hive id accepted (cl-hive generates `hive_` + 16 hex = 21 characters). */
export const HIVE_ID_MAX_LENGTH = 64;
/** Longest `min_version` text. */
export const MIN_VERSION_MAX_LENGTH = 32;

/** A ticket without its signature: exactly the fields the admin signs. */
export interface UnsignedTicket {
  /** The hive the ticket admits to. */
  readonly hive_id: string;
  /** 66-hex key of the issuing fleet admin (a signer key slot, not a node key). */
  readonly admin_pubkey: NodeId;
  /** Bitmask of features the joiner must have negotiated: splice 1, dual-fund 2, anchor 4, onion-msg 8. */
  readonly requirements: number;
  /** Lowest software version the joiner's manifest may report, dotted numbers (`"1.4"`), or `""` for any. */
  readonly min_version: string;
  /** Always `neophyte`: a ticket never grants a higher tier (clhive-protocol.md §3.4, §6.1). */
  readonly initial_tier: 'neophyte';
  /** Unix seconds when issued. */
  readonly issued_at: number;
  /** Unix seconds after which the ticket is void; at most issued_at + 168 h. */
  readonly expires_at: number;
  /** 32 lowercase hex characters from 16 random bytes; single use. */
  readonly ticket_id: string;
}

/** A signed ticket. */
export interface InviteTicket extends UnsignedTicket {
  /** Lightning signmessage zbase32 (104 chars) by `admin_pubkey` over {@link ticketSignedText}. */
  readonly signature: string;
}

/** The 9 ticket fields in one place, for key checks. */
export const TICKET_FIELDS = [
  'hive_id',
  'admin_pubkey',
  'requirements',
  'min_version',
  'initial_tier',
  'issued_at',
  'expires_at',
  'ticket_id',
  'signature',
] as const;

/**
 * The text T the admin signs: lightningSignedText(JSON-canonical of every field but `signature`).
 * Extra keys on `ticket` are ignored (only the 8 signed fields are read).
 */
export function ticketSignedText(ticket: UnsignedTicket): string {
  const { hive_id, admin_pubkey, requirements, min_version, initial_tier, issued_at, expires_at, ticket_id } = ticket;
  return lightningSignedText(canonicalJson({ hive_id, admin_pubkey, requirements, min_version, initial_tier, issued_at, expires_at, ticket_id }));
}
