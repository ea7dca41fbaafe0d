/**
 * HIVE_HELLO (32769), candidate → member (spec 001 §2.2 step 1, §3.1; clhive-protocol.md §2.3).
 *
 * cl-hive form: `{pubkey, protocol_version, supported_versions?}` (no ticket; joining uses an open
 * channel as proof of stake). Hivebox spec-framing form: the same plus `ticket`, the admin-signed
 * base64url invite ticket (spec 000 §4.1, issue 2 §5), which is required in spec framing.
 * Unsigned: BOLT 8 authenticates the sender; the member checks `pubkey == peer_node_id`.
 */
import { z } from 'zod';
import { lazy } from '../../lazy.ts';
import { FIELD_LIMITS } from '../limits.ts';
import { pubkey } from '../primitives.ts';
import { type MessageSpec, unsigned } from '../spec.ts';

const protocolVersion = lazy(() => z.number().int().min(1).max(255));

/** Base64url invite ticket text (≤ 10 KiB); decoded and verified by the ticket module. */
export const ticketText = lazy(() =>
  z
    .string()
    .min(1)
    .max(FIELD_LIMITS.ticketChars)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'expected base64url text'),
);

/** HELLO as either framing may carry it (`ticket` optional). */
const HelloPayload = lazy(() =>
  z.object({
    pubkey: pubkey(),
    protocol_version: protocolVersion(),
    supported_versions: z.array(protocolVersion()).max(FIELD_LIMITS.supportedVersions).optional(),
    ticket: ticketText().optional(),
  }),
);

/** HELLO in spec framing: `ticket` is required (issue 2 §6 joining rules). */
const HelloSpecPayload = lazy(() => HelloPayload().extend({ ticket: ticketText() }));

/** Validated HELLO payload. */
type HelloPayload = z.output<ReturnType<typeof HelloPayload>>;

/** HELLO's facts (wire/spec.ts): the registry builds every per-type table from them. */
export const HELLO_SPEC = {
  name: 'HELLO',
  id: 32769,
  get schema() {
    return HelloPayload();
  },
  get spec_schema() {
    return HelloSpecPayload();
  },
  max_age_s: null,
  signed: unsigned,
} as const satisfies MessageSpec<HelloPayload>;
