/**
 * cl-hive's legacy invite ticket, decoded read-only for display and compatibility
 * (clhive-protocol.md §3.4). Transport form: standard base64 (padded) of Python
 * `json.dumps(asdict(ticket))` with fields admin_pubkey, hive_id, requirements, issued_at,
 * expires_at, signature, initial_tier. Its signature covers the JSON-canonical of the six fields
 * other than `signature` (§3.2), made through lightningd's `signmessage` (so over the escaped text
 * T, §3.1). It has no ticket id and no version requirement, so Hivebox never admits a node on one:
 * cl-hive itself uses it only to pick the member to send a ticketless HELLO to (real-cln-facts.md),
 * and so does `hive-join` with one. `draftClhiveTicket` builds one in exactly the form cl-hive's
 * `hive-join` reads, for a cl-hive node joining a Hivebox hive on channel stake.
 */
import { base64 } from '@scure/base';
import { z } from 'zod';
import { lazy } from '../lazy.ts';
import { canonicalJson, pyDumps } from '../canonical/python-json.ts';
import { lightningSignedText } from '../canonical/signed-text.ts';
import { recoverSigner } from '../crypto/lnsign.ts';
import { err, ok, type Result } from '../result.ts';
import type { TicketError } from './errors.ts';
import { ALL_REQUIREMENTS } from './features.ts';
import { TICKET_MAX_BYTES } from './ticket.ts';

const legacySchema = lazy(() =>
  z.object({
    admin_pubkey: z.string().regex(/^0[23][0-9a-f]{64}$/),
    hive_id: z.string().max(1024),
    requirements: z.number().int().min(0).max(ALL_REQUIREMENTS),
    issued_at: z.number().int().min(0),
    expires_at: z.number().int().min(0),
    signature: z.string().max(1024),
    initial_tier: z.string().max(32),
  }),
);

/** A decoded cl-hive ticket plus the result of checking its signature. */
export interface ClhiveTicket extends z.infer<ReturnType<typeof legacySchema>> {
  /** True when `signature` recovers to `admin_pubkey` over the signed text. */
  readonly signature_valid: boolean;
}

/**
 * Decode a cl-hive ticket (standard base64 of its JSON).
 * @returns the fields and `signature_valid`, or `malformed` (size, base64, JSON, field types).
 */
export function decodeClhiveTicket(text: unknown): Result<ClhiveTicket, TicketError> {
  if (typeof text !== 'string') return err({ code: 'malformed', reason: 'not a string' });
  if (text.length > TICKET_MAX_BYTES) return err({ code: 'malformed', reason: `longer than ${TICKET_MAX_BYTES} bytes` });
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64.decode(text.trim())));
  } catch {
    return err({ code: 'malformed', reason: 'not base64 of UTF-8 JSON' });
  }
  const parsed = legacySchema().safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return err({ code: 'malformed', reason: issue.message, field: issue.path.join('.') });
  }
  const t = parsed.data;
  const { admin_pubkey, hive_id, requirements, issued_at, expires_at, initial_tier } = t;
  const signedText = lightningSignedText(canonicalJson({ admin_pubkey, hive_id, requirements, issued_at, expires_at, initial_tier }));
  return ok({ ...t, signature_valid: recoverSigner(signedText, t.signature) === admin_pubkey });
}

/** cl-hive's ticket fields before signing, in its dataclass order. */
export interface ClhiveTicketFields {
  readonly admin_pubkey: string;
  readonly hive_id: string;
  readonly requirements: number;
  /** Unix seconds. */
  readonly issued_at: number;
  readonly expires_at: number;
  readonly initial_tier: 'neophyte';
}

/**
 * The text a cl-hive ticket's signature covers: lightningd's signed text of the JSON-canonical
 * of the six fields (clhive-protocol.md §3.2, §3.4). Sign it with the node key (`signmessage`).
 */
export function clhiveTicketSignedText(f: ClhiveTicketFields): string {
  const { admin_pubkey, hive_id, requirements, issued_at, expires_at, initial_tier } = f;
  return lightningSignedText(canonicalJson({ admin_pubkey, hive_id, requirements, issued_at, expires_at, initial_tier }));
}

/**
 * Encode a signed cl-hive ticket exactly as cl-hive's `hive-invite` does: padded standard base64
 * of Python `json.dumps(asdict(ticket))` (default separators, fields in dataclass order, nothing
 * else: cl-hive's `Ticket(**json)` fails on an extra field).
 * @param signature zbase32 `signmessage` signature over {@link clhiveTicketSignedText}.
 */
export function encodeClhiveTicket(f: ClhiveTicketFields, signature: string): string {
  const { admin_pubkey, hive_id, requirements, issued_at, expires_at, initial_tier } = f;
  const json = pyDumps({ admin_pubkey, hive_id, requirements, issued_at, expires_at, signature, initial_tier }, { sortKeys: false, separators: [', ', ': '] });
  return base64.encode(new TextEncoder().encode(json));
}
