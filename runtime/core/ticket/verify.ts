/**
 * Ticket verification at the member that receives it (spec 000 §4.2 step 6 "Verify Ticket";
 * spec 000 §6 "Ticket Theft"; issue 2 §5). Checks run cheapest first and each reject code comes
 * from exactly one check:
 *   malformed → wrong_hive → admin_not_trusted → not_yet_valid → expired → bad_signature →
 *   already_used, then (when the facts are known) requirements_not_met and version_too_old.
 * The signature is checked before the used-ticket table, so a forged ticket learns nothing
 * about which ticket ids were used.
 */
import { recoverSigner } from '../crypto/lnsign.ts';
import { err, ok, type Result } from '../result.ts';
import { decodeTicket } from './codec.ts';
import type { TicketError } from './errors.ts';
import { missingRequirements, type HiveFeature } from './features.ts';
import { TICKET_CLOCK_SKEW_S, ticketSignedText, type InviteTicket } from './ticket.ts';

/** Who already used a ticket (the used-tickets table; see services/store). */
export interface TicketUse {
  readonly used_by: string;
}

/** What the verifying member knows. */
export interface TicketContext {
  /** This hive's id. */
  readonly hive_id: string;
  /** This hive's trusted admin keys (66-hex). */
  readonly trusted_admins: ReadonlySet<string>;
  /** Unix seconds. */
  readonly now: number;
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
  if (t.issued_at > ctx.now + TICKET_CLOCK_SKEW_S) return err({ code: 'not_yet_valid', issued_at: t.issued_at });
  if (ctx.now > t.expires_at) return err({ code: 'expired', expires_at: t.expires_at });
  if (recoverSigner(ticketSignedText(t), t.signature) !== t.admin_pubkey) return err({ code: 'bad_signature' });
  const use = ctx.used_tickets.get(t.ticket_id);
  if (use && use.used_by !== ctx.node_id) return err({ code: 'already_used', used_by: use.used_by });
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

/** The dotted version number inside a manifest version (`"cl-hive v2.2.6"` → [2,2,6]), or null. */
export function versionNumbers(version: string): number[] | null {
  const m = /(\d+(?:\.\d+)*)/.exec(version);
  return m ? m[1]!.split('.').map(Number) : null;
}

/** Component-wise numeric comparison; missing components count as 0 (`1.4` = `1.4.0`). */
function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Check the joiner's manifest `version` (e.g. `"hivebox v0.1.0"`) against the ticket's
 * `min_version`. An empty `min_version` accepts anything; a version string without a number is
 * `version_too_old` (it cannot show it is new enough).
 */
export function checkVersion(ticket: Pick<InviteTicket, 'min_version'>, version: string): Result<void, TicketError> {
  if (ticket.min_version === '') return ok(undefined);
  const have = versionNumbers(version);
  if (!have || compareVersions(have, versionNumbers(ticket.min_version)!) < 0) {
    return err({ code: 'version_too_old', min_version: ticket.min_version, version });
  }
  return ok(undefined);
}
