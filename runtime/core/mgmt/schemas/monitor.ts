/**
 * `hive:monitor/v1` — `health_summary` (spec 002 §4): read-only node health and metrics.
 * Required tier monitor; changes nothing.
 */
import { z } from 'zod';
import { defineAction, type SchemaDef } from './action.ts';

const healthParams = z
  .object({
    include_channels: z.boolean().default(true),
    include_forwards: z.boolean().default(true),
    hours: z.number().int().min(1).max(720).default(24),
  })
  .strict();

/** The `hive:monitor/v1` schema. */
export const monitorV1: SchemaDef = {
  id: 'hive:monitor/v1',
  actions: {
    health_summary: defineAction<z.infer<typeof healthParams>>({
      tier: 'monitor',
      permission: 'monitor',
      mutates: false,
      params: healthParams,
      constraints: () => null,
      targets: () => [],
      channels: () => [],
      plan: (p) => ({ kind: 'health_summary', include_channels: p.include_channels, include_forwards: p.include_forwards, hours: p.hours }),
    }),
  },
};
