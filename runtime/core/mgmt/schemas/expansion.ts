/**
 * `hive:expansion/v1` — `propose_channel_open` (spec 002 §4): records a pending action for the
 * operator's approval; never opens a channel itself. Required tier advanced.
 */
import { z } from 'zod';
import { defineAction, type SchemaDef } from './action.ts';

/** Smallest channel CLN opens by default, sats (CLN `min-capacity-sat` default 10000 → keep 20000 as cl-hive). */
export const MIN_PROPOSED_CAPACITY_SATS = 20_000;

const proposeParams = z
  .object({
    peer_id: z.string().regex(/^0[23][0-9a-f]{64}$/),
    capacity_sats: z.number().int().min(MIN_PROPOSED_CAPACITY_SATS).max(Number.MAX_SAFE_INTEGER / 1000),
    push_sats: z.number().int().min(0).default(0),
    reasoning: z.string().max(1000).default(''),
    peer_intel: z.record(z.string().max(64), z.unknown()).default({}),
  })
  .strict()
  .refine((p) => p.push_sats <= p.capacity_sats, 'push_sats exceeds capacity_sats');

/** The `hive:expansion/v1` schema. */
export const expansionV1: SchemaDef = {
  id: 'hive:expansion/v1',
  actions: {
    propose_channel_open: defineAction<z.infer<typeof proposeParams>>({
      tier: 'advanced',
      permission: 'channel_open',
      mutates: true,
      params: proposeParams,
      constraints: () => null,
      targets: (p) => [`open:${p.peer_id}`],
      channels: () => [],
      plan: (p) => ({ kind: 'pending_channel_open', peer_id: p.peer_id, capacity_sats: p.capacity_sats, push_sats: p.push_sats, reasoning: p.reasoning }),
    }),
  },
};
