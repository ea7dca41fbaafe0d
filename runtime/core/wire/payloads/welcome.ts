/**
 * HIVE_WELCOME (32775), member → candidate (spec 001 §2.2 step 5, §3.1 "HiveID + Member List";
 * clhive-protocol.md §2.3).
 *
 * cl-hive form: `{hive_id, tier, member_count, state_hash}` (tier is always "neophyte"; a joiner
 * must never adopt a higher tier from the message — §15 item 3). Hivebox spec form adds the member
 * list `members: [{peer_id, tier, joined_at, addresses?, admission?}]` and `membership_hash` (cl-hive §4.3
 * hash of that list, `membershipHash(members)`), both required and consistent in spec framing. Unsigned; BOLT 8 authenticates the sender and
 * the candidate accepts WELCOME only from the member it sent ATTEST to.
 */
import { z } from 'zod';
import { lazy } from '../../lazy.ts';
import { FIELD_LIMITS } from '../limits.ts';
import { count, hex64, hiveId, pubkey, text, tier } from '../primitives.ts';
import { membershipHash } from '../signing/hashes.ts';
import { AdmissionEntry } from './admission.ts';
import { type MessageSpec, unsigned } from '../spec.ts';

/** One member row as WELCOME and FULL_SYNC carry it. */
export const MemberEntry = lazy(() =>
  z.object({
    peer_id: pubkey(),
    tier: tier(),
    joined_at: count(),
    addresses: z.array(text(FIELD_LIMITS.addressChars)).max(FIELD_LIMITS.addressesItems).optional(),
    /** Hivebox: who admitted this node and how, signed by the admitter (payloads/admission.ts). */
    admission: AdmissionEntry().optional(),
  }),
);

/** Validated member row. */
export type MemberEntry = z.output<ReturnType<typeof MemberEntry>>;

/** WELCOME as either framing may carry it. */
const WelcomePayload = lazy(() =>
  z.object({
    hive_id: hiveId(),
    tier: tier(),
    member_count: count(),
    state_hash: hex64(),
    members: z.array(MemberEntry()).max(FIELD_LIMITS.members).optional(),
    membership_hash: hex64().optional(),
  }),
);

/** WELCOME in spec framing: `members` and `membership_hash` are required and must agree. */
const WelcomeSpecPayload = lazy(() =>
  WelcomePayload().extend({
    members: z.array(MemberEntry()).max(FIELD_LIMITS.members),
    membership_hash: hex64(),
  }).refine((p) => membershipHash(p.members) === p.membership_hash, {
    path: ['membership_hash'],
    message: 'membership_hash does not match members',
  }),
);

/** Validated WELCOME payload. */
type WelcomePayload = z.output<ReturnType<typeof WelcomePayload>>;

/** WELCOME's facts (wire/spec.ts): the registry builds every per-type table from them. */
export const WELCOME_SPEC = {
  name: 'WELCOME',
  id: 32775,
  get schema() {
    return WelcomePayload();
  },
  get spec_schema() {
    return WelcomeSpecPayload();
  },
  max_age_s: null,
  signed: unsigned,
} as const satisfies MessageSpec<WelcomePayload>;
