/**
 * HIVE_BAN_VOTE (32801): a member's vote on a ban proposal (clhive-protocol.md §2.3, §6.5).
 * `{proposal_id, voter_peer_id, vote: approve|reject, timestamp, signature}`, signed by
 * `voter_peer_id` over `hive:ban_vote:{proposal_id}:{vote}:{timestamp}`.
 */
import { z } from 'zod';
import type { RawPayload } from '../envelope.ts';
import { count, pubkey, requestId, zbaseSig } from '../primitives.ts';
import { pyStr } from '../signing/py-format.ts';

/** BAN_VOTE payload schema. */
export const BanVotePayload = z.object({
  proposal_id: requestId,
  voter_peer_id: pubkey,
  vote: z.enum(['approve', 'reject']),
  timestamp: count,
  signature: zbaseSig,
});

/** Validated BAN_VOTE payload. */
export type BanVotePayload = z.output<typeof BanVotePayload>;

/** cl-hive ban vote signing string. */
export function banVoteSigningString(raw: RawPayload): string {
  return `hive:ban_vote:${pyStr(raw.proposal_id)}:${pyStr(raw.vote)}:${pyStr(raw.timestamp)}`;
}
