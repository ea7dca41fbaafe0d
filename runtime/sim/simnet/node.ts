/**
 * One simulated lightningd (CLN v26.06): node key, lightning-dir with a `lightning-rpc` socket,
 * the plugins it launches (real executables, spoken to exactly as lightningd does), peers and the
 * hook/notification traffic that peers cause:
 *  - start: each configured plugin gets getmanifest, then init (options with defaults,
 *    configuration with lightning-dir, rpc-file, network, startup); plugins start in parallel
 *    (lightningd finishes every getmanifest before the first init — no plugin here depends on
 *    that order); a plugin that fails the handshake or registers a taken method is killed;
 *  - incoming peer message: an unknown even type that no plugin declared in `custommessages`
 *    makes lightningd drop the peer; otherwise the `custommsg` hook chain runs in plugin order,
 *    honouring each registration's `filters`; a hook answer other than `{"result":"continue"}`
 *    crashes lightningd (checked on v26.06), and simnet marks the node crashed;
 *  - connection: `peer_connected` hook chain (`disconnect` aborts), then `connect` notifications;
 *  - a peer opening a channel: the `openchannel` (v1) or `openchannel2` (dual-funded) hook chain;
 *    the first `reject` refuses the open with its `error_message`, an answer other than
 *    `continue`/`reject` is fatal to lightningd (openchannel_hook_cb), as on v26.06;
 *  - plugins that die stay dead until `plugin start` (no automatic restart); a restart of lightningd
 *    starts only the configured plugins, not those added with `plugin start`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SimNetwork } from './network.ts';
import { nodeKeyFromSeed, type SimNodeKey } from './keys.ts';
import { SIM_NODE_DEFAULTS, SIMNET_LIMITS } from './limits.ts';
import type { SendpayAttempt } from './cmd-sendpay.ts';
import type { SimPsbt } from './cmd-splice.ts';
import type { SimForward } from './payments.ts';
import { PluginHost, type PluginManifest } from './plugin-host.ts';
import { isBuiltinCommand } from './commands.ts';
import { startRpcServer, type RpcServer } from './rpc-server.ts';
import { SimWallet } from './wallet.ts';
import { INTERNAL_PEER_TYPES, peekType } from './wire-types.ts';

/** A plugin lightningd is configured to start (`plugin=PATH` plus its `name=value` options). */
export interface SimPluginSpec {
  readonly path: string;
  readonly options?: Readonly<Record<string, string | number | boolean>>;
}

/** How to build a simulated node. */
export interface SimNodeSpec {
  /** Short unique name; also the directory name (keep it short: unix socket paths ≤ 107 bytes). */
  readonly name: string;
  /** Alias in getinfo/listnodes (default: the name). */
  readonly alias?: string;
  /** Key seed (default: the name). */
  readonly seed?: string;
  /** init features hex this node presents to peers (listpeers `features`, peer_connected hook). */
  readonly features?: string;
  /** Plugins started with the node. */
  readonly plugins?: readonly SimPluginSpec[];
  /**
   * `developer` in lightningd's config: every plugin is started with `--developer` on its command
   * line, also through `plugin start` (seen on CLN v26.06, ../shared/research/real-cln-facts.md).
   */
  readonly developer?: boolean;
  /**
   * `dev-debug-subprocess=NAME` (developer only): the plugin whose executable's basename is NAME
   * also gets `--dev-debug-self`.
   */
  readonly dev_debug_subprocess?: string;
}

/** One line of the node's log (lightningd's log levels). */
export interface SimLogLine {
  readonly level: 'debug' | 'info' | 'unusual' | 'broken';
  readonly source: string;
  readonly message: string;
}

/** An invoice this node issued (`invoice`), settled by another node's `pay`. */
export interface SimInvoice {
  readonly label: string;
  readonly preimage: string;
  readonly payment_hash: string;
  /** BOLT 11 `s` field: the payer must present it (`sendpay payment_secret`). */
  readonly payment_secret: string;
  readonly amount_msat: number;
  /** Unix seconds. */
  readonly expires_at: number;
  status: 'unpaid' | 'paid';
  paid_at?: number;
  amount_received_msat?: number;
}

/** Lifecycle state of the simulated lightningd. */
export type SimNodeStatus = 'stopped' | 'running' | 'crashed';

/** A peer connection as lightningd tracks it. */
export interface SimPeerState {
  connected: boolean;
  direction: 'in' | 'out';
}

/** One simulated lightningd. Created and owned by `SimNetwork`. */
export class SimNode {
  readonly name: string;
  readonly alias: string;
  readonly key: SimNodeKey;
  readonly features: string;
  /** lightning-dir (also the plugins' working directory). */
  readonly dir: string;
  readonly rpcPath: string;
  status: SimNodeStatus = 'stopped';
  readonly logs: SimLogLine[] = [];
  readonly peers = new Map<string, SimPeerState>();
  /** Invoices by label (preimage kept, as lightningd keeps it in its db). */
  readonly invoices = new Map<string, SimInvoice>();
  /** Completed outgoing payments by payment_hash (`pay` answers a repeat with the stored result). */
  readonly payments = new Map<string, Record<string, unknown>>();
  /** `sendpay` attempts by payment_hash, their outcome waiting for `waitsendpay` (cmd-sendpay.ts). */
  readonly sendpays = new Map<string, SendpayAttempt>();
  /** PSBTs this node made (fundpsbt, addpsbtoutput, splice_init), by their base64 text (cmd-splice.ts). */
  readonly psbts = new Map<string, SimPsbt>();
  /** Payments this node forwarded (`listforwards`). */
  readonly forwards: SimForward[] = [];
  /** On-chain funds (`listfunds`, spent by `fundchannel`); fund it with `wallet.deposit`. */
  readonly wallet: SimWallet;
  plugins: PluginHost[] = [];
  private readonly pluginSpecs: SimPluginSpec[];
  /** Plugins started with `plugin start` since this lightningd started (forgotten on restart, as lightningd does). */
  private readonly dynamicSpecs = new Map<string, SimPluginSpec>();
  private readonly developer: boolean;
  private readonly devDebugSubprocess: string | undefined;
  private server: RpcServer | null = null;
  private stopping = false;
  private hookChain: Promise<void> = Promise.resolve();

  constructor(
    readonly network: SimNetwork,
    spec: SimNodeSpec,
  ) {
    this.name = spec.name;
    this.alias = spec.alias ?? spec.name;
    this.key = nodeKeyFromSeed(spec.seed ?? spec.name);
    this.features = spec.features ?? SIM_NODE_DEFAULTS.init_features;
    this.dir = join(network.root, spec.name);
    this.rpcPath = join(this.dir, 'lightning-rpc');
    this.pluginSpecs = [...(spec.plugins ?? [])];
    this.developer = spec.developer === true;
    this.devDebugSubprocess = spec.dev_debug_subprocess;
    this.wallet = new SimWallet(this.key.nodeId);
  }

  /** 66-hex node id. */
  get nodeId(): string {
    return this.key.nodeId;
  }

  /** Append to the node log (tests read `logs`). */
  log(level: SimLogLine['level'], source: string, message: string): void {
    this.logs.push({ level, source, message });
  }

  /** Start lightningd: RPC socket up, then every configured plugin (all getmanifest, then all init). */
  async start(): Promise<void> {
    if (this.status === 'running') return;
    mkdirSync(this.dir, { recursive: true });
    this.server = await startRpcServer(this);
    this.status = 'running';
    this.plugins = [];
    this.dynamicSpecs.clear();
    await Promise.all(this.pluginSpecs.map((s) => this.launchPlugin(s, true)));
    this.log('info', 'lightningd', 'Server started');
  }

  /**
   * Stop lightningd. `clean`: plugins subscribed to `shutdown` get it and a grace period, the rest
   * are killed at once; `crash`: everything dies at once. Peers see a disconnect either way.
   */
  async stop(mode: 'clean' | 'crash'): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    await this.server?.close();
    this.server = null;
    await Promise.all(
      this.plugins.map(async (p) => {
        if (mode === 'clean' && p.manifest?.subscriptions.includes('shutdown')) {
          p.notify('shutdown', {});
          let grace: ReturnType<typeof setTimeout> | undefined;
          await Promise.race([p.exited(), new Promise<void>((resolve) => (grace = setTimeout(resolve, SIMNET_LIMITS.plugin_shutdown_grace_ms)))]);
          clearTimeout(grace);
        }
        p.kill('SIGKILL');
        await p.exited();
      }),
    );
    this.network.dropConnectionsOf(this);
    this.status = mode === 'crash' ? 'crashed' : 'stopped';
    this.stopping = false;
  }

  /**
   * Launch one plugin (`startup` true at node start, false for `plugin start`).
   * @returns null when it is running, else why it was killed.
   */
  async launchPlugin(spec: SimPluginSpec, startup: boolean): Promise<string | null> {
    const name = spec.path.split('/').pop()!;
    const args = this.developer ? ['--developer', ...(this.devDebugSubprocess === name ? ['--dev-debug-self'] : [])] : [];
    const host = new PluginHost({
      path: spec.path,
      args,
      cwd: this.dir,
      log: (level, source, message) => this.log(level, source, message),
      onExit: (h) => {
        this.plugins = this.plugins.filter((p) => p !== h);
      },
    });
    this.plugins.push(host);
    if (!startup) this.dynamicSpecs.set(spec.path, spec);
    const refused = await host.start((m) => this.optionValues(m, spec), {
      'lightning-dir': this.dir,
      'rpc-file': 'lightning-rpc',
      startup,
      network: 'bitcoin',
      feature_set: { init: this.features, node: this.features, channel: '', invoice: '02000002024100' },
      'torv3-enabled': false,
      always_use_proxy: false,
    });
    if (refused) {
      await host.exited();
      return refused;
    }
    const clash = host.manifest!.rpcmethods.find((r) => isBuiltinCommand(r.name) || this.plugins.some((p) => p !== host && p.manifest?.rpcmethods.some((o) => o.name === r.name)));
    if (clash) {
      this.log('unusual', `plugin-${host.name}`, `Killing plugin: method '${clash.name}' already registered`);
      host.kill('SIGKILL');
      await host.exited();
      return `method ${clash.name} already registered`;
    }
    if (!startup && !host.manifest!.dynamic) {
      host.kill('SIGKILL');
      await host.exited();
      return 'Not a dynamic plugin';
    }
    return null;
  }

  /** Options configured for the plugin at `path` (lightningd keeps `name=value` lines from its config). */
  pluginOptionsFor(path: string): SimPluginSpec['options'] {
    return this.pluginSpecs.find((s) => s.path === path)?.options;
  }

  /** Running plugins that completed init. */
  activePlugins(): PluginHost[] {
    return this.plugins.filter((p) => p.alive && p.manifest !== null);
  }

  /** The plugin that registered `method`, if any. */
  pluginForMethod(method: string): PluginHost | undefined {
    return this.activePlugins().find((p) => p.manifest!.rpcmethods.some((r) => r.name === method));
  }

  /** Plugin option values lightningd would pass in init (configured value, else default; unset flags absent). */
  optionValue(name: string): { value: unknown; plugin: PluginHost } | undefined {
    for (const p of this.activePlugins()) {
      const opt = p.manifest!.options.find((o) => o.name === name);
      if (opt) return { value: this.optionValues(p.manifest!, this.dynamicSpecs.get(p.path) ?? this.pluginSpecs.find((s) => s.path === p.path) ?? { path: p.path })[name], plugin: p };
    }
    return undefined;
  }

  private optionValues(m: PluginManifest, spec: SimPluginSpec): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const o of m.options) {
      const set = spec.options?.[o.name];
      const v = set ?? o.default;
      if (v === undefined) continue;
      if (o.type === 'int') out[o.name] = Number(v);
      else if (o.type === 'bool' || o.type === 'flag') out[o.name] = v === true || v === 'true';
      else out[o.name] = String(v);
      if (o.multi) out[o.name] = [out[o.name]];
    }
    return out;
  }

  /** Send a notification to every plugin subscribed to `topic` (or to "*"). */
  notify(topic: string, body: Record<string, unknown>): void {
    for (const p of this.activePlugins()) if (p.manifest!.subscriptions.includes(topic) || p.manifest!.subscriptions.includes('*')) p.notify(topic, { [topic]: body });
  }

  /**
   * Run the `peer_connected` hook chain.
   * @returns false when a plugin answered `disconnect`.
   */
  async peerConnectedHook(peerId: string, direction: 'in' | 'out', features: string, port: number): Promise<boolean> {
    for (const p of this.activePlugins()) {
      if (!p.manifest!.hooks.some((h) => h.name === 'peer_connected')) continue;
      const r = await p.call('peer_connected', { peer: { id: peerId, direction, addr: `127.0.0.1:${port}`, features } }, SIMNET_LIMITS.hook_timeout_ms);
      if ('result' in r && (r.result as { result?: unknown } | null)?.result === 'disconnect') {
        this.log('info', `plugin-${p.name}`, `peer_connected hook disconnected ${peerId}`);
        return false;
      }
    }
    return true;
  }

  /**
   * Run the `openchannel` / `openchannel2` hook chain for an open from a peer.
   * @returns `continue` when every plugin continued (or none registered), `reject` with the first
   *   refusal's `error_message` ("" when absent), or `crashed` when a plugin's answer made
   *   lightningd exit. A plugin that dies or exceeds simnet's hook timeout counts as continue.
   */
  async openChannelHook(hook: 'openchannel' | 'openchannel2', params: Record<string, unknown>): Promise<{ result: 'continue' } | { result: 'reject'; error_message: string } | { result: 'crashed' }> {
    for (const p of this.activePlugins()) {
      if (!p.manifest!.hooks.some((h) => h.name === hook)) continue;
      const r = await p.call(hook, params, SIMNET_LIMITS.hook_timeout_ms);
      if ('failure' in r) continue;
      const answer = 'result' in r ? (r.result as { result?: unknown; error_message?: unknown } | null) : null;
      if (answer?.result === 'continue') continue;
      if (answer?.result === 'reject') {
        const error_message = typeof answer.error_message === 'string' ? answer.error_message : '';
        this.log('debug', 'lightningd', `${hook}_hook_cb says '${error_message}'`);
        return { result: 'reject', error_message };
      }
      this.log('broken', 'lightningd', `Plugin returned an invalid response to the ${hook} hook: ${JSON.stringify('result' in r ? r.result : r.error)}`);
      await this.stop('crash');
      return { result: 'crashed' };
    }
    return { result: 'continue' };
  }

  /**
   * A peer sent `msgHex` (type included). Unknown even types without a `custommessages`
   * declaration drop the peer; everything else runs through the custommsg hook chain, one message
   * at a time per node.
   */
  receivePeerMessage(peerId: string, msgHex: string): void {
    if (!this.running || !this.peers.get(peerId)?.connected) return;
    const type = peekType(msgHex);
    if (type === null) return;
    if (INTERNAL_PEER_TYPES.has(type)) return;
    if (type % 2 === 0 && !this.activePlugins().some((p) => p.manifest!.custommessages.includes(type))) {
      this.log('unusual', peerId, `Unknown even message type ${type}: disconnecting`);
      this.network.disconnectPair(this, peerId);
      return;
    }
    this.hookChain = this.hookChain.then(() => this.custommsgHooks(peerId, msgHex, type));
  }

  /** Resolves once every custommsg received so far has been through the plugins' hooks (answered, timed out or dropped). */
  hooksSettled(): Promise<void> {
    return this.hookChain;
  }

  private async custommsgHooks(peerId: string, msgHex: string, type: number): Promise<void> {
    for (const p of this.activePlugins()) {
      if (!this.running) return;
      const reg = p.manifest!.hooks.find((h) => h.name === 'custommsg');
      if (!reg || (reg.filters !== undefined && !reg.filters.includes(type))) continue;
      const r = await p.call('custommsg', { peer_id: peerId, payload: msgHex }, SIMNET_LIMITS.hook_timeout_ms);
      if ('failure' in r) {
        if (r.failure === 'timeout') this.log('broken', `plugin-${p.name}`, 'custommsg hook timed out');
        continue;
      }
      const result = 'result' in r ? (r.result as { result?: unknown } | null)?.result : undefined;
      if (result !== 'continue') {
        this.log('broken', 'lightningd', `Plugin ${p.name} returned ${JSON.stringify('result' in r ? r.result : r.error)} to custommsg hook: lightningd crashed`);
        await this.stop('crash');
        return;
      }
    }
  }

  /** True while lightningd runs and is not shutting down. */
  get running(): boolean {
    return this.status === 'running' && !this.stopping;
  }
}
