/**
 * Ticket rejects: one closed union, one code per broken rule (issue 2 §5). Each code is produced
 * by exactly one check in verify.ts (or codec.ts for `malformed`).
 */
import type { HiveFeature } from './features.ts';

/** Why a ticket was refused. */
export type TicketError =
  /** Not a ticket: too big, not base64url, not JSON, missing/extra/ill-typed field, bad lifetime. */
  | { readonly code: 'malformed'; readonly reason: string; readonly field?: string }
  /** The ticket is for another hive. */
  | { readonly code: 'wrong_hive'; readonly hive_id: string }
  /** `admin_pubkey` is not one of this hive's trusted admin keys. */
  | { readonly code: 'admin_not_trusted'; readonly admin_pubkey: string }
  /** `issued_at` lies more than the 300 s clock skew in the future. */
  | { readonly code: 'not_yet_valid'; readonly issued_at: number }
  /** `now_s` is past `expires_at`. */
  | { readonly code: 'expired'; readonly expires_at: number }
  /** The signature does not recover to `admin_pubkey` over the ticket's signed text. */
  | { readonly code: 'bad_signature' }
  /** The ticket was already used by another node (tickets are single use and bound to their first user). */
  | { readonly code: 'already_used'; readonly used_by: string; readonly used_at: number }
  /** The joiner's negotiated BOLT 9 features lack a required feature. */
  | { readonly code: 'requirements_not_met'; readonly missing: readonly HiveFeature[] }
  /** The joiner's manifest version is below `min_version` (or carries no version number). */
  | { readonly code: 'version_too_old'; readonly min_version: string; readonly version: string };

/** The `code` of every ticket reject. */
export type TicketErrorCode = TicketError['code'];
