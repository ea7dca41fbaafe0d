/**
 * Stages that ride along the engine the daemon drives, instead of wrappers that each re-implement the
 * engine contract: a stage may drop an inbound custom message before the engine sees it (the
 * cross-path de-duplication), and is told of Lightning connection events (before the engine) and
 * ticks (after the engine). `withStages` is the one place that forwards the contract's methods, the
 * optional ones (`close`, `ignoredPeers`, `isMember`, `memberIds`) included.
 */
import type { DeliveryPath } from '../core/swarm/index.ts';
import type { HiveEngine } from './engine.ts';

/** One stage; every hook is optional and must not throw for a peer's fault. */
export interface EngineStage {
  /** False drops this message (`payloadHex` incl. the 2-byte type) before the engine and the later stages see it. */
  admit?(peerId: string, payloadHex: string, via: DeliveryPath): boolean;
  /** A Lightning `connect` (true) or `disconnect` (false) of `peerId`, told before the engine. */
  peer?(peerId: string, connected: boolean): void;
  /** The daemon's tick, told after the engine's own tick. */
  tick?(nowMs: number): void;
}

/** `engine` with `stages` in front of it, in order. */
export function withStages(engine: HiveEngine, stages: readonly EngineStage[]): HiveEngine {
  const optional = (['close', 'ignoredPeers', 'isMember', 'memberIds'] as const).filter((k) => engine[k] !== undefined);
  return {
    ...Object.fromEntries(optional.map((k) => [k, (engine[k] as (...args: unknown[]) => unknown).bind(engine)])),
    async onCustomMsg(peerId, payloadHex, via = 'lightning') {
      for (const s of stages) if (s.admit && !s.admit(peerId, payloadHex, via)) return;
      await engine.onCustomMsg(peerId, payloadHex, via);
    },
    async onPeerConnected(peerId) {
      for (const s of stages) s.peer?.(peerId, true);
      await engine.onPeerConnected(peerId);
    },
    async onPeerDisconnected(peerId) {
      for (const s of stages) s.peer?.(peerId, false);
      await engine.onPeerDisconnected(peerId);
    },
    async onTick(nowMs) {
      await engine.onTick(nowMs);
      for (const s of stages) s.tick?.(nowMs);
    },
    rpc: (method, params) => engine.rpc(method, params),
  };
}
