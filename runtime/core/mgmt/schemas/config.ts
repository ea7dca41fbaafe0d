/**
 * `hive:config/v1` — `adjust` (spec 002 §4): change one fee/rebalance algorithm parameter of the
 * node's own config. Required tier standard; the parameter must be in {@link CONFIG_PARAMETERS}
 * and the value inside its range (cl-revenue-ops style parameters, clhive-protocol.md §8.1). The
 * value holds for `ttl_hours` (default 24), then reverts (runtime/node/mgmt/ttl-reverts.ts).
 */
import { z } from 'zod';
import { defineAction, type SchemaDef } from './action.ts';

/** Parameters an advisor may adjust, with their inclusive valid ranges. */
export const CONFIG_PARAMETERS: Readonly<Record<string, { readonly min: number; readonly max: number; readonly unit: string }>> = {
  min_fee_ppm: { min: 0, max: 5_000, unit: 'ppm' },
  max_fee_ppm: { min: 1, max: 50_000, unit: 'ppm' },
  base_fee_msat: { min: 0, max: 10_000, unit: 'msat' },
  rebalance_max_fee_ppm: { min: 0, max: 1_000, unit: 'ppm' },
  rebalance_interval_s: { min: 300, max: 86_400, unit: 's' },
  stagnation_days: { min: 1, max: 90, unit: 'days' },
};

const adjustParams = z
  .object({
    parameter: z.string().refine((k) => Object.hasOwn(CONFIG_PARAMETERS, k), 'parameter not in the allowed list'),
    value: z.number().finite(),
    /** Hours until the value reverts to what it was (the daemon's tick; spec 002 §4 TTL, as `set_anchor`). */
    ttl_hours: z.number().int().min(1).max(168).default(24),
    trigger_reason: z.string().max(200).default(''),
    confidence: z.number().min(0).max(1).default(0.5),
    context_metrics: z.record(z.string().max(64), z.number()).default({}),
  })
  .strict()
  .superRefine((p, ctx) => {
    const range = CONFIG_PARAMETERS[p.parameter];
    if (range && (p.value < range.min || p.value > range.max)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${p.parameter} must be within ${range.min}..${range.max} ${range.unit}` });
    }
  });

/** The `hive:config/v1` schema. */
export const configV1: SchemaDef = {
  id: 'hive:config/v1',
  actions: {
    adjust: defineAction<z.infer<typeof adjustParams>>({
      tier: 'standard',
      permission: 'config_tune',
      mutates: true,
      params: adjustParams,
      constraints: () => null,
      targets: (p) => [`config:${p.parameter}`],
      channels: () => [],
      plan: (p) => ({ kind: 'set_config', parameter: p.parameter, value: p.value, ttl_hours: p.ttl_hours }),
    }),
  },
};
