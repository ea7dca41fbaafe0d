/**
 * JOIN_REFUSED (32909, Hivebox): member → candidate, the answer to a HELLO the member refused for a
 * ticket rule (issue 16 §5: a reused ticket used to end in `no_answer` after both framings timed
 * out). Sent in spec framing only, after the HELLO passed the member's per-peer rate limit (one
 * HELLO per 10 s), so it is never more traffic than the HELLOs that cause it. cl-hive does not know
 * the type; cl-hive framing HELLOs are not answered with it.
 *
 * Unsigned: BOLT 8 authenticates the sender; the candidate takes it only from the member it sent
 * HELLO to, while that join waits for CHALLENGE.
 *
 * Payload:
 * - `rule`: the refusing rule (the member's reject reason, `ticket_<code>` or `ticket_required`);
 * - `detail`: ≤ 256 chars for the operator ("used at 2026-12-06T18:02:11Z", "missing splice"); never
 *   the node that used a ticket;
 * - `timestamp`: unix seconds.
 */
import { z } from 'zod';
import { lazy } from '../../lazy.ts';
import { count } from '../primitives.ts';
import { type MessageSpec, unsigned } from '../spec.ts';
import { AGE_LIMITS } from '../limits.ts';

/** Rules a member names in JOIN_REFUSED. */
export const JOIN_REFUSAL_RULES = [
  'ticket_malformed',
  'ticket_wrong_hive',
  'ticket_admin_not_trusted',
  'ticket_not_yet_valid',
  'ticket_expired',
  'ticket_bad_signature',
  'ticket_already_used',
  'ticket_requirements_not_met',
  'ticket_version_too_old',
  'ticket_required',
  'channel_join_disabled',
] as const;

/** One refusal rule. */
export type JoinRefusalRule = (typeof JOIN_REFUSAL_RULES)[number];

/** JOIN_REFUSED payload schema. */
const JoinRefusedPayload = lazy(() =>
  z.object({
    rule: z.enum(JOIN_REFUSAL_RULES),
    detail: z.string().max(256),
    timestamp: count(),
  }),
);

/** Validated JOIN_REFUSED payload. */
type JoinRefusedPayload = z.output<ReturnType<typeof JoinRefusedPayload>>;

/** JOIN_REFUSED's facts (wire/spec.ts): the registry builds every per-type table from them. */
export const JOIN_REFUSED_SPEC = {
  name: 'JOIN_REFUSED',
  id: 32909,
  get schema() {
    return JoinRefusedPayload();
  },
  max_age_s: AGE_LIMITS.joinRefused_s,
  signed: unsigned,
} as const satisfies MessageSpec<JoinRefusedPayload>;
