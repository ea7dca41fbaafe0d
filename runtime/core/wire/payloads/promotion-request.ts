/**
 * HIVE_PROMOTION_REQUEST (32795): a neophyte asks to be promoted (clhive-protocol.md §2.3, §6.4).
 * `{target_pubkey, request_id (token_hex(16)), timestamp}`; unsigned, direct only
 * (`target_pubkey == peer_node_id`, a handler rule).
 */
import { z } from 'zod';
import { lazy } from '../../lazy.ts';
import { count, pubkey, requestId } from '../primitives.ts';
import { type MessageSpec, unsigned } from '../spec.ts';
import { AGE_LIMITS } from '../limits.ts';

/** PROMOTION_REQUEST payload schema. */
const PromotionRequestPayload = lazy(() => z.object({ target_pubkey: pubkey(), request_id: requestId(), timestamp: count() }));

/** Validated PROMOTION_REQUEST payload. */
type PromotionRequestPayload = z.output<ReturnType<typeof PromotionRequestPayload>>;

/** PROMOTION_REQUEST's facts (wire/spec.ts): the registry builds every per-type table from them. */
export const PROMOTION_REQUEST_SPEC = {
  name: 'PROMOTION_REQUEST',
  id: 32795,
  get schema() {
    return PromotionRequestPayload();
  },
  max_age_s: AGE_LIMITS.gossip_s,
  signed: unsigned,
  gate: { sender: 'target_pubkey', relay: false, tier: 'neophyte' },
  event_id_fields: ['target_pubkey', 'request_id'],
} as const satisfies MessageSpec<PromotionRequestPayload>;
