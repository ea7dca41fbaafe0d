/**
 * HIVE_PROMOTION (32793): proof that a neophyte reached its vouch quorum (spec 001 §3.4;
 * clhive-protocol.md §2.3). `{target_pubkey, request_id, vouches: [VOUCH] ≤ 50}`; each vouch
 * names the same target and request. No envelope signature: each vouch carries its own.
 */
import { z } from 'zod';
import { lazy } from '../../lazy.ts';
import { FIELD_LIMITS } from '../limits.ts';
import { pubkey, requestId } from '../primitives.ts';
import { VouchPayload, vouchSigningString } from './vouch.ts';
import type { RawPayload } from '../envelope.ts';
import type { MessageSpec, MessageView, SignedPart } from '../spec.ts';

/** PROMOTION payload schema. */
const PromotionPayload = lazy(() =>
  z
    .object({
      target_pubkey: pubkey(),
      request_id: requestId(),
      vouches: z.array(VouchPayload()).max(FIELD_LIMITS.vouches),
    })
    .superRefine((p, ctx) => {
      p.vouches.forEach((v, i) => {
        if (v.target_pubkey !== p.target_pubkey || v.request_id !== p.request_id) {
          ctx.addIssue({ code: 'custom', path: ['vouches', i], message: 'vouch is for another target or request' });
        }
      });
    }),
);

/** Validated PROMOTION payload. */
type PromotionPayload = z.output<ReturnType<typeof PromotionPayload>>;

/** One signature per carried vouch, each by its `voucher_pubkey` over the vouch's own signing string. */
function promotionSignatures(m: MessageView<PromotionPayload>): SignedPart[] {
  const rawVouches = (m.raw.vouches ?? []) as readonly RawPayload[];
  return m.payload.vouches.map((v, i) => ({
    label: `vouches[${i}].sig`,
    canonical: vouchSigningString(rawVouches[i]!),
    zbase: v.sig,
    claimed_signer: v.voucher_pubkey,
  }));
}

/** PROMOTION's facts (wire/spec.ts): the registry builds every per-type table from them. */
export const PROMOTION_SPEC = {
  name: 'PROMOTION',
  id: 32793,
  get schema() {
    return PromotionPayload();
  },
  max_age_s: null,
  signed: promotionSignatures,
  gate: { sender: null, relay: false, tier: 'full' },
  event_id_fields: ['target_pubkey', 'request_id'],
} as const satisfies MessageSpec<PromotionPayload>;
