/**
 * Transport choice for one outbound Hive message (issue 10 §3): Lightning `sendcustommsg` when a
 * peer connection to the member exists, the swarm when a bound swarm connection exists, otherwise
 * none (the message stays in the outbox until one appears).
 */
import type { NodeId } from '../types.ts';
import { boundKey, type SwarmGateState } from './gate.ts';

/** Where a message to a member goes. */
export type HiveRoute = 'lightning' | 'swarm' | 'none';

/**
 * Pick the route to `nodeId`. Lightning wins whenever connected: it is the spec transport
 * (spec 001 §1) and needs no sidecar; the swarm is the fallback. While the sidecar is down the
 * gate holds no connections, so only Lightning or the outbox remain.
 * @param gate the swarm gate; its `lightning` set mirrors CLN's connect/disconnect notifications.
 */
export function chooseRoute(gate: SwarmGateState, nodeId: NodeId): HiveRoute {
  if (gate.lightning.has(nodeId)) return 'lightning';
  if (boundKey(gate, nodeId) !== undefined) return 'swarm';
  return 'none';
}
