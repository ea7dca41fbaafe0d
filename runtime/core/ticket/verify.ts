/**
 * Ticket verification at the member that receives it (spec 000 §4.2 step 6 "Verify Ticket";
 * spec 000 §6 "Ticket Theft"; issue 2 §5). Checks run cheapest first and each reject code comes
 * from exactly one check:
 *   malformed → wrong_hive → admin_not_trusted → not_yet_valid → expired → bad_signature →
 *   already_used, then (when the facts are known) requirements_not_met and version_too_old.
 * The signature is checked before the used-ticket table, so a forged ticket learns nothing
 * about which ticket ids were used.
 */
import { lazy } from '../lazy.ts';
import { recoverSigner } from '../crypto/lnsign.ts';
import { err, ok, type Result } from '../result.ts';
import { decodeTicket } from './codec.ts';
import type { TicketError } from './errors.ts';
import { missingRequirements, type HiveFeature } from './features.ts';
import { TICKET_CLOCK_SKEW_S, ticketSignedText, type InviteTicket } from './ticket.ts';
import type { UnixSeconds } from '../types.ts';

/** Who already used a ticket (the used-tickets table; see services/store). */
export interface TicketUse {
  readonly used_by: string;
  /** Unix seconds of the first use. */
  readonly used_at: number;
}

/** What the verifying member knows. */
export interface TicketContext {
  /** This hive's id. */
  readonly hive_id: string;
  /** This hive's trusted admin keys (66-hex). */
  readonly trusted_admins: ReadonlySet<string>;
  /** Unix seconds. */
  readonly now_s: UnixSeconds;
  /** The node presenting the ticket (the BOLT 8 authenticated peer). */
  readonly node_id: string;
  /** Ticket uses recorded so far, by ticket_id. */
  readonly used_tickets: ReadonlyMap<string, TicketUse>;
}

/**
 * Decode and verify a ticket presented by `ctx.node_id`.
 * A ticket already bound to the same node (a retried join) passes; bound to any other node it is
 * `already_used`.
 * @returns the ticket, or the first failed rule's {@link TicketError}.
 */
export function verifyTicket(encoded: unknown, ctx: TicketContext): Result<InviteTicket, TicketError> {
  const decoded = decodeTicket(encoded);
  if (!decoded.ok) return decoded;
  const t = decoded.value;
  if (t.hive_id !== ctx.hive_id) return err({ code: 'wrong_hive', hive_id: t.hive_id });
  if (!ctx.trusted_admins.has(t.admin_pubkey)) return err({ code: 'admin_not_trusted', admin_pubkey: t.admin_pubkey });
  if (t.issued_at > ctx.now_s + TICKET_CLOCK_SKEW_S) return err({ code: 'not_yet_valid', issued_at: t.issued_at });
  if (ctx.now_s > t.expires_at) return err({ code: 'expired', expires_at: t.expires_at });
  if (recoverSigner(ticketSignedText(t), t.signature) !== t.admin_pubkey) return err({ code: 'bad_signature' });
  const use = ctx.used_tickets.get(t.ticket_id);
  if (use && use.used_by !== ctx.node_id) return err({ code: 'already_used', used_by: use.used_by, used_at: use.used_at });
  return ok(t);
}

/**
 * Check the ticket's requirement bits against the features the joiner actually negotiated
 * (BOLT 9 bits from CLN `listpeers`, see features.ts), never against what it claims.
 */
export function checkRequirements(ticket: Pick<InviteTicket, 'requirements'>, negotiated: ReadonlySet<HiveFeature>): Result<void, TicketError> {
  const missing = missingRequirements(ticket.requirements, negotiated);
  if (missing.length) return err({ code: 'requirements_not_met', missing });
  return ok(undefined);
}

/**
 * The semver package, loaded on the first version check: building its ~40 regular expressions was
 * ~3 ms of every `hivebox run` start, long before any ticket is checked (issue 19 §4).
 */
const semver = lazy(() => require('semver') as typeof import('semver'));

/** Hivebox's own manifest `version` field is this prefix plus a semver (`"hivebox v0.1.0"`, runtime/node/hive/config.ts). */
export const HIVEBOX_MANIFEST_PREFIX = 'hivebox v';

/**
 * The semver of a Hivebox manifest `version` (`"hivebox v1.4.2"` → `"1.4.2"`), or null for anything
 * else — another implementation's string (`"cl-hive v2.2.6"`), a bare number, or an invalid semver.
 */
export function hiveboxVersionOf(version: string): string | null {
  if (!version.startsWith(HIVEBOX_MANIFEST_PREFIX)) return null;
  return semver().valid(version.slice(HIVEBOX_MANIFEST_PREFIX.length));
}

/**
 * A ticket's `min_version` (dotted decimals, codec.ts `MIN_VERSION_RE`) as a semver lower bound:
 * `"1.4"` → `"1.4.0"`; a fourth component is beyond semver and ignored (`"1.2.3.4"` → `"1.2.3"`).
 */
function minSemver(minVersion: string): string | null {
  return semver().coerce(minVersion)?.version ?? null;
}

export function checkVersion(ticket: Pick<InviteTicket, 'min_version'>, version: string): Result<void, TicketError> {
  if (ticket.min_version === '') return ok(undefined);
  const have = hiveboxVersionOf(version);
  const min = minSemver(ticket.min_version);
  if (have === null || min === null || !semver().gte(have, min)) {
    return err({ code: 'version_too_old', min_version: ticket.min_version, version });
  }
  return ok(undefined);
}
