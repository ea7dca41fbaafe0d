/**
 * HIVE_PROMOTION (32793): proof that a neophyte reached its vouch quorum (spec 001 §3.4;
 * clhive-protocol.md §2.3). `{target_pubkey, request_id, vouches: [VOUCH] ≤ 50}`; each vouch
 * names the same target and request. No envelope signature: each vouch carries its own.
 */
import { z } from 'zod';
import { FIELD_LIMITS } from '../limits.ts';
import { pubkey, requestId } from '../primitives.ts';
import { VouchPayload } from './vouch.ts';

/** PROMOTION payload schema. */
export const PromotionPayload = z
  .object({
    target_pubkey: pubkey,
    request_id: requestId,
    vouches: z.array(VouchPayload).max(FIELD_LIMITS.vouches),
  })
  .superRefine((p, ctx) => {
    p.vouches.forEach((v, i) => {
      if (v.target_pubkey !== p.target_pubkey || v.request_id !== p.request_id) {
        ctx.addIssue({ code: 'custom', path: ['vouches', i], message: 'vouch is for another target or request' });
      }
    });
  });

/** Validated PROMOTION payload. */
export type PromotionPayload = z.output<typeof PromotionPayload>;
