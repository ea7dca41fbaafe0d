/**
 * One `HiveEngine` from several: the Hive engine (handshake, membership, gossip) as the main
 * engine plus sub-engines that own a slice of the traffic — e.g. remote management
 * (runtime/node/mgmt/mgmt-engine.ts: 49152/49153 and credential revocations). A sub-engine has the
 * engine's method shape and says which traffic classes (`traffic`, classified once by
 * runtime/core/wire/traffic.ts) and which `hive-*` commands (`rpcMethods`) are its own; routing is
 * a table from class to engine, and everything else goes to the main engine. Connection events and
 * ticks reach every engine, main first; the ignore list and membership are the main engine's.
 *
 *   engineFactory: async (ctx) => composeEngines(await hiveEngineFactory(ctx), [await mgmtEngineFactory(opts)(ctx)])
 */
import { classifyTrafficHex, type TrafficClass } from '../../core/wire/index.ts';
import type { HiveEngine, SubEngine } from '../engine.ts';


/**
 * Route to `subs` what they claim, the rest to `main`.
 * @throws Error when two sub-engines register the same command or traffic class (a composition mistake).
 */
export function composeEngines(main: HiveEngine, subs: readonly SubEngine[]): HiveEngine {
  const byMethod = new Map<string, SubEngine>();
  for (const s of subs) {
    for (const m of s.rpcMethods) {
      if (byMethod.has(m)) throw new Error(`composeEngines: ${m} is registered twice`);
      byMethod.set(m, s);
    }
  }
  const route = new Map<TrafficClass, HiveEngine>();
  for (const s of subs) {
    for (const t of s.traffic) {
      if (route.has(t)) throw new Error(`composeEngines: traffic ${t} is routed twice`);
      route.set(t, s);
    }
  }
  const all: readonly HiveEngine[] = [main, ...subs];
  const ignored = main.ignoredPeers?.bind(main);
  const isMember = main.isMember?.bind(main);
  const memberIds = main.memberIds?.bind(main);
  return {
    ...(ignored ? { ignoredPeers: ignored } : {}),
    ...(isMember ? { isMember } : {}),
    ...(memberIds ? { memberIds } : {}),
    async onCustomMsg(peerId, payloadHex, via) {
      const owner = route.get(classifyTrafficHex(payloadHex)) ?? main;
      await owner.onCustomMsg(peerId, payloadHex, via);
    },
    async onPeerConnected(peerId) {
      for (const e of all) await e.onPeerConnected(peerId);
    },
    async onPeerDisconnected(peerId) {
      for (const e of all) await e.onPeerDisconnected(peerId);
    },
    async onTick(nowMs) {
      for (const e of all) await e.onTick(nowMs);
    },
    rpc(method, params) {
      return (byMethod.get(method) ?? main).rpc(method, params);
    },
    async close() {
      for (const e of [...subs].reverse()) await e.close?.();
      await main.close?.();
    },
  };
}
