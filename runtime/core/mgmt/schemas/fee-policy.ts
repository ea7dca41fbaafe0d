/**
 * `hive:fee-policy/v1` — `set_anchor` (spec 002 §4): set a channel's fee_ppm anchor.
 * Required tier standard; constraint: `target_fee_ppm` within the credential's
 * `max_fee_change_pct` of the current fee: |target − current| × 100 ≤ current × pct.
 */
import { z } from 'zod';
import { defineAction, SCID_RE, type SchemaDef } from './action.ts';

const setAnchorParams = z
  .object({
    channel_id: z.string().regex(SCID_RE),
    target_fee_ppm: z.number().int().min(0).max(50_000),
    confidence: z.number().min(0).max(1).default(0.5),
    ttl_hours: z.number().int().min(1).max(168).default(24),
    reason: z.string().max(500).default(''),
  })
  .strict();

/** The `hive:fee-policy/v1` schema. */
export const feePolicyV1: SchemaDef = {
  id: 'hive:fee-policy/v1',
  actions: {
    set_anchor: defineAction<z.infer<typeof setAnchorParams>>({
      tier: 'standard',
      permission: 'fee_policy',
      mutates: true,
      params: setAnchorParams,
      constraints(p, credential, node) {
        const ch = node.channels.get(p.channel_id);
        if (!ch) return { rule: 'unknown_channel', detail: `no channel ${p.channel_id}` };
        const pct = credential.constraints.max_fee_change_pct;
        if (Math.abs(p.target_fee_ppm - ch.fee_ppm) * 100 > ch.fee_ppm * pct) {
          return { rule: 'max_fee_change_pct', detail: `${ch.fee_ppm} → ${p.target_fee_ppm} ppm exceeds ${pct}%` };
        }
        return null;
      },
      targets: (p) => [`fee:${p.channel_id}`],
      channels: (p) => [p.channel_id],
      plan: (p) => ({ kind: 'set_channel_fee', scid: p.channel_id, fee_ppm: p.target_fee_ppm, ttl_hours: p.ttl_hours }),
    }),
  },
};
