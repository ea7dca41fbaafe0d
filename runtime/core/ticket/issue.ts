/**
 * Issuing an invite ticket, in two pure steps around the fleet signer (which is I/O and lives in
 * hw/): `draftTicket` builds the unsigned fields, the exact text to sign and the summary the
 * signer displays; the caller asks `Signer.sign(text, {purpose: 'invite', summary})`;
 * `sealTicket` checks the returned signature and produces the transport form
 * (spec 000 §4.1 `--valid-hours`, `--req-splice`, `--req-version`; issue 2 §5).
 */
import { recoverSigner } from '../crypto/lnsign.ts';
import type { ApprovalSummary } from '../ports.ts';
import { err, ok, type Result } from '../result.ts';
import { isNodeId, type NodeId, toHex, type UnixSeconds } from '../types.ts';
import { encodeTicket, HIVE_ID_RE, MIN_VERSION_RE } from './codec.ts';
import { ALL_REQUIREMENTS, REQUIREMENT_BITS, type HiveFeature } from './features.ts';
import { DEFAULT_VALID_HOURS, MAX_VALID_HOURS, TICKET_ID_BYTES, ticketSignedText, type InviteTicket, type UnsignedTicket } from './ticket.ts';

/** What the operator asks for (`hivebox invite --valid-hours 24 --req-splice --req-version 1.4`). */
export interface TicketRequest {
  readonly hive_id: string;
  /** The admin key that will sign (from `Signer.publicKey('invite')`). */
  readonly admin_pubkey: string;
  /** Requirement bitmask 0–15 (splice 1, dual-fund 2, anchor 4, onion-msg 8). Default 0. */
  readonly requirements?: number;
  /** Lowest manifest version accepted, dotted numbers, or "" (default) for any. */
  readonly min_version?: string;
  /** Hours of validity, integer 1–168; default 24. */
  readonly valid_hours?: number;
}

/** A bad issuing parameter (operator error, reported before anything is signed). */
export interface TicketRequestError {
  readonly code: 'invalid_request';
  readonly field: 'hive_id' | 'admin_pubkey' | 'requirements' | 'min_version' | 'valid_hours' | 'ticket_id_bytes';
  readonly reason: string;
}

/** An unsigned ticket plus what the signer needs. */
export interface TicketDraft {
  readonly fields: UnsignedTicket;
  /** The exact text to hand to `Signer.sign` (already in lightningSignedText form). */
  readonly text: string;
  /** What the signer shows before the operator presses approve. */
  readonly summary: ApprovalSummary;
}

function invalid(field: TicketRequestError['field'], reason: string): { ok: false; error: TicketRequestError } {
  return err({ code: 'invalid_request', field, reason });
}

/**
 * Build an unsigned ticket.
 * @param req operator parameters (validated here).
 * @param now_s unix seconds; becomes `issued_at`.
 * @param ticketIdBytes 16 fresh random bytes (randomness is an input of the core).
 * @returns the draft, or `invalid_request` naming the field.
 */
export function draftTicket(req: TicketRequest, now_s: UnixSeconds, ticketIdBytes: Uint8Array): Result<TicketDraft, TicketRequestError> {
  const requirements = req.requirements ?? 0;
  const min_version = req.min_version ?? '';
  const valid_hours = req.valid_hours ?? DEFAULT_VALID_HOURS;
  if (!HIVE_ID_RE.test(req.hive_id)) return invalid('hive_id', '1–64 characters, no control characters');
  if (!isNodeId(req.admin_pubkey)) return invalid('admin_pubkey', 'expected 66 lowercase hex characters starting 02 or 03');
  if (!Number.isInteger(requirements) || requirements < 0 || requirements > ALL_REQUIREMENTS) return invalid('requirements', `integer 0–${ALL_REQUIREMENTS}`);
  if (!MIN_VERSION_RE.test(min_version)) return invalid('min_version', 'dotted decimal numbers like 1.4, or empty');
  if (!Number.isInteger(valid_hours) || valid_hours < 1 || valid_hours > MAX_VALID_HOURS) return invalid('valid_hours', `integer 1–${MAX_VALID_HOURS}`);
  if (ticketIdBytes.length !== TICKET_ID_BYTES) return invalid('ticket_id_bytes', `expected ${TICKET_ID_BYTES} random bytes`);
  const fields: UnsignedTicket = {
    hive_id: req.hive_id,
    admin_pubkey: req.admin_pubkey as NodeId,
    requirements,
    min_version,
    initial_tier: 'neophyte',
    issued_at: now_s,
    expires_at: now_s + valid_hours * 3600,
    ticket_id: toHex(ticketIdBytes),
  };
  const required = (Object.keys(REQUIREMENT_BITS) as HiveFeature[]).filter((f) => requirements & REQUIREMENT_BITS[f]);
  const summary: ApprovalSummary = {
    title: `invite to ${req.hive_id}, valid ${valid_hours} h${required.length ? `, requires ${required.join(', ')}` : ''}`,
    fields: {
      hive_id: req.hive_id,
      valid_hours: String(valid_hours),
      requirements: required.join(', ') || 'none',
      min_version: min_version || 'any',
      ticket_id: fields.ticket_id,
    },
  };
  return ok({ fields, text: ticketSignedText(fields), summary });
}

/**
 * Attach the admin's signature to a draft.
 * @param zbase the signer's zbase32 signature over `draft.text`.
 * @returns the signed ticket and its transport form, or `bad_signature` when the signature does
 *   not recover to `draft.fields.admin_pubkey` (the signer's output is checked, not trusted).
 */
export function sealTicket(draft: TicketDraft, zbase: string): Result<{ ticket: InviteTicket; encoded: string }, { code: 'bad_signature' }> {
  if (recoverSigner(draft.text, zbase) !== draft.fields.admin_pubkey) return err({ code: 'bad_signature' });
  const ticket: InviteTicket = { ...draft.fields, signature: zbase };
  return ok({ ticket, encoded: encodeTicket(ticket) });
}
