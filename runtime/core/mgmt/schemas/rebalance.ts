/**
 * `hive:rebalance/v1` — `circular_rebalance` (spec 002 §4): move liquidity from one channel to
 * another through a circular route, fleet routes preferred. Required tier standard; constraints:
 * `amount_sats` ≤ the credential's `max_rebalance_sats`, `max_fee_ppm` ≤ 1000.
 */
import { z } from 'zod';
import { defineAction, SCID_RE, type SchemaDef } from './action.ts';

/** Highest rebalance fee an advisor may offer, ppm (spec 002 §4 rebalance constraints). */
export const MAX_REBALANCE_FEE_PPM = 1000;

const rebalanceParams = z
  .object({
    from_channel: z.string().regex(SCID_RE),
    to_channel: z.string().regex(SCID_RE),
    amount_sats: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER / 1000),
    max_fee_ppm: z.number().int().min(0).max(1_000_000),
    prefer_hive_route: z.boolean().default(true),
  })
  .strict()
  .refine((p) => p.from_channel !== p.to_channel, 'from_channel and to_channel must differ');

/** The `hive:rebalance/v1` schema. */
export const rebalanceV1: SchemaDef = {
  id: 'hive:rebalance/v1',
  actions: {
    circular_rebalance: defineAction<z.infer<typeof rebalanceParams>>({
      tier: 'standard',
      permission: 'rebalance',
      mutates: true,
      params: rebalanceParams,
      constraints(p, credential, node) {
        for (const scid of [p.from_channel, p.to_channel]) if (!node.channels.has(scid)) return { rule: 'unknown_channel', detail: `no channel ${scid}` };
        if (p.amount_sats > credential.constraints.max_rebalance_sats) {
          return { rule: 'max_rebalance_sats', detail: `${p.amount_sats} sats > ${credential.constraints.max_rebalance_sats}` };
        }
        if (p.max_fee_ppm > MAX_REBALANCE_FEE_PPM) return { rule: 'max_fee_ppm', detail: `${p.max_fee_ppm} ppm > ${MAX_REBALANCE_FEE_PPM}` };
        return null;
      },
      targets: (p) => [`rebalance:${p.from_channel}`, `rebalance:${p.to_channel}`],
      channels: (p) => [p.from_channel, p.to_channel],
      plan: (p) => ({
        kind: 'rebalance',
        from_scid: p.from_channel,
        to_scid: p.to_channel,
        amount_sats: p.amount_sats,
        max_fee_ppm: p.max_fee_ppm,
        prefer_hive_route: p.prefer_hive_route,
      }),
    }),
  },
};
