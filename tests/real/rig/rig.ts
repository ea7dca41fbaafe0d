/**
 * The real-node rig (issue 13 deliverable 1): one regtest bitcoind and N real lightningd on
 * 127.0.0.1, each with the real Hivebox plugin and its own `hivebox run` + signer simulator, or
 * with the real cl-hive plugin, or with no plugin (an outside node). It funds the nodes' wallets,
 * opens and confirms channels, and tears everything down — also when a test fails (the suites call
 * `stop()` in `afterAll`; procs.ts kills every process group on exit anyway).
 *
 * Files live in a fresh folder under the system tmp dir; `HIVEBOX_REAL_KEEP=1` keeps it (logs of
 * every process) after the run, its path is printed at start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRealBinaries, isMissing, type RealBinaries } from './binaries.ts';
import { Bitcoind } from './bitcoind.ts';
import { HiveboxNode, type TomlOverrides } from './hivebox.ts';
import { RealLightningd, type PeerChannel } from './lightningd.ts';
import { liveProcesses, rssMiB } from './procs.ts';
import { eventually } from './wait.ts';

/** A node to start. */
export interface RigNodeSpec {
  readonly name: string;
  /** `hivebox` (default): plugin + daemon + signer; `clhive`: the real cl-hive plugin; `none`: plain lightningd. */
  readonly plugin?: 'hivebox' | 'clhive' | 'none';
  /** lightningd `dev-debugger=hivebox-plugin`: the plugin is also started with `--dev-debug-self`. */
  readonly devDebugSelf?: boolean;
  /** Extra `hivebox.toml` keys for this node's daemon. */
  readonly hivebox?: TomlOverrides;
}

/** One rig node: its lightningd and, for Hivebox nodes, the daemon side. */
export interface RigNode {
  readonly name: string;
  readonly ln: RealLightningd;
  readonly hb: HiveboxNode | null;
}

/** The running rig. */
export class Rig {
  private constructor(
    readonly root: string,
    readonly bins: RealBinaries,
    readonly bitcoind: Bitcoind,
    readonly nodes: readonly RigNode[],
  ) {}

  /**
   * Start bitcoind and every node (lightningd first, then its daemon), fund each wallet with
   * three confirmed UTXOs of `fund_btc` BTC.
   * @throws Error when a binary is missing or something does not come up (the rig is stopped first).
   */
  static async start(specs: readonly RigNodeSpec[], opts: { fund_btc?: number } = {}): Promise<Rig> {
    const bins = findRealBinaries();
    if (isMissing(bins)) throw new Error(`real-node rig: ${bins.missing} not found (${bins.hint})`);
    const root = mkdtempSync(join(tmpdir(), 'hivebox-real-'));
    console.log(`[rig] files in ${root}`);
    const bitcoind = await Bitcoind.start(bins.bitcoind, join(root, 'bitcoind'));
    const nodes: RigNode[] = specs.map((s) => {
      const dir = join(root, s.name);
      const kind = s.plugin ?? 'hivebox';
      const hbDir = join(dir, 'hivebox');
      const ln = new RealLightningd(
        s.name,
        dir,
        bins,
        bitcoind,
        kind === 'hivebox' ? { kind, socket: join(hbDir, 'hivebox.sock'), devDebugSelf: s.devDebugSelf ?? false } : { kind },
      );
      return { name: s.name, ln, hb: kind === 'hivebox' ? new HiveboxNode(s.name, hbDir, ln.rpcPath, s.hivebox) : null };
    });
    const rig = new Rig(root, bins, bitcoind, nodes);
    try {
      // lightningd first: the plugin retries its daemon link, and the daemon waits for lightningd.
      for (const n of nodes) await n.ln.start();
      for (const n of nodes) await n.hb?.start();
      await rig.fundWallets(opts.fund_btc ?? 0.2);
    } catch (e) {
      await rig.stop();
      throw e;
    }
    return rig;
  }

  /** The node named `name`. @throws Error for an unknown name. */
  node(name: string): RigNode {
    const n = this.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`rig: no node ${name}`);
    return n;
  }

  /** Hivebox part of `name`. @throws Error for a node without Hivebox. */
  hb(name: string): HiveboxNode {
    const hb = this.node(name).hb;
    if (!hb) throw new Error(`rig: ${name} runs no Hivebox`);
    return hb;
  }

  /** Mine `n` blocks and wait until every running lightningd has seen them. */
  async mine(n: number): Promise<number> {
    const height = await this.bitcoind.mine(n);
    await this.waitSynced(height);
    return height;
  }

  /** Wait until every running lightningd reports `height` (default: bitcoind's tip). */
  async waitSynced(height?: number): Promise<void> {
    const h = height ?? (await this.bitcoind.rpc<number>('getblockcount'));
    for (const n of this.nodes) {
      if (!n.ln.proc?.alive()) continue;
      await eventually(`${n.name} at block ${h}`, async () => (await n.ln.rpc<{ blockheight: number }>('getinfo')).blockheight >= h, 120_000);
    }
  }

  private async fundWallets(btc: number): Promise<void> {
    const amounts: Record<string, number> = {};
    for (const n of this.nodes) {
      // lightningd's default address type is p2tr since v24.11 (the answer then has no `bech32`).
      for (let i = 0; i < 3; i++) amounts[(await n.ln.rpc<{ bech32: string }>('newaddr', { addresstype: 'bech32' })).bech32] = btc;
    }
    await this.bitcoind.pay(amounts);
    await this.mine(1);
    for (const n of this.nodes) {
      await eventually(`${n.name} wallet funded`, async () => {
        const f = await n.ln.rpc<{ outputs: { status: string }[] }>('listfunds');
        return f.outputs.filter((o) => o.status === 'confirmed').length >= 3;
      });
    }
  }

  /** `connect` a → b (idempotent). */
  async connect(a: string, b: string): Promise<void> {
    const target = this.node(b).ln;
    await this.node(a).ln.rpc('connect', { id: target.nodeId, host: '127.0.0.1', port: target.port });
  }

  /**
   * Open public channels (`fundchannel` from the first node of each pair, `amount_sat` each),
   * mine 6 blocks and wait until both ends see CHANNELD_NORMAL.
   * @returns the scids in the order given.
   */
  async openChannels(pairs: readonly (readonly [string, string, number])[]): Promise<string[]> {
    for (const [a, b, sat] of pairs) {
      await this.connect(a, b);
      await this.node(a).ln.rpc('fundchannel', { id: this.node(b).ln.nodeId, amount: sat, announce: true });
    }
    await this.mine(6);
    const scids: string[] = [];
    for (const [a, b] of pairs) {
      const [la, lb] = [this.node(a).ln, this.node(b).ln];
      const ch = await eventually(`channel ${a}-${b} CHANNELD_NORMAL on both ends`, async () => {
        const mine = (await la.channels()).filter((c) => c.peer_id === lb.nodeId && c.state === 'CHANNELD_NORMAL' && c.short_channel_id && !scids.includes(c.short_channel_id));
        const theirs = await lb.channels();
        const both = mine.find((c) => theirs.some((t) => t.short_channel_id === c.short_channel_id && t.state === 'CHANNELD_NORMAL'));
        return both as PeerChannel | undefined;
      }, 120_000);
      scids.push(ch.short_channel_id!);
    }
    return scids;
  }

  /** RSS (MiB) of each node's lightningd, Hivebox plugin and daemon, read from /proc now. */
  rss(): Record<string, { lightningd: number | null; plugin: number | null; daemon: number | null }> {
    const out: Record<string, { lightningd: number | null; plugin: number | null; daemon: number | null }> = {};
    for (const n of this.nodes) {
      const plugin = n.ln.pluginProcesses('main.ts')[0];
      out[n.name] = {
        lightningd: n.ln.proc ? rssMiB(n.ln.proc.pid) : null,
        plugin: plugin ? rssMiB(plugin.pid) : null,
        daemon: n.hb?.daemon ? rssMiB(n.hb.daemon.pid) : null,
      };
    }
    return out;
  }

  /** Print the RSS line the closing note quotes (`[real] RSS MiB {...}`), then `stop()`. */
  async finish(): Promise<void> {
    console.log(`[real] RSS MiB ${JSON.stringify(this.rss())}`);
    await this.stop();
  }

  /** Stop daemons, lightningd nodes and bitcoind; kill whatever is left; remove the folder unless HIVEBOX_REAL_KEEP=1. */
  async stop(): Promise<void> {
    for (const n of this.nodes) await n.hb?.stopDaemon().catch(() => {});
    await Promise.all(this.nodes.map((n) => n.ln.stop().catch(() => {})));
    for (const n of this.nodes) {
      n.ln.client.close();
      await n.hb?.stop().catch(() => {});
    }
    await this.bitcoind.stop().catch(() => {});
    for (const p of liveProcesses()) await p.stop(1_000);
    if (process.env.HIVEBOX_REAL_KEEP === '1') console.log(`[rig] kept ${this.root}`);
    else rmSync(this.root, { recursive: true, force: true });
  }
}

/** Print one scenario timing line (`[real] <scenario>: <ms> ms <details>`), the figures the closing note quotes. */
export function reportTiming(scenario: string, ms: number, details: Record<string, unknown> = {}): void {
  const extra = Object.keys(details).length ? ` ${JSON.stringify(details)}` : '';
  console.log(`[real] ${scenario}: ${ms} ms${extra}`);
}
