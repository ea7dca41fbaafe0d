/**
 * Outbound choice for one Hive message (issue 10 §3): Lightning `sendcustommsg` when CLN has a
 * peer connection to the member, the swarm when a bound swarm connection exists, else nothing —
 * the caller keeps the message in its outbox and retries (cl-hive outbox semantics,
 * clhive-protocol.md §3.6). A failed Lightning send falls back to the swarm at once.
 */
import type { HiveRoute } from '../../runtime/core/swarm/route.ts';
import type { NodeId } from '../../runtime/core/types.ts';
import type { SwarmTransport } from './transport.ts';

/** `sendcustommsg` through the NodeBackend: resolves true when CLN accepted the message. */
export type LightningSend = (nodeId: NodeId, payloadHex: string) => Promise<boolean>;

/**
 * Send `payloadHex` (custommsg payload, 2-byte type included) to `nodeId`.
 * @param swarm the swarm transport, or null when the operator disabled the swarm.
 * @returns the route that carried it, or `none` (leave it in the outbox).
 */
export async function sendHiveMessage(swarm: SwarmTransport | null, lightning: LightningSend, nodeId: NodeId, payloadHex: string): Promise<HiveRoute> {
  const route = swarm ? swarm.route(nodeId) : 'lightning';
  if (route === 'lightning' && (await lightning(nodeId, payloadHex))) return 'lightning';
  if (swarm?.send(nodeId, payloadHex)) return 'swarm';
  return 'none';
}
