/**
 * HIVE_BAN_PROPOSAL (32799): a member proposes banning another member (spec 001 §3.4;
 * clhive-protocol.md §2.3, §6.5). `{proposal_id, target_peer_id, proposer_peer_id, reason,
 * timestamp, signature, proposal_type?}`, signed by `proposer_peer_id` over
 * `hive:ban_proposal:{proposal_id}:{target_peer_id}:{timestamp}:{reason}` (`proposal_type` is not
 * covered — §15 item 7).
 */
import { z } from 'zod';
import { lazy } from '../../lazy.ts';
import type { RawPayload } from '../envelope.ts';
import { count, pubkey, reason, requestId, zbaseSig } from '../primitives.ts';
import { pyStr } from '../signing/py-format.ts';
import { type MessageSpec, singleSignature } from '../spec.ts';
import { AGE_LIMITS } from '../limits.ts';

/** BAN_PROPOSAL payload schema; no self-ban. */
const BanProposalPayload = lazy(() =>
  z
    .object({
      proposal_id: requestId(),
      target_peer_id: pubkey(),
      proposer_peer_id: pubkey(),
      reason: reason(),
      timestamp: count(),
      signature: zbaseSig(),
      proposal_type: z.enum(['standard', 'settlement_gaming']).optional(),
    })
    .refine((p) => p.target_peer_id !== p.proposer_peer_id, { path: ['target_peer_id'], message: 'self-ban' }),
);

/** Validated BAN_PROPOSAL payload. */
type BanProposalPayload = z.output<ReturnType<typeof BanProposalPayload>>;

/** cl-hive ban proposal signing string. */
export function banProposalSigningString(raw: RawPayload): string {
  return `hive:ban_proposal:${pyStr(raw.proposal_id)}:${pyStr(raw.target_peer_id)}:${pyStr(raw.timestamp)}:${pyStr(raw.reason)}`;
}

/** BAN_PROPOSAL's facts (wire/spec.ts): the registry builds every per-type table from them. */
export const BAN_PROPOSAL_SPEC = {
  name: 'BAN_PROPOSAL',
  id: 32799,
  get schema() {
    return BanProposalPayload();
  },
  max_age_s: AGE_LIMITS.gossip_s,
  signed: (m) => singleSignature(banProposalSigningString(m.raw), m.payload.signature, m.payload.proposer_peer_id),
  signing_string: banProposalSigningString,
  gate: { sender: 'proposer_peer_id', relay: true, tier: 'full' },
  event_id_fields: ['proposal_id'],
} as const satisfies MessageSpec<BanProposalPayload>;
