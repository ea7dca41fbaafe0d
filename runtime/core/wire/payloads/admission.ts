/**
 * `admission`: the proof a member row carries in WELCOME and FULL_SYNC `members[]` (Hivebox only;
 * issue 15 item 1). The member that admitted the node signs, with its node key (Lightning
 * `signmessage`), the string
 *
 *   `hivebox:admission:<hive_id>:<peer_id>:<joined_at>:<by>:<via>:<ticket_id>:<ticket_expires_at>`
 *
 * (`ticket_id` and `ticket_expires_at` empty for a cl-hive channel join). The proof is
 * self-authenticating, so it sits outside the FULL_SYNC signature (cl-hive's members hash covers
 * only `peer_id`, `tier`, `joined_at`) and cl-hive receivers ignore it. A ticket admission names
 * the ticket, so every member that accepts the row binds the ticket to that node (fleet-wide
 * single use). Compact by design: ≈ 250 bytes per row.
 */
import { z } from 'zod';
import { lazy } from '../../lazy.ts';
import { count, pubkey, zbaseSig } from '../primitives.ts';

/** How the admitted node proved its right to join: an invite ticket, or a cl-hive channel join. */
const JOIN_VIA = ['ticket', 'channel'] as const;

/** The `admission` object of a member row. */
export const AdmissionEntry = lazy(() =>
  z
    .object({
      /** The admitting member's node id. */
      by: pubkey(),
      via: z.enum(JOIN_VIA),
      /** The invite ticket's id (32 hex) and its `expires_at` (unix s); absent for a channel join. */
      ticket_id: z
        .string()
        .regex(/^[0-9a-f]{32}$/)
        .optional(),
      ticket_expires_at: count().optional(),
      /** zbase32 signature by `by` over {@link admissionSigningString}. */
      sig: zbaseSig(),
    })
    .strict()
    .refine((a) => (a.via === 'ticket') === (a.ticket_id !== undefined && a.ticket_expires_at !== undefined), {
      path: ['via'],
      message: 'a ticket admission names ticket_id and ticket_expires_at; a channel admission neither',
    }),
);

/** A validated admission proof. */
export type Admission = z.output<ReturnType<typeof AdmissionEntry>>;

/**
 * GOSSIP `hivebox_member` (spec framing only): the sender's own member row — when it joined and the
 * admission proof its admitter signed — so a member that missed the FULL_SYNC naming it can adopt it
 * through the same checks (machines/admission.ts). Outside the GOSSIP signing string; self-authenticating.
 */
export const MemberClaim = lazy(() => z.object({ joined_at: count(), admission: AdmissionEntry() }).strict());

/** A validated `hivebox_member` value. */
export type MemberClaim = z.output<ReturnType<typeof MemberClaim>>;

/** The string the admitting member signs (file header). */
export function admissionSigningString(hive_id: string, peer_id: string, joined_at: number, a: Omit<Admission, 'sig'>): string {
  return ['hivebox:admission', hive_id, peer_id, joined_at, a.by, a.via, a.ticket_id ?? '', a.ticket_expires_at ?? ''].join(':');
}
