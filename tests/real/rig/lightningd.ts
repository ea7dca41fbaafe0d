/**
 * A real Core Lightning `lightningd` (regtest, 127.0.0.1, free port) for the rig. Its config file
 * holds `developer` (lightningd then starts every plugin with `--developer`, real-cln-facts.md),
 * `dev-bitcoind-poll=1` (blocks seen within a second), debug logs to `lightningd.log`, and the
 * plugins of the node: the Hivebox plugin by `plugin=` with its `hivebox-socket=`, or cl-hive
 * through a two-line wrapper that runs it with the configured Python and module path.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NodeResult } from '../../../runtime/core/ports.ts';
import { HIVEBOX_PLUGIN_EXECUTABLE } from '../../../services/cln-plugin/executable.ts';
import { LightningRpcClient } from '../../../services/lightning-rpc/index.ts';
import type { RealBinaries } from './binaries.ts';
import { BITCOIN_RPC_PASSWORD, BITCOIN_RPC_USER, type Bitcoind } from './bitcoind.ts';
import { childEnv, childrenOf, runCommand, startProcess, type RigProcess } from './procs.ts';
import { WaitAborted, eventually, freePort } from './wait.ts';

/** Which plugin a node runs. */
export type NodePlugin = { readonly kind: 'hivebox'; readonly socket: string; readonly devDebugSelf?: boolean } | { readonly kind: 'clhive' } | { readonly kind: 'none' };

/** A channel as `listpeerchannels` shows it (the fields the rig reads). */
export interface PeerChannel {
  readonly peer_id: string;
  readonly peer_connected: boolean;
  readonly state: string;
  readonly short_channel_id?: string;
  readonly total_msat: number;
  readonly updates?: { readonly local?: { readonly fee_base_msat: number; readonly fee_proportional_millionths: number } };
}

/** One real lightningd. */
export class RealLightningd {
  readonly rpcPath: string;
  readonly port: number;
  readonly client: LightningRpcClient;
  proc: RigProcess | null = null;
  nodeId = '';

  constructor(
    readonly name: string,
    readonly dir: string,
    private readonly bins: RealBinaries,
    private readonly bitcoind: Bitcoind,
    readonly plugin: NodePlugin,
  ) {
    mkdirSync(dir, { recursive: true });
    this.port = freePort();
    this.rpcPath = join(dir, 'regtest', 'lightning-rpc');
    this.client = new LightningRpcClient({ socketPath: this.rpcPath, idPrefix: `rig-${name}`, callTimeoutMs: 120_000 });
    writeFileSync(join(dir, 'config'), this.configText());
  }

  /** `host:port` to `connect` to. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get logPath(): string {
    return join(this.dir, 'lightningd.log');
  }

  private configText(): string {
    const lines = [
      'network=regtest',
      'developer',
      `alias=rig-${this.name}`,
      `addr=127.0.0.1:${this.port}`,
      'bitcoin-rpcconnect=127.0.0.1',
      `bitcoin-rpcport=${this.bitcoind.rpcPort}`,
      `bitcoin-rpcuser=${BITCOIN_RPC_USER}`,
      `bitcoin-rpcpassword=${BITCOIN_RPC_PASSWORD}`,
      `bitcoin-cli=${this.bins.bitcoinCli}`,
      'dev-bitcoind-poll=1',
      'log-level=debug',
      `log-file=${this.logPath}`,
    ];
    if (this.plugin.kind === 'hivebox') {
      lines.push(`plugin=${HIVEBOX_PLUGIN_EXECUTABLE}`, `hivebox-socket=${this.plugin.socket}`);
      if (this.plugin.devDebugSelf) lines.push('dev-debugger=hivebox-plugin');
    }
    if (this.plugin.kind === 'clhive') {
      const c = this.bins.clhive;
      if (!c) throw new Error('cl-hive node without HIVEBOX_REAL_CLHIVE');
      const wrapper = join(this.dir, 'cl-hive');
      writeFileSync(wrapper, `#!/bin/sh\ncd ${JSON.stringify(dirname(c.plugin))} && PYTHONPATH=${JSON.stringify(c.pythonpath)} exec ${JSON.stringify(c.python)} ${JSON.stringify(c.plugin)} "$@"\n`, { mode: 0o755 });
      // cl-hive's shortest heartbeat (its default is 300 s), so its GOSSIP arrives within a scenario.
      lines.push(`plugin=${wrapper}`, `hive-db-path=${join(this.dir, 'cl_hive.db')}`, 'hive-heartbeat-interval=60');
    }
    return `${lines.join('\n')}\n`;
  }

  /**
   * Start lightningd and wait until its RPC answers and it has caught up with bitcoind.
   * @throws Error (with the log's tail) when it exits or does not answer within `timeout_ms`.
   */
  async start(timeout_ms = 120_000): Promise<void> {
    const env = childEnv({ HIVEBOX_BUN: process.execPath, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` });
    this.proc = startProcess(`lightningd-${this.name}`, [this.bins.lightningd, `--lightning-dir=${this.dir}`], { logPath: join(this.dir, 'stderr.log'), env });
    const proc = this.proc;
    try {
      const height = await this.bitcoind.rpc<number>('getblockcount');
      const info = await eventually(
        `lightningd ${this.name} up and synced`,
        async () => {
          if (!proc.alive()) throw new WaitAborted(`lightningd ${this.name} exited: ${this.tail()}`);
          const r = await this.client.call<{ id: string; blockheight: number }>('getinfo');
          return r.ok && r.value.blockheight >= height ? r.value : undefined;
        },
        timeout_ms,
      );
      this.nodeId = info.id;
    } catch (e) {
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- ${this.name} log tail ---\n${this.tail()}`);
    }
  }

  /** Stop lightningd with its `stop` command (clean shutdown); SIGKILL the group after 30 s. */
  async stop(): Promise<void> {
    if (!this.proc?.alive()) return;
    await this.client.call('stop', {}, { timeoutMs: 10_000 });
    const proc = this.proc;
    await Promise.race([proc.wait(), Bun.sleep(30_000)]);
    await proc.stop(1_000);
  }

  /**
   * One RPC call. @returns the result.
   * @throws Error with lightningd's code and message.
   */
  async rpc<T = unknown>(method: string, params: Record<string, unknown> | readonly unknown[] = {}): Promise<T> {
    const r: NodeResult<T> = await this.client.call<T>(method, params);
    if (!r.ok) throw new Error(`${this.name} ${method}: ${r.error.code} ${r.error.message}`);
    return r.value;
  }

  /** Run the real `lightning-cli` against this node. @returns exit code, stdout, stderr. */
  cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return runCommand([this.bins.lightningCli, `--lightning-dir=${this.dir}`, '--network=regtest', ...args]);
  }

  /** lightningd's own debug log. */
  log(): string {
    try {
      return readFileSync(this.logPath, 'utf8');
    } catch {
      return '';
    }
  }

  /** The last lines of both logs, for failure messages. */
  tail(lines = 30): string {
    const both = `${this.proc?.log() ?? ''}\n${this.log()}`;
    return both.split('\n').slice(-lines).join('\n');
  }

  /** The running plugin processes lightningd started whose command line contains `marker`. */
  pluginProcesses(marker: string): { pid: number; argv: string[] }[] {
    if (!this.proc?.alive()) return [];
    return childrenOf(this.proc.pid).filter((c) => c.argv.some((a) => a.includes(marker)));
  }

  /** This node's channels (`listpeerchannels`). */
  async channels(): Promise<readonly PeerChannel[]> {
    return (await this.rpc<{ channels: PeerChannel[] }>('listpeerchannels')).channels;
  }

  /** True when `peer_id` is connected. */
  async connected(peer_id: string): Promise<boolean> {
    const r = await this.rpc<{ peers: { id: string; connected: boolean }[] }>('listpeers', { id: peer_id });
    return r.peers.some((p) => p.connected);
  }
}
