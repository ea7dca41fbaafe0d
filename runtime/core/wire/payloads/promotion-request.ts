/**
 * HIVE_PROMOTION_REQUEST (32795): a neophyte asks to be promoted (clhive-protocol.md §2.3, §6.4).
 * `{target_pubkey, request_id (token_hex(16)), timestamp}`; unsigned, direct only
 * (`target_pubkey == peer_node_id`, a handler rule).
 */
import { z } from 'zod';
import { count, pubkey, requestId } from '../primitives.ts';

/** PROMOTION_REQUEST payload schema. */
export const PromotionRequestPayload = z.object({ target_pubkey: pubkey, request_id: requestId, timestamp: count });

/** Validated PROMOTION_REQUEST payload. */
export type PromotionRequestPayload = z.output<typeof PromotionRequestPayload>;
