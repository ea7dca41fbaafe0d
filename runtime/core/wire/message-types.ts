/**
 * The Hive message registry: every cl-hive `HiveMessageType` (clhive-protocol.md §2.1, 66 types,
 * cl-hive v2.2.6) plus Hivebox's own additions, name → id. All ids are odd and in 32769–33000
 * (spec 001 §1), so in spec framing they are valid odd BOLT 1 custom message types.
 *
 * Hivebox additions (spec 000 §5; payloads in payloads/hive-revoke.ts and payloads/ban-peer.ts):
 * - `HIVE_REVOKE` = 32905: a fleet admin revokes a member node id (spec 000 §5.2).
 * - `BAN_PEER` = 32907: a certified member adds an external attacker to the global ignore list
 *   (spec 000 §5.1 `HIVE_BAN_PEER`).
 * - `JOIN_REFUSED` = 32909: a member names the ticket rule it refused a HELLO for (issue 16 §5).
 * cl-hive does not know them; a cl-hive node drops them as an unknown type.
 */

/** Message name → Hive message id (the envelope `type`; in spec framing also the BOLT type). */
export const MSG_TYPES = {
  HELLO: 32769,
  CHALLENGE: 32771,
  ATTEST: 32773,
  WELCOME: 32775,
  GOSSIP: 32777,
  STATE_HASH: 32779,
  FULL_SYNC: 32781,
  INTENT: 32783,
  INTENT_ACK: 32785,
  INTENT_ABORT: 32787,
  VOUCH: 32789,
  BAN: 32791,
  PROMOTION: 32793,
  PROMOTION_REQUEST: 32795,
  MEMBER_LEFT: 32797,
  BAN_PROPOSAL: 32799,
  BAN_VOTE: 32801,
  PEER_AVAILABLE: 32803,
  EXPANSION_NOMINATE: 32805,
  EXPANSION_ELECT: 32807,
  LIQUIDITY_NEED: 32811,
  HEALTH_REPORT: 32813,
  ROUTE_PROBE: 32815,
  EXPANSION_DECLINE: 32819,
  SETTLEMENT_OFFER: 32821,
  FEE_REPORT: 32823,
  FEE_INTELLIGENCE_SNAPSHOT: 32825,
  PEER_REPUTATION_SNAPSHOT: 32827,
  ROUTE_PROBE_BATCH: 32829,
  LIQUIDITY_SNAPSHOT: 32831,
  TASK_REQUEST: 32833,
  TASK_RESPONSE: 32835,
  SPLICE_INIT_REQUEST: 32837,
  SPLICE_INIT_RESPONSE: 32839,
  SPLICE_UPDATE: 32841,
  SPLICE_SIGNED: 32843,
  SPLICE_ABORT: 32845,
  SETTLEMENT_PROPOSE: 32847,
  SETTLEMENT_READY: 32849,
  SETTLEMENT_EXECUTED: 32851,
  STIGMERGIC_MARKER_BATCH: 32853,
  PHEROMONE_BATCH: 32855,
  YIELD_METRICS_BATCH: 32857,
  CIRCULAR_FLOW_ALERT: 32859,
  TEMPORAL_PATTERN_BATCH: 32861,
  CORRIDOR_VALUE_BATCH: 32863,
  POSITIONING_PROPOSAL: 32865,
  PHYSARUM_RECOMMENDATION: 32867,
  COVERAGE_ANALYSIS_BATCH: 32869,
  CLOSE_PROPOSAL: 32871,
  MCF_NEEDS_BATCH: 32873,
  MCF_SOLUTION_BROADCAST: 32875,
  MCF_ASSIGNMENT_ACK: 32877,
  MCF_COMPLETION_REPORT: 32879,
  MSG_ACK: 32881,
  DID_CREDENTIAL_PRESENT: 32883,
  DID_CREDENTIAL_REVOKE: 32885,
  MGMT_CREDENTIAL_PRESENT: 32887,
  MGMT_CREDENTIAL_REVOKE: 32889,
  SETTLEMENT_RECEIPT: 32891,
  BOND_POSTING: 32893,
  BOND_SLASH: 32895,
  NETTING_PROPOSAL: 32897,
  NETTING_ACK: 32899,
  VIOLATION_REPORT: 32901,
  ARBITRATION_VOTE: 32903,
  HIVE_REVOKE: 32905,
  BAN_PEER: 32907,
  JOIN_REFUSED: 32909,
} as const;

/** A Hive message name (`'GOSSIP'`, `'HIVE_REVOKE'`, …). */
export type MsgType = keyof typeof MSG_TYPES;

/** Every message name, in id order. */
export const MSG_TYPE_NAMES = Object.keys(MSG_TYPES) as MsgType[];

/** Lowest and highest Hive message id (spec 001 §1: "32769 - 33000", odd). */
export const HIVE_TYPE_RANGE = { min: 32_769, max: 33_000 } as const;

const BY_ID: ReadonlyMap<number, MsgType> = new Map(MSG_TYPE_NAMES.map((name) => [MSG_TYPES[name], name]));

/** The message name for an id, or null when the id is not a known Hive type. */
export function msgTypeName(id: number): MsgType | null {
  return BY_ID.get(id) ?? null;
}

/** True when `id` is odd and in the Hive range (a possible spec-framing BOLT type). */
export function isHiveTypeId(id: number): boolean {
  return id % 2 === 1 && id >= HIVE_TYPE_RANGE.min && id <= HIVE_TYPE_RANGE.max;
}
