/**
 * The payload schema of every Hive message type (issue 2 §2: validated before any handler sees
 * it). `PAYLOAD_SCHEMAS` `satisfies Record<MsgType, …>`, so adding a type without a schema is a
 * compile error. `SPEC_PAYLOAD_SCHEMAS` tightens a few types in spec framing (Hivebox-only fields
 * that become required). Validation strips unknown and `_`-prefixed keys from the view.
 */
import { z } from 'zod';
import { err, ok, type Result } from '../result.ts';
import { type WireError, wireError } from './errors.ts';
import type { Framing } from './framing.ts';
import type { MsgType } from './message-types.ts';
import { AttestPayload, AttestSpecPayload } from './payloads/attest.ts';
import { ChallengePayload } from './payloads/challenge.ts';
import { GenericPayload } from './payloads/generic.ts';
import { GossipPayload } from './payloads/gossip.ts';
import { StateHashPayload } from './payloads/state-hash.ts';
import { FullSyncPayload } from './payloads/full-sync.ts';
import { IntentPayload } from './payloads/intent.ts';
import { IntentAckPayload } from './payloads/intent-ack.ts';
import { IntentAbortPayload } from './payloads/intent-abort.ts';
import { VouchPayload } from './payloads/vouch.ts';
import { BanPayload } from './payloads/ban.ts';
import { PromotionPayload } from './payloads/promotion.ts';
import { PromotionRequestPayload } from './payloads/promotion-request.ts';
import { MemberLeftPayload } from './payloads/member-left.ts';
import { BanProposalPayload } from './payloads/ban-proposal.ts';
import { BanVotePayload } from './payloads/ban-vote.ts';
import { MsgAckPayload } from './payloads/msg-ack.ts';
import { HiveRevokePayload } from './payloads/hive-revoke.ts';
import { BanPeerPayload } from './payloads/ban-peer.ts';
import { JoinRefusedPayload } from './payloads/join-refused.ts';
import { HelloPayload, HelloSpecPayload } from './payloads/hello.ts';
import { WelcomePayload, WelcomeSpecPayload } from './payloads/welcome.ts';

/** Payload schema per message type (the form both framings accept). */
export const PAYLOAD_SCHEMAS = {
  HELLO: HelloPayload,
  CHALLENGE: ChallengePayload,
  ATTEST: AttestPayload,
  WELCOME: WelcomePayload,
  GOSSIP: GossipPayload,
  STATE_HASH: StateHashPayload,
  FULL_SYNC: FullSyncPayload,
  INTENT: IntentPayload,
  INTENT_ACK: IntentAckPayload,
  INTENT_ABORT: IntentAbortPayload,
  VOUCH: VouchPayload,
  BAN: BanPayload,
  PROMOTION: PromotionPayload,
  PROMOTION_REQUEST: PromotionRequestPayload,
  MEMBER_LEFT: MemberLeftPayload,
  BAN_PROPOSAL: BanProposalPayload,
  BAN_VOTE: BanVotePayload,
  PEER_AVAILABLE: GenericPayload,
  EXPANSION_NOMINATE: GenericPayload,
  EXPANSION_ELECT: GenericPayload,
  LIQUIDITY_NEED: GenericPayload,
  HEALTH_REPORT: GenericPayload,
  ROUTE_PROBE: GenericPayload,
  EXPANSION_DECLINE: GenericPayload,
  SETTLEMENT_OFFER: GenericPayload,
  FEE_REPORT: GenericPayload,
  FEE_INTELLIGENCE_SNAPSHOT: GenericPayload,
  PEER_REPUTATION_SNAPSHOT: GenericPayload,
  ROUTE_PROBE_BATCH: GenericPayload,
  LIQUIDITY_SNAPSHOT: GenericPayload,
  TASK_REQUEST: GenericPayload,
  TASK_RESPONSE: GenericPayload,
  SPLICE_INIT_REQUEST: GenericPayload,
  SPLICE_INIT_RESPONSE: GenericPayload,
  SPLICE_UPDATE: GenericPayload,
  SPLICE_SIGNED: GenericPayload,
  SPLICE_ABORT: GenericPayload,
  SETTLEMENT_PROPOSE: GenericPayload,
  SETTLEMENT_READY: GenericPayload,
  SETTLEMENT_EXECUTED: GenericPayload,
  STIGMERGIC_MARKER_BATCH: GenericPayload,
  PHEROMONE_BATCH: GenericPayload,
  YIELD_METRICS_BATCH: GenericPayload,
  CIRCULAR_FLOW_ALERT: GenericPayload,
  TEMPORAL_PATTERN_BATCH: GenericPayload,
  CORRIDOR_VALUE_BATCH: GenericPayload,
  POSITIONING_PROPOSAL: GenericPayload,
  PHYSARUM_RECOMMENDATION: GenericPayload,
  COVERAGE_ANALYSIS_BATCH: GenericPayload,
  CLOSE_PROPOSAL: GenericPayload,
  MCF_NEEDS_BATCH: GenericPayload,
  MCF_SOLUTION_BROADCAST: GenericPayload,
  MCF_ASSIGNMENT_ACK: GenericPayload,
  MCF_COMPLETION_REPORT: GenericPayload,
  MSG_ACK: MsgAckPayload,
  DID_CREDENTIAL_PRESENT: GenericPayload,
  DID_CREDENTIAL_REVOKE: GenericPayload,
  MGMT_CREDENTIAL_PRESENT: GenericPayload,
  MGMT_CREDENTIAL_REVOKE: GenericPayload,
  SETTLEMENT_RECEIPT: GenericPayload,
  BOND_POSTING: GenericPayload,
  BOND_SLASH: GenericPayload,
  NETTING_PROPOSAL: GenericPayload,
  NETTING_ACK: GenericPayload,
  VIOLATION_REPORT: GenericPayload,
  ARBITRATION_VOTE: GenericPayload,
  HIVE_REVOKE: HiveRevokePayload,
  BAN_PEER: BanPeerPayload,
  JOIN_REFUSED: JoinRefusedPayload,
} as const satisfies Record<MsgType, z.ZodType>;

/** Spec-framing overrides: Hivebox-only fields that are required when Hivebox talks to Hivebox. */
export const SPEC_PAYLOAD_SCHEMAS: Partial<Record<MsgType, z.ZodType>> = {
  HELLO: HelloSpecPayload,
  ATTEST: AttestSpecPayload,
  WELCOME: WelcomeSpecPayload,
};

/** The validated payload type of message type `T`. */
export type PayloadOf<T extends MsgType> = z.output<(typeof PAYLOAD_SCHEMAS)[T]>;

function issuePath(path: readonly PropertyKey[]): string | undefined {
  if (path.length === 0) return undefined;
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/**
 * Validate a raw payload of type `type` in `framing`.
 * @returns the validated view (unknown and `_` keys stripped, Python floats as numbers) or
 *   `invalid_field` naming the first failing field (dotted path, `[i]` for array items).
 */
export function validatePayload<T extends MsgType>(type: T, framing: Framing, raw: unknown): Result<PayloadOf<T>, WireError> {
  const schema = (framing === 'spec' ? SPEC_PAYLOAD_SCHEMAS[type] : undefined) ?? PAYLOAD_SCHEMAS[type];
  const parsed = schema.safeParse(raw);
  if (parsed.success) return ok(parsed.data as PayloadOf<T>);
  const issue = parsed.error.issues[0]!;
  return err(wireError('invalid_field', issue.message, issuePath(issue.path)));
}
