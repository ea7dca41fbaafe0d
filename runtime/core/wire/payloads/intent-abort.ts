/**
 * HIVE_INTENT_ABORT (32787): the loser of an intent conflict yields (spec 001 §3.3, spec 003 §4;
 * clhive-protocol.md §2.3). `{intent_type, target, initiator, timestamp, reason, signature}`,
 * signed by `initiator` over JSON-canonical
 * `{"initiator","intent_type","reason","target","timestamp"}`. cl-hive accepts only
 * channel_open | channel_close | rebalance here (§15 item 10) and requires `target` to be a pubkey.
 */
import { z } from 'zod';
import { lazy } from '../../lazy.ts';
import { canonicalJson } from '../../canonical/python-json.ts';
import type { RawPayload } from '../envelope.ts';
import { FIELD_LIMITS } from '../limits.ts';
import { count, pubkey, text, zbaseSig } from '../primitives.ts';
import { type MessageSpec, singleSignature } from '../spec.ts';

/** INTENT_ABORT payload schema. */
const IntentAbortPayload = lazy(() =>
  z.object({
    intent_type: z.enum(['channel_open', 'channel_close', 'rebalance']),
    target: pubkey(),
    initiator: pubkey(),
    timestamp: count(),
    reason: text(FIELD_LIMITS.reasonChars).optional(),
    signature: zbaseSig(),
  }),
);

/** Validated INTENT_ABORT payload. */
type IntentAbortPayload = z.output<ReturnType<typeof IntentAbortPayload>>;

/** cl-hive `get_intent_abort_signing_payload` (missing reason → ""). */
export function intentAbortSigningString(raw: RawPayload): string {
  return canonicalJson({
    intent_type: raw.intent_type ?? '',
    target: raw.target ?? '',
    initiator: raw.initiator ?? '',
    timestamp: raw.timestamp ?? 0,
    reason: raw.reason ?? '',
  });
}

/** INTENT_ABORT's facts (wire/spec.ts): the registry builds every per-type table from them. */
export const INTENT_ABORT_SPEC = {
  name: 'INTENT_ABORT',
  id: 32787,
  get schema() {
    return IntentAbortPayload();
  },
  max_age_s: null,
  signed: (m) => singleSignature(intentAbortSigningString(m.raw), m.payload.signature, m.payload.initiator),
  signing_string: intentAbortSigningString,
  gate: { sender: 'initiator', relay: false, tier: 'certified' },
} as const satisfies MessageSpec<IntentAbortPayload>;
