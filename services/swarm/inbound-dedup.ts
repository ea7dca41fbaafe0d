/**
 * One HiveEngine in front of the real one that drops a Hive message already delivered by the other
 * path within the seen-set TTL (issue 10 §3 "de-duplicates messages that arrive both ways"). The
 * daemon passes this wrapper to both inbound paths — the CLN plugin's `custommsg` hook and
 * SwarmTransport (`via = 'swarm'`) — so a message that arrives over Lightning and over the swarm
 * reaches the engine once, and both copies go through the same `onCustomMsg` admission. A repeat
 * by the same path (an outbox retry) always reaches the engine.
 */
import { deliveryDigest, SeenSet } from '../../runtime/core/swarm/seen-set.ts';
import type { HiveEngine } from '../../runtime/daemon/engine.ts';

/**
 * Wrap `engine`. Only `onCustomMsg` is filtered; every other call (`close` and `ignoredPeers`
 * included, when the engine has them) passes through.
 * @param seen the bounded seen-set (default 50,000 digests for 10 minutes).
 * @param nowMs monotonic-enough clock in milliseconds.
 * @param onDuplicate told about each dropped copy (metrics/logs).
 */
export function dedupInbound(
  engine: HiveEngine,
  seen: SeenSet = new SeenSet(),
  nowMs: () => number = Date.now,
  onDuplicate: (peerId: string) => void = () => {},
): HiveEngine {
  return {
    async onCustomMsg(peerId, payloadHex, via = 'lightning') {
      if (seen.check(deliveryDigest(peerId, payloadHex), nowMs(), via) === 'duplicate') {
        onDuplicate(peerId);
        return;
      }
      await engine.onCustomMsg(peerId, payloadHex, via);
    },
    onPeerConnected: (peerId) => engine.onPeerConnected(peerId),
    onPeerDisconnected: (peerId) => engine.onPeerDisconnected(peerId),
    onTick: (nowMsArg) => engine.onTick(nowMsArg),
    rpc: (method, params) => engine.rpc(method, params),
    ...(engine.close ? { close: () => engine.close!() } : {}),
    ...(engine.ignoredPeers ? { ignoredPeers: () => engine.ignoredPeers!() } : {}),
  };
}
