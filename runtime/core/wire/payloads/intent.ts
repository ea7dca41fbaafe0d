/**
 * HIVE_INTENT (32783): an intent-lock request (spec 001 §3.3, spec 003 §4; clhive-protocol.md
 * §2.3, §5). `{intent_type, target, initiator, timestamp, expires_at, amount_sats?,
 * budget_proof_timestamp?}`. Unsigned in cl-hive (§15 item 7): BOLT 8 authenticates the direct
 * sender, and the handler requires `initiator == peer_node_id`.
 */
import { z } from 'zod';
import { lazy } from '../../lazy.ts';
import { AGE_LIMITS, FIELD_LIMITS } from '../limits.ts';
import { count, pubkey, text } from '../primitives.ts';
import { type MessageSpec, unsigned } from '../spec.ts';

/** Intent types INTENT accepts (cl-hive). */
const INTENT_TYPES = ['channel_open', 'rebalance', 'ban_peer'] as const;

/** INTENT payload schema. */
const IntentPayload = lazy(() =>
  z.object({
    intent_type: z.enum(INTENT_TYPES),
    target: text(FIELD_LIMITS.peerIdChars).min(1),
    initiator: pubkey(),
    timestamp: count(),
    expires_at: count(),
    amount_sats: count().optional(),
    budget_proof_timestamp: count().optional(),
  }),
);

/** Validated INTENT payload. */
type IntentPayload = z.output<ReturnType<typeof IntentPayload>>;

/** INTENT's facts (wire/spec.ts): the registry builds every per-type table from them. */
export const INTENT_SPEC = {
  name: 'INTENT',
  id: 32783,
  get schema() {
    return IntentPayload();
  },
  max_age_s: AGE_LIMITS.intent_s,
  signed: unsigned,
  gate: { sender: 'initiator', relay: false, tier: 'certified' },
} as const satisfies MessageSpec<IntentPayload>;
