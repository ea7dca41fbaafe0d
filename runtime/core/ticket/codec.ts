/**
 * Ticket transport form: base64url (RFC 4648 §5, no padding; padding tolerated on input) of the
 * JSON-canonical ticket object. Decoding checks size, alphabet, UTF-8, JSON and every field's
 * type and range before anything else looks at the ticket; any failure is `malformed` with the
 * rule and field that failed (issue 2 §5).
 */
import { base64urlnopad } from '@scure/base';
import { z } from 'zod';
import { lazy } from '../lazy.ts';
import { canonicalJson } from '../canonical/python-json.ts';
import { ZBASE_SIG_LENGTH } from '../crypto/lnsign.ts';
import { err, ok, type Result } from '../result.ts';
import { utf8 } from '../types.ts';
import type { TicketError } from './errors.ts';
import { ALL_REQUIREMENTS } from './features.ts';
import { HIVE_ID_MAX_LENGTH, MAX_VALID_HOURS, MIN_VERSION_MAX_LENGTH, TICKET_MAX_BYTES, type InviteTicket } from './ticket.ts';

/** Accepted `min_version`: empty, or 1–4 dot-separated decimal numbers. */
export const MIN_VERSION_RE = /^$|^\d{1,6}(\.\d{1,6}){0,3}$/;
/** Accepted hive id: 1–64 characters, none of them a control character. */
export const HIVE_ID_RE = new RegExp(`^[^\\u0000-\\u001f\\u007f]{1,${HIVE_ID_MAX_LENGTH}}$`);

const unixSeconds = lazy(() => z.number().int().min(0).max(2 ** 40));

/** zod schema of a signed ticket (strict: an unknown key is unsigned data, so it is refused). */
export const inviteTicketSchema = lazy(() =>
  z
    .strictObject({
      hive_id: z.string().regex(HIVE_ID_RE),
      admin_pubkey: z.string().regex(/^0[23][0-9a-f]{64}$/),
      requirements: z.number().int().min(0).max(ALL_REQUIREMENTS),
      min_version: z.string().max(MIN_VERSION_MAX_LENGTH).regex(MIN_VERSION_RE),
      initial_tier: z.literal('neophyte'),
      issued_at: unixSeconds(),
      expires_at: unixSeconds(),
      ticket_id: z.string().regex(/^[0-9a-f]{32}$/),
      signature: z.string().length(ZBASE_SIG_LENGTH),
    })
    .refine((t) => t.expires_at > t.issued_at && t.expires_at - t.issued_at <= MAX_VALID_HOURS * 3600, {
      message: `lifetime must be 1 s … ${MAX_VALID_HOURS} h`,
      path: ['expires_at'],
    }),
);

/** Encode a signed ticket for transport (base64url, no padding). */
export function encodeTicket(ticket: InviteTicket): string {
  const { hive_id, admin_pubkey, requirements, min_version, initial_tier, issued_at, expires_at, ticket_id, signature } = ticket;
  return base64urlnopad.encode(
    utf8(canonicalJson({ hive_id, admin_pubkey, requirements, min_version, initial_tier, issued_at, expires_at, ticket_id, signature })),
  );
}

/**
 * Decode a transported ticket. Only the form is checked here; trust, time and use are verify.ts.
 * @param text base64url ticket (≤ 10 KiB).
 * @returns the ticket, or `malformed` with `reason` (and `field` when one field is at fault).
 */
export function decodeTicket(text: unknown): Result<InviteTicket, TicketError> {
  if (typeof text !== 'string') return err({ code: 'malformed', reason: 'not a string' });
  if (text.length > TICKET_MAX_BYTES) return err({ code: 'malformed', reason: `longer than ${TICKET_MAX_BYTES} bytes` });
  const body = text.replace(/=+$/, '');
  let bytes: Uint8Array;
  try {
    bytes = base64urlnopad.decode(body);
  } catch {
    return err({ code: 'malformed', reason: 'not base64url' });
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return err({ code: 'malformed', reason: 'not UTF-8 JSON' });
  }
  const parsed = inviteTicketSchema().safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length ? issue.path.join('.') : undefined;
    return err({ code: 'malformed', reason: issue.message, ...(field === undefined ? {} : { field }) });
  }
  return ok(parsed.data as InviteTicket);
}
