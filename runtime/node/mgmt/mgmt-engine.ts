/**
 * Remote management as a daemon sub-engine (runtime/node/compose/compose-engines.ts): it owns the
 * management traffic of a fleet member and nothing else —
 *  - 49152 requests → `ManagedNode` (when this node accepts management), 49153 answers sent back;
 *  - 49153 responses → `AdvisorClient` (when this node acts as an advisor, spec 002 "decentralized
 *    fleets": a fleet member manages another);
 *  - `MGMT_CREDENTIAL_REVOKE` (32889, spec framing) → verify the revocation's proof against a
 *    trusted issuer, add it to the revocation list every command is checked against, and relay it
 *    once to the other connected peers (flooding, deduplicated by the list itself);
 *  - `hive-mgmt-revoke` (gossip a signed revocation from `hivebox credential revoke`) and
 *    `hive-mgmt-command` (send a command as the advisor and return the verified answer);
 *  - the tick settles expired performance credentials and reverts fee anchors and config values
 *    whose TTL ran out (ttl-reverts.ts).
 * Peer faults are logged and dropped, never thrown. Compose it with the Hive engine:
 * `composeEngines(hiveEngine, [await mgmtEngineFactory(opts)(ctx)])`.
 */
import { type AdvisorCommand, decodeRevocationGossip, encodeRevocationGossip, DAY_S } from '../../core/mgmt/index.ts';
import { fromHex, toHex } from '../../core/types.ts';
import { classifyTrafficHex, MGMT_REQUEST_TYPE, type TrafficClass } from '../../core/wire/index.ts';
import { RpcFailure, type EngineContext, type EngineFactory, type SubEngine } from '../engine.ts';
import { AdvisorClient } from './advisor-client.ts';
import type { DidResolver } from '../../../services/mgmt/did-resolver.ts';
import { FloodWindow } from './flood-window.ts';
import type { KeyFileSigner } from '../../../services/mgmt/key-file.ts';
import { ManagedNode, type ManagedNodeOptions } from './managed-node.ts';
import { lightningRebalancer, type Rebalancer } from '../../../services/mgmt/rebalancer.ts';
import { acceptRevocation } from './revocations.ts';
import { settleExpiredCredentials } from './settlement.ts';
import { revertExpiredChanges } from './ttl-reverts.ts';
import type { MgmtStore } from '../../../services/mgmt-store/mgmt-store.ts';

/** The fleet's revocation list: where accepted revocations are kept and whose revocations count. */
export interface MgmtFleetOptions {
  readonly store: MgmtStore;
  readonly resolver: DidResolver;
  /** DIDs of the operator(s) whose credentials and revocations this node accepts. */
  readonly trustedIssuers: readonly string[];
  /** Stored receipts older than this are pruned by the tick (`[mgmt] receipt_retention_days`); absent = kept forever. */
  readonly receiptRetentionDays?: number;
}

/** What the management sub-engine does on this node. */
export interface MgmtEngineOptions {
  readonly fleet: MgmtFleetOptions;
  /**
   * Accept management (answer 49152) with these settings; store, resolver and issuers come from
   * `fleet`. Without a `rebalancer`, circular rebalances go through lightningd (`lightningRebalancer`).
   */
  readonly managed?: Omit<ManagedNodeOptions, 'backend' | 'store' | 'resolver' | 'trustedIssuers' | 'rebalancer'> & { readonly rebalancer?: Rebalancer };
  /** The fleet's member node ids (the hive route of a rebalance); default none. */
  readonly fleetMembers?: () => ReadonlySet<string>;
  /** Act as an advisor with this DID key. `clock_ms` defaults to the daemon clock. */
  readonly advisor?: { readonly key: KeyFileSigner; readonly timeout_ms?: number; readonly clock_ms?: () => number };
  /** Releases what was opened for this engine (`openMgmt`'s store); called by `close`. */
  readonly close?: () => void;
}

/** The `hive-*` commands of the management sub-engine and their parameter names (the plugin's rows in services/cln-plugin/rpc-methods.ts match). */
export const MGMT_RPC_PARAMS: Readonly<Record<string, readonly string[]>> = {
  'hive-mgmt-command': ['node_id', 'schema', 'action', 'params', 'credential', 'payment'],
  'hive-mgmt-revoke': ['revocation'],
};

/** The `hive-*` commands of the management sub-engine. */
export const MGMT_RPC_METHODS: readonly string[] = Object.keys(MGMT_RPC_PARAMS);

/** JSON-RPC error codes of those commands. */
export const MGMT_RPC_ERROR = {
  INVALID_PARAMS: -32602,
  REVOCATION_REFUSED: 1701,
  NOT_AN_ADVISOR: 1702,
  NO_TRUSTED_ANSWER: 1703,
} as const;

/** Gossiped revocations handled per peer per hour; more are dropped (cl-hive: 10 revokes/h per peer). */
export const REVOCATION_FLOOD_LIMIT = { window_s: 3600, max: 10 } as const;

/** How often the tick settles expired performance credentials, seconds. */
const SETTLE_EVERY_S = 60;
/** How often the tick prunes receipts past their retention, seconds. */
const PRUNE_EVERY_S = 3_600;

/** The management sub-engine of one node. */
export class MgmtEngine implements SubEngine {
  readonly rpcMethods = MGMT_RPC_METHODS;
  /** Revocation gossip always; management messages when this node is managed or an advisor. */
  readonly traffic: readonly TrafficClass[];
  /** The managed-node handler, when this node accepts management. */
  readonly node: ManagedNode | null;
  /** The advisor client, when this node is an advisor. */
  readonly advisor: AdvisorClient | null;
  private readonly trusted: ReadonlySet<string>;
  private readonly floods = new FloodWindow(REVOCATION_FLOOD_LIMIT);
  private lastSettle = -Infinity;
  private lastPrune = -Infinity;
  private loggedRefusals = 0;
  private lastRefusalLog = -Infinity;
  private ownId: string | null = null;

  constructor(
    private readonly ctx: EngineContext,
    private readonly o: MgmtEngineOptions,
  ) {
    const { store, resolver, trustedIssuers } = o.fleet;
    this.trusted = new Set(trustedIssuers);
    const rebalancer = o.managed?.rebalancer ?? lightningRebalancer(ctx.backend, o.fleetMembers ?? (() => new Set()));
    this.node = o.managed ? new ManagedNode({ ...o.managed, rebalancer, backend: ctx.backend, store, resolver, trustedIssuers }) : null;
    this.advisor = o.advisor
      ? new AdvisorClient({
          key: o.advisor.key,
          timeout_ms: o.advisor.timeout_ms,
          clock_ms: o.advisor.clock_ms ?? ctx.now_ms,
          send: async (peerId, bytes) => {
            const r = await ctx.backend.sendcustommsg(peerId, toHex(bytes));
            if (!r.ok) throw new Error(`sendcustommsg: ${r.error.message}`);
          },
        })
      : null;
    this.traffic = this.node || this.advisor ? ['management', 'revocation'] : ['revocation'];
  }

  /** Management traffic (runtime/core/wire/traffic.ts): requests to the managed node, responses to the advisor client, revocation gossip to the revocation list. */
  async onCustomMsg(peerId: string, payloadHex: string): Promise<void> {
    const kind = classifyTrafficHex(payloadHex);
    if (kind === 'revocation') return this.onRevocation(peerId, payloadHex);
    if (kind !== 'management') return;
    const request = Number.parseInt(payloadHex.slice(0, 4), 16) === MGMT_REQUEST_TYPE;
    if (request && this.node) await this.node.onCustomMsg(peerId, payloadHex);
    else if (!request && this.advisor) {
      const bytes = fromHex(payloadHex);
      if (bytes && !this.advisor.onMessage(peerId, bytes)) this.ctx.log('debug', 'mgmt_response_unmatched', { peer_id: peerId });
    } else this.ctx.log('debug', 'custommsg_passthrough', { peer_id: peerId, reason: request ? 'not a managed node' : 'not an advisor' });
  }

  async onPeerConnected(): Promise<void> {}

  /** Graceful shutdown: release the store `openMgmt` opened (the options' `close`). */
  async close(): Promise<void> {
    this.o.close?.();
  }

  async onPeerDisconnected(): Promise<void> {}

  async onTick(nowMs: number): Promise<void> {
    const now = Math.floor(nowMs / 1000);
    this.pruneReceipts(now);
    this.logRefusals(now);
    if (!this.node || now - this.lastSettle < SETTLE_EVERY_S) return;
    this.lastSettle = now;
    for (const s of await settleExpiredCredentials(this.o.fleet.store, this.ctx.backend, now)) this.ctx.log('info', 'mgmt_performance_settled', { ...s });
    for (const r of await revertExpiredChanges(this.o.fleet.store, this.ctx.backend, now)) this.ctx.log('info', 'mgmt_ttl_reverted', { ...r });
  }

  /** Log the unauthenticated requests answered without a stored receipt (totals by rule), at most once a minute when there were new ones. */
  private logRefusals(now: number): void {
    const byRule = this.node?.unauthenticatedRefusals() ?? {};
    const total = Object.values(byRule).reduce((a, b) => a + b, 0);
    if (total === this.loggedRefusals || now - this.lastRefusalLog < SETTLE_EVERY_S) return;
    this.loggedRefusals = total;
    this.lastRefusalLog = now;
    this.ctx.log('info', 'mgmt_unauthenticated_refused', { total, by_rule: byRule });
  }

  /** Delete receipts past `receiptRetentionDays`, at most once per `PRUNE_EVERY_S`. */
  private pruneReceipts(now: number): void {
    const days = this.o.fleet.receiptRetentionDays;
    if (days === undefined || now - this.lastPrune < PRUNE_EVERY_S) return;
    this.lastPrune = now;
    const pruned = this.o.fleet.store.pruneReceipts(now - days * DAY_S);
    if (pruned > 0) this.ctx.log('info', 'mgmt_receipts_pruned', { pruned, retention_days: days });
  }

  async rpc(method: string, params: Record<string, unknown>): Promise<unknown> {
    if (method === 'hive-mgmt-revoke') return this.revokeRpc(params);
    if (method === 'hive-mgmt-command') return this.commandRpc(params);
    throw new RpcFailure(-32601, `Unknown command '${method}'`);
  }

  private now(): number {
    return Math.floor(this.ctx.now_ms() / 1000);
  }

  private async onRevocation(peerId: string, hex: string): Promise<void> {
    const now = this.now();
    if (this.floods.over(peerId, now)) return this.ctx.log('warn', 'mgmt_revocation_flood', { peer_id: peerId });
    const d = decodeRevocationGossip(fromHex(hex) ?? new Uint8Array());
    if (d.kind !== 'revocation') return this.ctx.log('warn', 'mgmt_revocation_malformed', { peer_id: peerId, reason: d.kind === 'malformed' ? d.reason : 'not a revocation' });
    if (this.o.fleet.store.isRevoked(d.gossip.credential_id)) return;
    const r = await acceptRevocation(this.o.fleet.store, this.o.fleet.resolver, this.trusted, JSON.stringify(d.gossip.revocation), now);
    if (!r.ok) return this.ctx.log('warn', 'mgmt_revocation_refused', { peer_id: peerId, credential_id: d.gossip.credential_id, reason: r.error });
    this.ctx.log('info', 'mgmt_credential_revoked', { credential_id: r.value, from: peerId, sender_id: d.gossip.sender_id });
    await this.broadcast(hex, peerId);
  }

  /** Send `hex` to every connected peer except `except`. @returns the peers it was sent to. */
  private async broadcast(hex: string, except: string | null): Promise<string[]> {
    const peers = await this.ctx.backend.listpeers();
    if (!peers.ok) return [];
    const sent: string[] = [];
    for (const p of peers.value) {
      if (!p.connected || p.id === except) continue;
      const r = await this.ctx.backend.sendcustommsg(p.id, hex);
      if (r.ok) sent.push(p.id);
    }
    return sent;
  }

  private async ownNodeId(): Promise<string> {
    if (this.ownId === null) {
      const info = await this.ctx.backend.getinfo();
      if (!info.ok) throw new RpcFailure(info.error.code, info.error.message);
      this.ownId = info.value.id;
    }
    return this.ownId;
  }

  /** `hive-mgmt-revoke {revocation}`: keep a signed revocation and gossip it to every connected peer. */
  private async revokeRpc(params: Record<string, unknown>): Promise<{ credential_id: string; sent_to: string[] }> {
    const raw = params.revocation;
    const json = typeof raw === 'string' ? raw : typeof raw === 'object' && raw !== null ? JSON.stringify(raw) : null;
    if (json === null) throw new RpcFailure(MGMT_RPC_ERROR.INVALID_PARAMS, 'revocation: expected the JSON printed by `hivebox credential revoke`');
    const accepted = await acceptRevocation(this.o.fleet.store, this.o.fleet.resolver, this.trusted, json, this.now());
    if (!accepted.ok) throw new RpcFailure(MGMT_RPC_ERROR.REVOCATION_REFUSED, `revocation refused: ${accepted.error}`);
    const eventId = toHex(crypto.getRandomValues(new Uint8Array(16)));
    const msg = encodeRevocationGossip(JSON.parse(json), await this.ownNodeId(), eventId, this.now());
    if (!msg.ok) throw new RpcFailure(MGMT_RPC_ERROR.INVALID_PARAMS, `revocation cannot be sent: ${msg.error.detail}`);
    return { credential_id: accepted.value, sent_to: await this.broadcast(toHex(msg.value), null) };
  }

  /** `hive-mgmt-command {node_id, schema, action, params, credential, payment?}`: as the advisor. */
  private async commandRpc(p: Record<string, unknown>): Promise<unknown> {
    if (!this.advisor) throw new RpcFailure(MGMT_RPC_ERROR.NOT_AN_ADVISOR, 'this node has no advisor key');
    const { node_id, schema, action, params, credential, payment } = p;
    if (typeof node_id !== 'string' || typeof schema !== 'string' || typeof action !== 'string' || typeof credential !== 'string') {
      throw new RpcFailure(MGMT_RPC_ERROR.INVALID_PARAMS, 'expected node_id, schema, action, credential (JSON text), params (object), payment (optional text)');
    }
    if (payment !== undefined && typeof payment !== 'string') throw new RpcFailure(MGMT_RPC_ERROR.INVALID_PARAMS, 'payment: expected a Cashu token or "L402 <macaroon>:<preimage>"');
    const cmd: AdvisorCommand = { schema, action, params: typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : {} };
    const r = await this.advisor.command(node_id, cmd, credential, payment ?? null);
    if (!r.ok) throw new RpcFailure(MGMT_RPC_ERROR.NO_TRUSTED_ANSWER, `no trusted answer: ${r.error.kind}`, r.error);
    return { status: r.value.status, result: r.value.result, receipt: r.value.receipt };
  }
}

/** The engine factory for `startDaemon` / `startSimFleet` (or one part of a composed engine). */
export function mgmtEngineFactory(o: MgmtEngineOptions): EngineFactory {
  return async (ctx) => new MgmtEngine(ctx, o);
}
