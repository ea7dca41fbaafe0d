/**
 * One `HiveEngine` from several: the Hive engine (handshake, membership, gossip) as the main
 * engine plus sub-engines that own a slice of the traffic — e.g. remote management
 * (services/mgmt/mgmt-engine.ts: 49152/49153 and credential revocations). A sub-engine has the
 * engine's method shape and says which custom messages (`claims`) and which `hive-*` commands
 * (`rpcMethods`) are its own; everything else goes to the main engine. Connection events and
 * ticks reach every engine, main first; the ignore list and membership are the main engine's.
 *
 *   engineFactory: async (ctx) => composeEngines(await hiveEngineFactory(ctx), [await mgmtEngineFactory(opts)(ctx)])
 */
import type { HiveEngine } from './engine.ts';

/** An engine that owns part of the traffic. */
export interface SubEngine extends HiveEngine {
  /** True when this custom message (hex incl. the 2-byte type) is this engine's to handle. */
  claims(payloadHex: string): boolean;
  /** `hive-*` commands this engine answers. */
  readonly rpcMethods: readonly string[];
}

/**
 * Route to `subs` what they claim, the rest to `main`.
 * @throws Error when two sub-engines register the same command (a composition mistake).
 */
export function composeEngines(main: HiveEngine, subs: readonly SubEngine[]): HiveEngine {
  const byMethod = new Map<string, SubEngine>();
  for (const s of subs) {
    for (const m of s.rpcMethods) {
      if (byMethod.has(m)) throw new Error(`composeEngines: ${m} is registered twice`);
      byMethod.set(m, s);
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
    async onCustomMsg(peerId, payloadHex) {
      const owner = subs.find((s) => s.claims(payloadHex)) ?? main;
      await owner.onCustomMsg(peerId, payloadHex);
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
