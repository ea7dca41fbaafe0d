/**
 * HIVE_INTENT_ACK (32785): "Lock Acknowledgement (reserved)" (spec 001 §3.3). cl-hive never sends
 * it and has no handler (clhive-protocol.md §2.1). Hivebox reserves the shape
 * `{intent_type, target, initiator, timestamp, sender_id?}` naming the acknowledged intent;
 * unsigned, direct only. No Hivebox handler consumes it yet.
 */
import { z } from 'zod';
import { lazy } from '../../lazy.ts';
import { AGE_LIMITS, FIELD_LIMITS } from '../limits.ts';
import { count, pubkey, text } from '../primitives.ts';
import { type MessageSpec, unsigned } from '../spec.ts';

/** INTENT_ACK payload schema (reserved). */
const IntentAckPayload = lazy(() =>
  z.object({
    intent_type: z.enum(['channel_open', 'channel_close', 'rebalance', 'ban_peer']),
    target: text(FIELD_LIMITS.peerIdChars).min(1),
    initiator: pubkey(),
    timestamp: count(),
    sender_id: pubkey().optional(),
  }),
);

/** Validated INTENT_ACK payload. */
type IntentAckPayload = z.output<ReturnType<typeof IntentAckPayload>>;

/** INTENT_ACK's facts (wire/spec.ts): the registry builds every per-type table from them. */
export const INTENT_ACK_SPEC = {
  name: 'INTENT_ACK',
  id: 32785,
  get schema() {
    return IntentAckPayload();
  },
  max_age_s: AGE_LIMITS.intent_s,
  signed: unsigned,
} as const satisfies MessageSpec<IntentAckPayload>;
