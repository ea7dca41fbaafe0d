/**
 * The thin CLN plugin's protocol logic (CLN v26.06 plugin protocol: JSON-RPC 2.0 over
 * stdin/stdout, a-day-in-the-life-of-a-plugin.md, hooks.md, event-notifications.md,
 * json-rpc-passthrough.md). It answers lightningd itself and relays to the daemon:
 *  - `getmanifest` → static manifest (no file or socket access);
 *  - `init` → reads options/configuration, starts the daemon IPC client, answers `{}`
 *    (or `{disable}` when the socket option is unusable);
 *  - `custommsg` / `peer_connected` hooks → `{"result":"continue"}` written before anything else
 *    happens, then Hive traffic is forwarded to the daemon asynchronously; foreign messages are
 *    not forwarded (pass-through, spec 001 §1.1). Once the daemon pushed the members and the inbound
 *    budgets, a custom message over its sender's budget is dropped here, before the socket, and the
 *    drops are reported to the daemon every second (`inbound_drops`);
 *  - `openchannel` / `openchannel2` hooks → answered at once from memory: `reject` for a peer on
 *    the fleet's global ignore list (spec 000 §3.3; pushed by the daemon after each hello and on
 *    every change), else `continue`. The hook never waits for the daemon: with no daemon ever
 *    reached the list is empty and every open continues; after a daemon restart the last list
 *    stays in force until the next push (a ban is never lifted by a daemon outage);
 *  - `connect` / `disconnect` notifications → forwarded; the peers connected are replayed as `connect`
 *    to a daemon that (re)connects, so a restarted daemon syncs with them at once; `shutdown` → exit;
 *  - `hive-*` commands → daemon, answer or a clear JSON-RPC error when the daemon is away.
 * Logs go to lightningd through the `log` notification (stderr before init), never as stdout text.
 */
import { IpcClient, type IpcOutcome } from '../daemon-ipc/client.ts';
import { IPC_LIMITS } from '../daemon-ipc/limits.ts';
import type { IpcEvent } from '../daemon-ipc/protocol.ts';
import { InboundGate, type InboundDropReason } from '../daemon-ipc/inbound-budget.ts';
import { PLUGIN_RPC_ERROR } from './errors.ts';
import { classifyPayload } from './hive-traffic.ts';
import { buildManifest, DEFAULT_DAEMON_SOCKET, DEFAULT_RPC_TIMEOUT_S } from './manifest.ts';
import { HIVE_RPC_METHODS, nameParams } from './rpc-methods.ts';

/** Longest unix socket path Linux accepts (sun_path is 108 bytes incl. NUL). */
const MAX_UNIX_PATH_BYTES = 107;
const NODE_ID_RE = /^0[23][0-9a-fA-F]{64}$/;

/** The process-facing side: stdout text and exit. */
export interface PluginIo {
  /** Write protocol text to lightningd (stdout). */
  write(text: string): void;
  /** Diagnostic text before init (stderr). */
  stderr(text: string): void;
  /** End the process. */
  exit(code: number): void;
}

/** The daemon connection the plugin needs (an `IpcClient` in production). */
export interface DaemonLink {
  readonly connected: boolean;
  start(): void;
  stop(): void;
  sendEvent(event: IpcEvent): boolean;
  request(method: string, params: Record<string, unknown>, timeoutMs: number): Promise<IpcOutcome>;
}

/** How the plugin builds its daemon link after init. */
export type DaemonLinkFactory = (opts: ConstructorParameters<typeof IpcClient>[0]) => DaemonLink;

type JsonRpcId = string | number;
interface Incoming {
  readonly id?: JsonRpcId;
  readonly method?: unknown;
  readonly params?: unknown;
}

const METHODS = new Map(HIVE_RPC_METHODS.map((m) => [m.name, m]));

/** How often the plugin reports its budget drops to the daemon, ms. */
const DROP_REPORT_INTERVAL_MS = 1_000;

/** `error_message` sent to a refused peer (lightningd passes it on in its `error`); names no reason. */
export const OPENCHANNEL_REFUSAL = 'Channel refused by this node';

/** Plugin state machine over the lightningd JSON-RPC stream. Feed each frame to `onFrame`. */
export class HiveboxPlugin {
  private link: DaemonLink | null = null;
  private initialised = false;
  private rpcTimeoutMs = DEFAULT_RPC_TIMEOUT_S * 1000;
  private ignored: ReadonlySet<string> = new Set();
  /** Inbound budgets from the daemon's `members` push; null until the first one (then everything is forwarded). */
  private gate: InboundGate | null = null;
  private budget = '';
  private members: ReadonlySet<string> = new Set();
  private readonly drops = new Map<string, { peer_id: string; member: boolean; reason: InboundDropReason; count: number }>();
  private dropTimer: ReturnType<typeof setInterval> | null = null;
  /** Peers lightningd reported connected (connect / peer_connected, until disconnect), replayed to a daemon that (re)connects. */
  private readonly connectedPeers = new Map<string, 'in' | 'out'>();

  constructor(
    private readonly io: PluginIo,
    private readonly version: string,
    private readonly makeLink: DaemonLinkFactory = (o) => new IpcClient(o),
  ) {}

  /** Handle one JSON object from lightningd (raw text). */
  onFrame(text: string): void {
    let msg: Incoming;
    try {
      msg = JSON.parse(text) as Incoming;
    } catch {
      this.log('warn', 'ignoring a frame from lightningd that is not JSON');
      return;
    }
    if (typeof msg !== 'object' || msg === null || typeof msg.method !== 'string') return;
    const hasId = msg.id !== undefined && msg.id !== null;
    switch (msg.method) {
      case 'getmanifest':
        if (hasId) this.reply(msg.id!, buildManifest());
        return;
      case 'init':
        if (hasId) this.reply(msg.id!, this.init(msg.params));
        return;
      case 'custommsg':
        if (hasId) this.reply(msg.id!, { result: 'continue' });
        this.onCustomMsg(msg.params);
        return;
      case 'peer_connected':
        if (hasId) this.reply(msg.id!, { result: 'continue' });
        this.onPeerConnected(msg.params);
        return;
      case 'openchannel':
      case 'openchannel2':
        if (hasId) this.reply(msg.id!, this.onOpenChannel(msg.method, msg.params));
        return;
      case 'connect':
      case 'disconnect':
        this.onConnectionNotification(msg.method, msg.params);
        return;
      case 'shutdown':
        this.reportDrops();
        if (this.dropTimer) clearInterval(this.dropTimer);
        this.link?.stop();
        this.io.exit(0);
        return;
      default: {
        if (!hasId) return;
        const m = METHODS.get(msg.method);
        if (!m) {
          this.replyError(msg.id!, PLUGIN_RPC_ERROR.methodNotFound, `Unknown command '${msg.method}'`);
          return;
        }
        const named = nameParams(m, msg.params);
        if (!named.ok) {
          this.replyError(msg.id!, PLUGIN_RPC_ERROR.invalidParams, named.error.message);
          return;
        }
        void this.passthrough(msg.id!, m.name, named.value);
      }
    }
  }

  /** stdin closed: lightningd is gone, so the plugin ends too. */
  onEnd(): void {
    this.link?.stop();
    this.io.exit(0);
  }

  private init(params: unknown): Record<string, unknown> {
    const p = (params ?? {}) as { options?: Record<string, unknown>; configuration?: Record<string, unknown> };
    const opts = p.options ?? {};
    const conf = p.configuration ?? {};
    const socket = typeof opts['hivebox-socket'] === 'string' && opts['hivebox-socket'] !== '' ? opts['hivebox-socket'] : DEFAULT_DAEMON_SOCKET;
    const timeoutS = opts['hivebox-rpc-timeout'];
    if (new TextEncoder().encode(socket).length > MAX_UNIX_PATH_BYTES) return { disable: `hivebox-socket path is longer than ${MAX_UNIX_PATH_BYTES} bytes: ${socket}` };
    if (timeoutS !== undefined && (typeof timeoutS !== 'number' || !Number.isInteger(timeoutS) || timeoutS <= 0)) return { disable: `hivebox-rpc-timeout must be a positive integer, got ${JSON.stringify(timeoutS)}` };
    if (typeof timeoutS === 'number') this.rpcTimeoutMs = timeoutS * 1000;
    this.initialised = true;
    this.link?.stop();
    this.link = this.makeLink({
      path: socket,
      hello: {
        plugin_version: this.version,
        lightning: { lightning_dir: String(conf['lightning-dir'] ?? ''), rpc_file: String(conf['rpc-file'] ?? ''), network: String(conf['network'] ?? '') },
      },
      log: (level, message) => this.log(level, message),
      onReady: () => {
        for (const [peer_id, direction] of this.connectedPeers) this.link?.sendEvent({ op: 'connect', peer_id, direction });
      },
      onPush: (push) => {
        if (push.op === 'ignore_list') {
          this.ignored = new Set(push.node_ids);
          this.log('info', `fleet ignore list: ${push.node_ids.length} peer(s)`);
          return;
        }
        this.members = new Set(push.node_ids);
        const budget = JSON.stringify(push.budget);
        if (budget !== this.budget) this.gate = new InboundGate(push.budget, (peerId) => this.members.has(peerId), Date.now);
        this.budget = budget;
      },
    });
    this.link.start();
    this.dropTimer ??= setInterval(() => this.reportDrops(), DROP_REPORT_INTERVAL_MS);
    this.dropTimer.unref?.();
    return {};
  }

  private onCustomMsg(params: unknown): void {
    const p = (params ?? {}) as { peer_id?: unknown; payload?: unknown };
    if (typeof p.peer_id !== 'string' || !NODE_ID_RE.test(p.peer_id) || typeof p.payload !== 'string') return;
    if (classifyPayload(p.payload, IPC_LIMITS.max_payload_hex) === 'foreign') return;
    const peerId = p.peer_id.toLowerCase();
    const reason = this.gate?.admit(peerId, p.payload.length / 2, 0) ?? null;
    if (reason !== null) {
      const key = `${peerId}/${reason}`;
      const d = this.drops.get(key);
      if (d) d.count++;
      else if (this.drops.size < IPC_LIMITS.max_drop_reports) this.drops.set(key, { peer_id: peerId, member: this.members.has(peerId), reason, count: 1 });
      return;
    }
    this.link?.sendEvent({ op: 'custommsg', peer_id: peerId, payload: p.payload.toLowerCase() });
  }

  /** Send the budget drops since the last report to the daemon (which counts them in `hive-status`); runs every second and on shutdown. */
  reportDrops(): void {
    if (this.drops.size === 0 || !this.link?.connected) return;
    if (this.link.sendEvent({ op: 'inbound_drops', drops: [...this.drops.values()] })) this.drops.clear();
  }

  private onPeerConnected(params: unknown): void {
    const peer = ((params ?? {}) as { peer?: { id?: unknown; direction?: unknown; features?: unknown } }).peer;
    if (!peer || typeof peer.id !== 'string' || !NODE_ID_RE.test(peer.id)) return;
    const features = typeof peer.features === 'string' && /^[0-9a-fA-F]{0,1024}$/.test(peer.features) ? peer.features.toLowerCase() : '';
    const direction = peer.direction === 'out' ? 'out' : 'in';
    this.connectedPeers.set(peer.id.toLowerCase(), direction);
    this.link?.sendEvent({ op: 'peer_connected', peer_id: peer.id.toLowerCase(), direction, features });
  }

  /** The hook answer for `openchannel` / `openchannel2` (CLN v26.06 hooks.md): `{id, …}` under the hook's name. */
  private onOpenChannel(hook: 'openchannel' | 'openchannel2', params: unknown): Record<string, unknown> {
    const body = ((params ?? {}) as Record<string, { id?: unknown } | undefined>)[hook];
    const id = typeof body?.id === 'string' ? body.id.toLowerCase() : null;
    if (id === null || !this.ignored.has(id)) return { result: 'continue' };
    this.log('info', `refused ${hook} from ${id}: on the fleet ignore list`);
    return { result: 'reject', error_message: OPENCHANNEL_REFUSAL };
  }

  private onConnectionNotification(topic: 'connect' | 'disconnect', params: unknown): void {
    const p = (params ?? {}) as Record<string, unknown>;
    const body = (typeof p[topic] === 'object' && p[topic] !== null ? p[topic] : p) as { id?: unknown; direction?: unknown };
    if (typeof body.id !== 'string' || !NODE_ID_RE.test(body.id)) return;
    const peerId = body.id.toLowerCase();
    if (topic === 'connect') {
      const direction = body.direction === 'out' ? 'out' : 'in';
      this.connectedPeers.set(peerId, direction);
      this.link?.sendEvent({ op: 'connect', peer_id: peerId, direction });
    } else {
      this.connectedPeers.delete(peerId);
      this.link?.sendEvent({ op: 'disconnect', peer_id: peerId });
    }
  }

  private async passthrough(id: JsonRpcId, method: string, params: Record<string, unknown>): Promise<void> {
    if (!this.link) {
      this.replyError(id, PLUGIN_RPC_ERROR.daemonUnavailable, 'hivebox plugin is not initialised yet');
      return;
    }
    const out = await this.link.request(method, params, this.rpcTimeoutMs);
    if ('result' in out) this.reply(id, out.result);
    else if ('error' in out) this.write({ jsonrpc: '2.0', id, error: out.error });
    else if (out.failure.kind === 'unavailable') this.replyError(id, PLUGIN_RPC_ERROR.daemonUnavailable, out.failure.reason);
    else if (out.failure.kind === 'timeout') this.replyError(id, PLUGIN_RPC_ERROR.daemonTimeout, `hivebox daemon did not answer ${method} within ${out.failure.after_ms / 1000} s`);
    else this.replyError(id, PLUGIN_RPC_ERROR.daemonLost, `connection to the hivebox daemon was lost during ${method}`);
  }

  private reply(id: JsonRpcId, result: unknown): void {
    this.write({ jsonrpc: '2.0', id, result });
  }

  private replyError(id: JsonRpcId, code: number, message: string): void {
    this.write({ jsonrpc: '2.0', id, error: { code, message } });
  }

  private log(level: 'debug' | 'info' | 'warn', message: string): void {
    if (this.initialised) this.write({ jsonrpc: '2.0', method: 'log', params: { level, message } });
    else this.io.stderr(`hivebox-plugin ${level}: ${message}\n`);
  }

  private write(obj: unknown): void {
    this.io.write(`${JSON.stringify(obj)}\n\n`);
  }
}
