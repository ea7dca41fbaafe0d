/**
 * HIVE_BAN (32791): informational notice that a ban was executed (spec 001 §3.4;
 * clhive-protocol.md §2.3). `{peer_id, reason, proposal_id?}`; unsigned, and cl-hive has no
 * receive handler — a receiver must not act on it (the votes are the authority).
 */
import { z } from 'zod';
import { lazy } from '../../lazy.ts';
import { pubkey, reason, requestId } from '../primitives.ts';
import { type MessageSpec, unsigned } from '../spec.ts';

/** BAN payload schema. */
const BanPayload = lazy(() => z.object({ peer_id: pubkey(), reason: reason(), proposal_id: requestId().optional() }));

/** Validated BAN payload. */
type BanPayload = z.output<ReturnType<typeof BanPayload>>;

/** BAN's facts (wire/spec.ts): the registry builds every per-type table from them. */
export const BAN_SPEC = {
  name: 'BAN',
  id: 32791,
  get schema() {
    return BanPayload();
  },
  max_age_s: null,
  signed: unsigned,
} as const satisfies MessageSpec<BanPayload>;
