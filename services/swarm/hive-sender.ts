/**
 * Outbound choice for one Hive message (issue 10 §3): Lightning `sendcustommsg` when CLN has a
 * peer connection to the member, the swarm when a bound swarm connection exists, else nothing —
 * the caller keeps the message in its outbox and retries (cl-hive outbox semantics,
 * clhive-protocol.md §3.6). A failed Lightning send falls back to the swarm at once.
 */
import type { NodeBackend, NodeResult } from '../../runtime/core/ports.ts';
import { frameKind, type HiveRoute } from '../../runtime/core/swarm/index.ts';
import { fromHex, isNodeId, type NodeId } from '../../runtime/core/types.ts';
import type { SwarmTransport } from './transport.ts';

/** `sendcustommsg` through the NodeBackend: resolves true when CLN accepted the message. */
export type LightningSend = (nodeId: NodeId, payloadHex: string) => Promise<boolean>;

/** What routing needs of a swarm transport. */
export type SwarmRouter = Pick<SwarmTransport, 'route' | 'send'>;

/**
 * Send `payloadHex` (custommsg payload, 2-byte type included) to `nodeId`.
 * @param swarm the swarm transport, or null when the operator disabled the swarm.
 * @returns the route that carried it, or `none` (leave it in the outbox).
 */
export async function sendHiveMessage(swarm: SwarmRouter | null, lightning: LightningSend, nodeId: NodeId, payloadHex: string): Promise<HiveRoute> {
  const route = swarm ? swarm.route(nodeId) : 'lightning';
  if (route === 'lightning' && (await lightning(nodeId, payloadHex))) return 'lightning';
  if (swarm?.send(nodeId, payloadHex)) return 'swarm';
  return 'none';
}

/** CLN's `sendcustommsg` error code for a peer it has no connection to; used when no route carried a message. */
export const NO_ROUTE_CODE = -32600;

/**
 * `backend` with `sendcustommsg` going through {@link sendHiveMessage} while `swarm()` returns a
 * transport, for Hive messages (either framing) to a node id; everything else — management
 * traffic (49152/49153), every other call, or no transport — goes to `backend` unchanged.
 * Results keep the NodeBackend contract: ok when Lightning or the swarm took the message;
 * otherwise lightningd's own error when it was asked, else `NO_ROUTE_CODE` "Peer is not
 * connected", so the engine's outbox retries exactly as for a Lightning failure.
 */
export function swarmRoutedBackend(backend: NodeBackend, swarm: () => SwarmRouter | null): NodeBackend {
  const sendcustommsg = async (nodeId: string, msgHex: string): Promise<NodeResult<{ status: string }>> => {
    const router = swarm();
    const head = fromHex(msgHex.slice(0, 12));
    if (router === null || !isNodeId(nodeId) || head === null || frameKind(head) !== 'hive') return backend.sendcustommsg(nodeId, msgHex);
    const asked: { result: NodeResult<{ status: string }> | null } = { result: null };
    const route = await sendHiveMessage(
      router,
      async (id, hex) => {
        asked.result = await backend.sendcustommsg(id, hex);
        return asked.result.ok;
      },
      nodeId,
      msgHex,
    );
    if (route === 'lightning' && asked.result) return asked.result;
    if (route === 'swarm') return { ok: true, value: { status: 'sent over the swarm' } };
    if (asked.result && !asked.result.ok) return asked.result;
    return { ok: false, error: { code: NO_ROUTE_CODE, message: `Peer is not connected: ${nodeId} (no bound swarm connection either)`, method: 'sendcustommsg' } };
  };
  return new Proxy(backend, {
    get(target, prop) {
      if (prop === 'sendcustommsg') return sendcustommsg;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
