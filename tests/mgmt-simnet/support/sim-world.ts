/**
 * Remote management over simnet: three simulated CLN v26.06 nodes, each running the real hivebox
 * plugin and a daemon whose engine is `composeEngines(RecordingEngine, [MgmtEngine])` — the
 * recording engine stands where the Hive engine will be and shows what non-management traffic
 * reaches it.
 *  - `mgr`: the managed fleet member (answers 49152; its fees change through `setchannel`);
 *  - `adv`: another fleet member acting as advisor (DID key, Cashu wallet, pays L402 invoices with
 *    its node's `pay`); it keeps and relays the fleet's revocation list;
 *  - `ops`: the operator's node, connected to `adv` only, with the operator's USB signer (the
 *    device simulator, approve button) issuing credentials and revocations.
 * Channels: adv→mgr `scid` (managed) and `protectedScid` (on mgr's local policy's protected list,
 * filled in once the channel exists), mgr→adv `outScid` (mgr's funds, for circular rebalances
 * through mgr's lightningd). The managed channel starts at 100 ppm.
 * Payments: the local Cashu mint on 127.0.0.1 (allow-listed) and a foreign one; L402 invoices from
 * mgr's `invoice`, paid by adv's `pay`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSignerSimulator, type RunningSimulator } from '../../../runtime/sim/signer/start.ts';
import type { CompensationModel } from '../../../runtime/core/mgmt/credential.ts';
import { didKeyFromPublicKey } from '../../../runtime/core/mgmt/did.ts';
import { DEFAULT_POLICY, type LocalPolicy } from '../../../runtime/core/mgmt/policy.ts';
import type { SignedReceipt } from '../../../runtime/core/mgmt/receipt.ts';
import type { Tier } from '../../../runtime/core/mgmt/tiers.ts';
import { fromHex, toHex } from '../../../runtime/core/types.ts';
import { composeEngines } from '../../../runtime/node/compose/compose-engines.ts';
import { startSimFleet, type SimFleet, type SimFleetMember, type SimFleetOptions } from '../../../runtime/sim/fleet.ts';
import { AdvisorWallet } from '../../../services/cashu/advisor-wallet.ts';
import { CashuRedeemer } from '../../../services/cashu/redeemer.ts';
import { startTestMint, type TestMintServer } from '../../../runtime/sim/mint/server.ts';
import type { SubscriptionTerms } from '../../../services/l402/subscription.ts';
import { MgmtStore } from '../../../services/mgmt-store/mgmt-store.ts';
import { HiveDidResolver } from '../../../services/mgmt/did-resolver.ts';
import { KeyFileSigner } from '../../../services/mgmt/key-file.ts';
import { MgmtEngine, type MgmtEngineOptions } from '../../../runtime/node/mgmt/mgmt-engine.ts';
import { issueCredential, revokeCredential } from '../../../runtime/node/mgmt/operator.ts';
import { RecordingEngine, waitUntil } from '../../cln/fixtures/recording-engine.ts';

/** Options of one credential (defaults: standard, fee/monitor schemas, per-action 10 sat, 30 days from an hour ago). */
export interface SimCredOpts {
  tier?: Tier;
  schemas?: string[];
  maxFeeChangePct?: number;
  maxDailyActions?: number;
  model?: CompensationModel;
  issuedAt?: number;
  days?: number;
}

/** Options of the world. */
export interface SimWorldOptions {
  subscription?: SubscriptionTerms;
  policy?: Partial<LocalPolicy>;
  /** The managed node's clock (unix s) and the advisor's (unix ms); default: real time. */
  clock?: () => number;
  /** More `[daemon]` keys for the three daemons (the bench raises the inbound budgets). */
  daemon?: SimFleetOptions['daemon'];
}

/** The managed node's observable state: what a refused command must not change (receipts aside). */
export interface SimSnapshot {
  fees: Record<string, number>;
  to_us_msat: Record<string, number>;
  config: Record<string, number>;
  pending: number;
  redeemed_sats: number;
  receipts: number;
}

type Name = 'mgr' | 'adv' | 'ops';

/** One structured log line of a node's daemon or engines. */
export interface LogEntry {
  readonly level: string;
  readonly event: string;
  readonly fields: Record<string, unknown>;
}

const seeded = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (seed * 37 + i * 11 + 5) & 0xff);

/** The running world. */
export class SimWorld {
  readonly advisorKey = new KeyFileSigner(seeded(32, 1));
  scid = '';
  protectedScid = '';
  /** mgr's own channel to adv (mgr opened it: 2 M sat on mgr's side), the source of circular rebalances. */
  outScid = '';

  private constructor(
    readonly root: string,
    readonly fleet: SimFleet,
    readonly signer: RunningSimulator,
    readonly operatorDid: string,
    readonly stores: Record<Name, MgmtStore>,
    readonly engines: Record<Name, MgmtEngine>,
    readonly hive: Record<Name, RecordingEngine>,
    /** What each node's daemon and engines logged. */
    readonly logs: Record<Name, LogEntry[]>,
    readonly mint: TestMintServer,
    readonly foreignMint: TestMintServer,
    readonly clock: () => number,
    /** Seconds the advisor's clock is shifted by (stale-timestamp test). */
    readonly advisorSkew: { s: number },
  ) {}

  get mgr(): SimFleetMember {
    return this.fleet.member('mgr');
  }
  get adv(): SimFleetMember {
    return this.fleet.member('adv');
  }
  get ops(): SimFleetMember {
    return this.fleet.member('ops');
  }
  /** The advisor side (the adv node's `AdvisorClient`). */
  get client() {
    return this.engines.adv.advisor!;
  }

  /**
   * Start mints, the operator's signer simulator and the fleet; open the channels; set the managed
   * channel's fee to 100 ppm (the operator's own `setchannel`).
   */
  static async create(o: SimWorldOptions = {}): Promise<SimWorld> {
    const root = mkdtempSync(join(tmpdir(), 'hbm-'));
    const mint = startTestMint(seeded(32, 2));
    const foreignMint = startTestMint(seeded(32, 3));
    const signer = await startSignerSimulator({ mode: 'in-process', stateDir: join(root, 'signer') });
    const key = await signer.signer.publicKey('credential');
    if (!key.ok) throw new Error(`signer: ${key.error.kind}`);
    const operatorDid = didKeyFromPublicKey(fromHex(key.node_id)!);
    const clock = o.clock ?? (() => Math.floor(Date.now() / 1000));
    const hive = { mgr: new RecordingEngine(), adv: new RecordingEngine(), ops: new RecordingEngine() };
    const stores = { mgr: new MgmtStore(join(root, 'mgr.sqlite')), adv: new MgmtStore(join(root, 'adv.sqlite')), ops: new MgmtStore(join(root, 'ops.sqlite')) };
    const engines = {} as Record<Name, MgmtEngine>;
    const skew = { s: 0 };
    const protectedChannels: string[] = [];
    const logs: Record<Name, LogEntry[]> = { mgr: [], adv: [], ops: [] };
    const fleet = await startSimFleet({
      root,
      nodes: ['mgr', 'adv', 'ops'],
      daemon: o.daemon,
      log: (name) => (level, event, fields = {}) => logs[name as Name].push({ level, event, fields }),
      engineFactory: (name) => async (ctx) => {
        const n = name as Name;
        const opts: MgmtEngineOptions = {
          fleet: { store: stores[n], resolver: new HiveDidResolver(), trustedIssuers: [operatorDid] },
          ...(n === 'mgr'
            ? { managed: { cashu: new CashuRedeemer([mint.url]), policy: { ...DEFAULT_POLICY, ...o.policy, protected_channels: protectedChannels }, subscription: o.subscription, clock } }
            : {}),
          ...(n === 'adv' ? { advisor: { key: new KeyFileSigner(seeded(32, 1)), timeout_ms: 10_000, clock_ms: () => (clock() + skew.s) * 1000 } } : {}),
        };
        engines[n] = new MgmtEngine(ctx, opts);
        return composeEngines(await hive[n].factory()(ctx), [engines[n]]);
      },
    });
    const world = new SimWorld(root, fleet, signer, operatorDid, stores, engines, hive, logs, mint, foreignMint, clock, skew);
    protectedChannels.push(...(await world.setUp()));
    return world;
  }

  /** Channels and the starting fee. @returns the channels the local policy protects. */
  private async setUp(): Promise<string[]> {
    await this.fleet.waitPluginsConnected();
    const net = this.fleet.network;
    this.scid = (await net.openChannel(this.adv.node, this.mgr.node.nodeId, { capacity_sat: 5_000_000 })).short_channel_id;
    this.protectedScid = (await net.openChannel(this.adv.node, this.mgr.node.nodeId, { capacity_sat: 1_000_000 })).short_channel_id;
    this.outScid = (await net.openChannel(this.mgr.node, this.adv.node.nodeId, { capacity_sat: 2_000_000 })).short_channel_id;
    await net.connect(this.ops.node, this.adv.node.nodeId);
    const set = await this.mgr.backend.setchannel({ id: this.scid, feeppm: 100 });
    if (!set.ok) throw new Error(set.error.message);
    return [this.protectedScid];
  }

  /** Issue a management credential for the advisor on the operator's signer (button approved). */
  async credential(o: SimCredOpts = {}): Promise<string> {
    const issued = o.issuedAt ?? this.clock() - 3600;
    const r = await issueCredential(
      this.signer.signer,
      this.stores.ops,
      {
        agent_did: this.advisorKey.did,
        node_id: this.mgr.node.nodeId,
        tier: o.tier ?? 'standard',
        permissions: { monitor: true, fee_policy: true, rebalance: true, config_tune: true },
        constraints: { max_fee_change_pct: o.maxFeeChangePct ?? 50, max_rebalance_sats: 1_000_000, max_daily_actions: o.maxDailyActions ?? 100, allowed_schemas: o.schemas ?? ['hive:fee-policy/*', 'hive:monitor/*'] },
        compensation: { model: o.model ?? 'per_action', rate_sats: 10, currency: 'L402|cashu' },
        issued_at: issued,
        expires_at: issued + (o.days ?? 30) * 86_400,
        idBytes: crypto.getRandomValues(new Uint8Array(16)),
      },
      this.clock(),
    );
    if (!r.ok) throw new Error(`issue failed: ${r.error.kind}`);
    return r.value;
  }

  /** Revoke a credential on the operator's signer; returns the signed revocation JSON. */
  async revoke(credentialJson: string, reason: string): Promise<string> {
    const r = await revokeCredential(this.signer.signer, this.stores.ops, JSON.parse(credentialJson).id, reason, this.clock());
    if (!r.ok) throw new Error(`revoke failed: ${r.error.kind}`);
    return r.value;
  }

  /** A wallet at the local (or given) mint funded with `sats`. */
  async wallet(sats: number, mint: TestMintServer = this.mint): Promise<AdvisorWallet> {
    const w = await AdvisorWallet.open(mint.url);
    await w.fund(sats);
    return w;
  }

  /** Fee and balance of mgr's channels as its own `listpeerchannels` reports them. */
  async channels(): Promise<{ fees: Record<string, number>; to_us_msat: Record<string, number> }> {
    const r = await this.mgr.backend.listpeerchannels();
    if (!r.ok) throw new Error(r.error.message);
    const fees: Record<string, number> = {};
    const to_us_msat: Record<string, number> = {};
    for (const c of r.value) {
      fees[c.short_channel_id!] = c.updates!.local!.fee_proportional_millionths;
      to_us_msat[c.short_channel_id!] = c.to_us_msat!;
    }
    return { fees, to_us_msat };
  }

  /** mgr's fee_ppm on `scid` (listpeerchannels). */
  async fee(scid: string = this.scid): Promise<number> {
    return (await this.channels()).fees[scid]!;
  }

  /** What a refused command must leave unchanged. */
  async snapshot(): Promise<SimSnapshot> {
    const s = this.stores.mgr;
    return { ...(await this.channels()), config: s.getConfig(), pending: s.pendingActions().length, redeemed_sats: s.redeemedSats(), receipts: s.receipts().length };
  }

  /** The newest receipt mgr recorded. */
  lastReceipt(): SignedReceipt {
    const all = this.stores.mgr.receipts();
    const r = all[all.length - 1];
    if (!r) throw new Error('no receipt');
    return r;
  }

  /** Requests mgr refused before the credential verified (answered, no stored receipt), all rules. */
  unauthenticatedRefusals(): number {
    return Object.values(this.engines.mgr.node!.unauthenticatedRefusals()).reduce((a, b) => a + b, 0);
  }

  /** Send raw 49152 bytes from adv to mgr that mgr must refuse unauthenticated; wait until it counted them. */
  async sendRawUnauthenticated(bytes: Uint8Array): Promise<void> {
    const before = this.unauthenticatedRefusals();
    const r = await this.adv.backend.sendcustommsg(this.mgr.node.nodeId, toHex(bytes));
    if (!r.ok) throw new Error(r.error.message);
    await waitUntil(() => this.unauthenticatedRefusals() > before, 'an unauthenticated refusal');
  }

  /** Send raw 49152 bytes from adv to mgr and wait for the receipt they cause. */
  async sendRaw(bytes: Uint8Array): Promise<SignedReceipt> {
    const before = this.stores.mgr.receipts().length;
    const r = await this.adv.backend.sendcustommsg(this.mgr.node.nodeId, toHex(bytes));
    if (!r.ok) throw new Error(r.error.message);
    await waitUntil(() => this.stores.mgr.receipts().length > before, 'receipt for a raw request');
    return this.lastReceipt();
  }

  /** Stop the fleet, signer and mints. */
  async stop(): Promise<void> {
    await this.fleet.stop();
    for (const s of Object.values(this.stores)) s.close();
    await this.signer.stop();
    await Promise.all([this.mint.stop(), this.foreignMint.stop()]);
    rmSync(this.root, { recursive: true, force: true });
  }
}
