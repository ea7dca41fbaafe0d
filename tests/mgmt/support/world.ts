/**
 * A managed node and an advisor wired together in-process for the management tests and bench:
 * the CLN simulator behind the managed node, the mgmt store on disk (SQLite in a temp dir), a
 * local Cashu mint (and a second, foreign one), the operator's key as a software `DigestSigner`,
 * the advisor's `did:key`, and `AdvisorClient.send` delivering straight to `ManagedNode.handle`.
 * The clock is a settable number shared by both sides.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeResponse, type MgmtResponse } from '../../../runtime/core/mgmt/messages.ts';
import { DEFAULT_POLICY, type LocalPolicy } from '../../../runtime/core/mgmt/policy.ts';
import type { SignedReceipt } from '../../../runtime/core/mgmt/receipt.ts';
import type { Permission, Tier } from '../../../runtime/core/mgmt/tiers.ts';
import type { CompensationModel } from '../../../runtime/core/mgmt/credential.ts';
import { AdvisorWallet } from '../../../services/cashu/advisor-wallet.ts';
import { CashuRedeemer } from '../../../services/cashu/redeemer.ts';
import { startTestMint, type TestMintServer } from '../../../runtime/sim/mint/server.ts';
import type { SubscriptionTerms } from '../../../services/l402/subscription.ts';
import { MgmtStore } from '../../../services/mgmt-store/mgmt-store.ts';
import { AdvisorClient } from '../../../runtime/node/mgmt/advisor-client.ts';
import { HiveDidResolver } from '../../../services/mgmt/did-resolver.ts';
import { KeyFileSigner } from '../../../services/mgmt/key-file.ts';
import { ManagedNode } from '../../../runtime/node/mgmt/managed-node.ts';
import { issueCredential } from '../../../runtime/node/mgmt/operator.ts';
import { FleetFirstRebalancer } from '../../../services/mgmt/rebalancer.ts';
import { ClnSim } from './cln-sim.ts';
import { startGatekeeper, type LocalGatekeeper } from './gatekeeper.ts';
import { SimRebalancer } from './sim-rebalancer.ts';

/** Channels of the managed node: scid → fee. 5M-sat channels, half ours. */
export const SCIDS = { a: '700000x1x0', b: '700000x2x0', c: '700000x3x0' } as const;

/** A day at 12:00:00 UTC (unix seconds). */
export const T0 = 1_790_035_200 + 12 * 3600;

const seeded = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (seed * 31 + i * 7 + 1) & 0xff);

/** Options for one credential. */
export interface CredOpts {
  tier?: Tier;
  schemas?: string[];
  maxFeeChangePct?: number;
  maxRebalanceSats?: number;
  maxDailyActions?: number;
  model?: CompensationModel;
  rateSats?: number;
  sharePct?: number;
  days?: number;
  issuedAt?: number;
  agentDid?: string;
  nodeId?: string;
  permissions?: Partial<Record<Permission, boolean>>;
  signer?: KeyFileSigner;
}

/** Options of the world. */
export interface WorldOptions {
  policy?: Partial<LocalPolicy>;
  subscription?: SubscriptionTerms;
  hiveRouteAvailable?: boolean;
}

/** The wired-up pair. */
export class World {
  now = T0;
  readonly operator = new KeyFileSigner(seeded(32, 1));
  readonly advisorKey = new KeyFileSigner(seeded(32, 2));
  readonly advisorNodeId = '02' + 'ad'.repeat(32);
  readonly sim: ClnSim;
  readonly store: MgmtStore;
  readonly node: ManagedNode;
  readonly client: AdvisorClient;
  readonly hiveRoutes: SimRebalancer;
  readonly publicRoutes: SimRebalancer;
  private randomCounter = 0;

  private constructor(
    readonly dir: string,
    readonly mint: TestMintServer,
    readonly foreignMint: TestMintServer,
    readonly gatekeeper: LocalGatekeeper,
    opts: WorldOptions,
  ) {
    this.sim = new ClnSim(seeded(32, 3), [
      { scid: SCIDS.a, peer_id: '02' + 'aa'.repeat(32), fee_ppm: 100, base_fee_msat: 1000, to_us_msat: 2_500_000_000, total_msat: 5_000_000_000 },
      { scid: SCIDS.b, peer_id: '03' + 'bb'.repeat(32), fee_ppm: 200, base_fee_msat: 1000, to_us_msat: 1_000_000_000, total_msat: 5_000_000_000 },
      { scid: SCIDS.c, peer_id: '02' + 'cc'.repeat(32), fee_ppm: 50, base_fee_msat: 0, to_us_msat: 4_000_000_000, total_msat: 5_000_000_000 },
    ], (n) => this.random(n));
    // The advisor's messages arrive over a connection (lightningd only hands custommsg from connected peers).
    void this.sim.connect(this.advisorNodeId);
    for (let d = 1; d <= 14; d++) this.sim.forwards.push({ in_channel: SCIDS.a, out_channel: SCIDS.b, in_msat: 1_000_000, out_msat: 999_000, fee_msat: 1000, status: 'settled', received_time: T0 - d * 86_400 + 60, resolved_time: T0 - d * 86_400 + 61 });
    this.store = new MgmtStore(join(dir, 'mgmt.sqlite'));
    this.hiveRoutes = new SimRebalancer(this.sim, 'hive', 0, opts.hiveRouteAvailable ?? true);
    this.publicRoutes = new SimRebalancer(this.sim, 'public', 300);
    this.node = new ManagedNode({
      backend: this.sim,
      store: this.store,
      resolver: new HiveDidResolver({ gatekeeperUrl: gatekeeper.url }),
      cashu: new CashuRedeemer([mint.url]),
      rebalancer: new FleetFirstRebalancer(this.hiveRoutes, this.publicRoutes),
      trustedIssuers: [this.operator.did],
      policy: { ...DEFAULT_POLICY, ...opts.policy },
      subscription: opts.subscription,
      clock: () => this.now,
      random: (n) => this.random(n),
    });
    this.client = this.advisor(this.advisorKey);
  }

  /** Deterministic "random" bytes, distinct per call: sha256 chain over a counter. */
  random(n: number): Uint8Array {
    const out = new Uint8Array(n);
    const tag = ++this.randomCounter;
    for (let off = 0, block = 0; off < n; off += 32, block++) out.set(sha256(new TextEncoder().encode(`world-random:${tag}:${block}`)).subarray(0, n - off), off);
    return out;
  }

  /** Start mints, gatekeeper and the temp store. */
  static async create(opts: WorldOptions = {}): Promise<World> {
    const dir = mkdtempSync(join(tmpdir(), 'hivebox-mgmt-'));
    return new World(dir, startTestMint(seeded(32, 4)), startTestMint(seeded(32, 5)), startGatekeeper(), opts);
  }

  /** An advisor client for `key`, delivering to the managed node as peer `peerId`. */
  advisor(key: KeyFileSigner, peerId = this.advisorNodeId): AdvisorClient {
    const client: AdvisorClient = new AdvisorClient({
      key,
      clock_ms: () => this.now * 1000,
      send: async (nodeId, bytes) => {
        const res = await this.node.handle(peerId, bytes);
        if (res) client.onMessage(nodeId, res);
      },
      timeout_ms: 5000,
    });
    return client;
  }

  /** Issue a credential (operator signer) and return its JSON text. */
  async credential(o: CredOpts = {}): Promise<string> {
    const issued = o.issuedAt ?? this.now - 3600;
    const r = await issueCredential(
      o.signer ?? this.operator,
      this.store,
      {
        agent_did: o.agentDid ?? this.advisorKey.did,
        node_id: o.nodeId ?? this.sim.id,
        tier: o.tier ?? 'standard',
        permissions: o.permissions ?? { monitor: true, fee_policy: true, rebalance: true, config_tune: true, channel_open: true, channel_close: true, splice: true },
        constraints: {
          max_fee_change_pct: o.maxFeeChangePct ?? 50,
          max_rebalance_sats: o.maxRebalanceSats ?? 1_000_000,
          max_daily_actions: o.maxDailyActions ?? 100,
          allowed_schemas: o.schemas ?? ['hive:fee-policy/*', 'hive:rebalance/*', 'hive:config/*', 'hive:monitor/*', 'hive:expansion/*'],
        },
        compensation: { model: o.model ?? 'per_action', rate_sats: o.rateSats ?? 10, currency: 'L402|cashu', ...(o.sharePct !== undefined ? { performance_share_pct: o.sharePct } : {}) },
        issued_at: issued,
        expires_at: issued + (o.days ?? 30) * 86_400,
        idBytes: this.random(16),
      },
      this.now,
    );
    if (!r.ok) throw new Error(`issue failed: ${r.error.kind}`);
    return r.value;
  }

  /** An advisor wallet funded with `sats` from `mint` (the local mint by default). */
  async wallet(sats: number, mint: TestMintServer = this.mint): Promise<AdvisorWallet> {
    const w = await AdvisorWallet.open(mint.url);
    await w.fund(sats);
    return w;
  }

  /** Send raw request bytes as the advisor's peer; returns the decoded (unverified) response. */
  async raw(bytes: Uint8Array, peerId = this.advisorNodeId): Promise<MgmtResponse | null> {
    const res = await this.node.handle(peerId, bytes);
    if (!res) return null;
    const d = decodeResponse(res);
    if (!d.ok) throw new Error(`node answered undecodable bytes: ${d.error.kind}`);
    return d.value;
  }

  /** The newest receipt in the store. */
  lastReceipt(): SignedReceipt {
    const all = this.store.receipts();
    const r = all[all.length - 1];
    if (!r) throw new Error('no receipt');
    return r;
  }

  /** Fee of a channel in the simulator. */
  fee(scid: string): number {
    return this.sim.channels.get(scid)!.fee_ppm;
  }

  /** Stop servers and delete the temp store. */
  async close(): Promise<void> {
    this.store.close();
    await Promise.all([this.mint.stop(), this.foreignMint.stop(), this.gatekeeper.stop()]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
