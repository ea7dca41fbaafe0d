/**
 * Timestamp freshness: a pure check, separate from decoding, with `now` passed in
 * (clhive-protocol.md §2.2 `_check_timestamp_freshness`). A message is fresh when its `timestamp`
 * is a number > 0, no older than the type's max age and at most 300 s in the future.
 * `MAX_AGE_S` `satisfies Record<MsgType, …>`: every type states its rule (null = not checked, as
 * in cl-hive).
 */
import { PyFloat } from '../canonical/python-json.ts';
import { err, ok, type Result } from '../result.ts';
import type { UnixSeconds } from '../types.ts';
import { type WireError, wireError } from './errors.ts';
import type { MsgType } from './message-types.ts';

/** `MAX_CLOCK_SKEW_SECONDS`: how far in the future a timestamp may be. */
export const MAX_CLOCK_SKEW_S = 300;

const GOSSIP_S = 3_600; // MAX_GOSSIP_AGE_SECONDS
const INTENT_S = 600; // MAX_INTENT_AGE_SECONDS
const STATE_HASH_S = 3_600; // MAX_STATE_HASH_AGE_SECONDS
const SETTLEMENT_S = 86_400; // MAX_SETTLEMENT_AGE_SECONDS
const INTELLIGENCE_S = 7_200; // MAX_INTELLIGENCE_AGE_SECONDS
/** Hivebox: a revocation is kept and re-sent; replaying one re-applies nothing (30 days). */
const REVOKE_S = 30 * 86_400;
/** Hivebox: a peer ban lives as long as a cl-hive ban proposal (7 days). */
const BAN_PEER_S = 7 * 86_400;
/** Hivebox: a join refusal answers a HELLO at once; an old one is not an answer (10 min). */
const JOIN_REFUSED_S = 600;

/** Max age in seconds per message type; null = no freshness check. */
export const MAX_AGE_S = {
  HELLO: null,
  CHALLENGE: null,
  ATTEST: null,
  WELCOME: null,
  GOSSIP: GOSSIP_S,
  STATE_HASH: STATE_HASH_S,
  FULL_SYNC: STATE_HASH_S,
  INTENT: INTENT_S,
  INTENT_ACK: INTENT_S,
  INTENT_ABORT: null,
  VOUCH: GOSSIP_S,
  BAN: null,
  PROMOTION: null,
  PROMOTION_REQUEST: GOSSIP_S,
  MEMBER_LEFT: null,
  BAN_PROPOSAL: GOSSIP_S,
  BAN_VOTE: GOSSIP_S,
  PEER_AVAILABLE: null,
  EXPANSION_NOMINATE: null,
  EXPANSION_ELECT: null,
  LIQUIDITY_NEED: INTELLIGENCE_S,
  HEALTH_REPORT: INTELLIGENCE_S,
  ROUTE_PROBE: null,
  EXPANSION_DECLINE: null,
  SETTLEMENT_OFFER: SETTLEMENT_S,
  FEE_REPORT: INTELLIGENCE_S,
  FEE_INTELLIGENCE_SNAPSHOT: INTELLIGENCE_S,
  PEER_REPUTATION_SNAPSHOT: null,
  ROUTE_PROBE_BATCH: null,
  LIQUIDITY_SNAPSHOT: INTELLIGENCE_S,
  TASK_REQUEST: null,
  TASK_RESPONSE: null,
  SPLICE_INIT_REQUEST: null,
  SPLICE_INIT_RESPONSE: null,
  SPLICE_UPDATE: null,
  SPLICE_SIGNED: null,
  SPLICE_ABORT: null,
  SETTLEMENT_PROPOSE: SETTLEMENT_S,
  SETTLEMENT_READY: SETTLEMENT_S,
  SETTLEMENT_EXECUTED: SETTLEMENT_S,
  STIGMERGIC_MARKER_BATCH: null,
  PHEROMONE_BATCH: null,
  YIELD_METRICS_BATCH: null,
  CIRCULAR_FLOW_ALERT: null,
  TEMPORAL_PATTERN_BATCH: null,
  CORRIDOR_VALUE_BATCH: null,
  POSITIONING_PROPOSAL: null,
  PHYSARUM_RECOMMENDATION: null,
  COVERAGE_ANALYSIS_BATCH: null,
  CLOSE_PROPOSAL: null,
  MCF_NEEDS_BATCH: null,
  MCF_SOLUTION_BROADCAST: null,
  MCF_ASSIGNMENT_ACK: null,
  MCF_COMPLETION_REPORT: null,
  MSG_ACK: null,
  DID_CREDENTIAL_PRESENT: null,
  DID_CREDENTIAL_REVOKE: null,
  MGMT_CREDENTIAL_PRESENT: null,
  MGMT_CREDENTIAL_REVOKE: null,
  SETTLEMENT_RECEIPT: null,
  BOND_POSTING: null,
  BOND_SLASH: null,
  NETTING_PROPOSAL: null,
  NETTING_ACK: null,
  VIOLATION_REPORT: null,
  ARBITRATION_VOTE: null,
  HIVE_REVOKE: REVOKE_S,
  BAN_PEER: BAN_PEER_S,
  JOIN_REFUSED: JOIN_REFUSED_S,
} as const satisfies Record<MsgType, number | null>;

/**
 * Check a payload's `timestamp` against `now`.
 * @param payload the raw or validated payload (only `timestamp` is read; a Python float is accepted).
 * @param now unix seconds.
 * @returns ok (also for types without a freshness rule), or `invalid_field` (timestamp missing,
 *   not a number, ≤ 0), `stale_timestamp` (older than `MAX_AGE_S[type]`), `future_timestamp`
 *   (more than `MAX_CLOCK_SKEW_S` ahead).
 */
export function checkFreshness(type: MsgType, payload: { readonly timestamp?: unknown }, now: UnixSeconds): Result<null, WireError> {
  const maxAge = MAX_AGE_S[type];
  if (maxAge === null) return ok(null);
  const raw = payload.timestamp;
  const ts = raw instanceof PyFloat ? raw.value : raw;
  if (typeof ts !== 'number' || !Number.isFinite(ts) || ts <= 0) {
    return err(wireError('invalid_field', 'timestamp must be a number > 0', 'timestamp'));
  }
  if (now - ts > maxAge) return err(wireError('stale_timestamp', `timestamp is ${now - ts} s old, max ${maxAge} s`, 'timestamp'));
  if (ts - now > MAX_CLOCK_SKEW_S) {
    return err(wireError('future_timestamp', `timestamp is ${ts - now} s ahead, max skew ${MAX_CLOCK_SKEW_S} s`, 'timestamp'));
  }
  return ok(null);
}
