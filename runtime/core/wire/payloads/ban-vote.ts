/**
 * HIVE_BAN_VOTE (32801): a member's vote on a ban proposal (clhive-protocol.md §2.3, §6.5).
 * `{proposal_id, voter_peer_id, vote: approve|reject, timestamp, signature}`, signed by
 * `voter_peer_id` over `hive:ban_vote:{proposal_id}:{vote}:{timestamp}`.
 */
import { z } from 'zod';
import { lazy } from '../../lazy.ts';
import type { RawPayload } from '../envelope.ts';
import { count, pubkey, requestId, zbaseSig } from '../primitives.ts';
import { pyStr } from '../signing/py-format.ts';
import { type MessageSpec, singleSignature } from '../spec.ts';
import { AGE_LIMITS } from '../limits.ts';

/** BAN_VOTE payload schema. */
const BanVotePayload = lazy(() =>
  z.object({
    proposal_id: requestId(),
    voter_peer_id: pubkey(),
    vote: z.enum(['approve', 'reject']),
    timestamp: count(),
    signature: zbaseSig(),
  }),
);

/** Validated BAN_VOTE payload. */
type BanVotePayload = z.output<ReturnType<typeof BanVotePayload>>;

/** cl-hive ban vote signing string. */
export function banVoteSigningString(raw: RawPayload): string {
  return `hive:ban_vote:${pyStr(raw.proposal_id)}:${pyStr(raw.vote)}:${pyStr(raw.timestamp)}`;
}

/** BAN_VOTE's facts (wire/spec.ts): the registry builds every per-type table from them. */
export const BAN_VOTE_SPEC = {
  name: 'BAN_VOTE',
  id: 32801,
  get schema() {
    return BanVotePayload();
  },
  max_age_s: AGE_LIMITS.gossip_s,
  signed: (m) => singleSignature(banVoteSigningString(m.raw), m.payload.signature, m.payload.voter_peer_id),
  signing_string: banVoteSigningString,
  gate: { sender: 'voter_peer_id', relay: true, tier: 'full' },
  event_id_fields: ['proposal_id', 'voter_peer_id'],
} as const satisfies MessageSpec<BanVotePayload>;
