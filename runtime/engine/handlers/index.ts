/**
 * The engine's message dispatch table: one entry per Hive message type, `null` for types no
 * machine consumes yet (they are logged and dropped). The fleet layer (issue 4: GOSSIP,
 * STATE_HASH, FULL_SYNC, INTENT*, VOUCH, PROMOTION*, BAN*, HIVE_REVOKE, MEMBER_LEFT, MSG_ACK)
 * adds its machines by filling entries here. `satisfies Record<MsgType, …>` makes every new
 * message type state its handler.
 */
import type { NodeId } from '../../core/types.ts';
import type { HiveMessage } from '../../core/wire/decode.ts';
import type { MsgType } from '../../core/wire/message-types.ts';
import type { EngineCore } from '../engine-core.ts';
import { handleFullSync } from './full-sync-members.ts';
import { handleHandshakeMessage } from './handshake.ts';

/**
 * Handles one inbound message that passed decoding, freshness and signature checks. Must not
 * throw for a peer's fault: refusals are events, and state changes go through `EngineCore`.
 */
export type MessageHandler = (core: EngineCore, peer_id: NodeId, message: HiveMessage) => Promise<void>;

/** Handler per message type. */
export const MESSAGE_HANDLERS = {
  HELLO: handleHandshakeMessage,
  CHALLENGE: handleHandshakeMessage,
  ATTEST: handleHandshakeMessage,
  WELCOME: handleHandshakeMessage,
  GOSSIP: null,
  STATE_HASH: null,
  FULL_SYNC: handleFullSync,
  INTENT: null,
  INTENT_ACK: null,
  INTENT_ABORT: null,
  VOUCH: null,
  BAN: null,
  PROMOTION: null,
  PROMOTION_REQUEST: null,
  MEMBER_LEFT: null,
  BAN_PROPOSAL: null,
  BAN_VOTE: null,
  PEER_AVAILABLE: null,
  EXPANSION_NOMINATE: null,
  EXPANSION_ELECT: null,
  LIQUIDITY_NEED: null,
  HEALTH_REPORT: null,
  ROUTE_PROBE: null,
  EXPANSION_DECLINE: null,
  SETTLEMENT_OFFER: null,
  FEE_REPORT: null,
  FEE_INTELLIGENCE_SNAPSHOT: null,
  PEER_REPUTATION_SNAPSHOT: null,
  ROUTE_PROBE_BATCH: null,
  LIQUIDITY_SNAPSHOT: null,
  TASK_REQUEST: null,
  TASK_RESPONSE: null,
  SPLICE_INIT_REQUEST: null,
  SPLICE_INIT_RESPONSE: null,
  SPLICE_UPDATE: null,
  SPLICE_SIGNED: null,
  SPLICE_ABORT: null,
  SETTLEMENT_PROPOSE: null,
  SETTLEMENT_READY: null,
  SETTLEMENT_EXECUTED: null,
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
  HIVE_REVOKE: null,
  BAN_PEER: null,
} satisfies Record<MsgType, MessageHandler | null>;
