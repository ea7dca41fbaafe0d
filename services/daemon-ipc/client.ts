/**
 * Plugin side of the IPC: a unix socket client that keeps itself connected to the daemon
 * (README.md in this folder). It never blocks its caller: events are written or dropped at once,
 * requests resolve with the daemon's answer or a typed transport failure. While the daemon is
 * down it retries with capped exponential back-off and says hello again on every reconnect.
 */
import { createConnection, type Socket } from 'node:net';
import { LineReader } from './line-reader.ts';
import { IPC_LIMITS, IPC_PROTOCOL_VERSION } from './limits.ts';
import { decodeDaemonLine, encodeLine, type DaemonPush, type IpcErrorObject } from './daemon-lines.ts';
import type { IpcEvent, IpcRequest } from './protocol.ts';

/** Start of the plugin's log line once the daemon has answered its hello (events reach the daemon from then on). */
export const PLUGIN_LINKED_LOG = 'connected to hivebox daemon';

/** Why a request got no answer from the daemon. */
export type IpcFailure =
  | { readonly kind: 'unavailable'; readonly reason: string }
  | { readonly kind: 'timeout'; readonly after_ms: number }
  | { readonly kind: 'lost' };

/** Outcome of `request`: the daemon's result or error object, or a transport failure. */
export type IpcOutcome = { readonly result: unknown } | { readonly error: IpcErrorObject } | { readonly failure: IpcFailure };

/** Construction options of `IpcClient`. */
export interface IpcClientOptions {
  /** Path of the daemon's IPC socket. */
  readonly path: string;
  /** The hello body (lightningd configuration), sent on each connect. */
  readonly hello: Omit<Extract<IpcRequest, { op: 'hello' }>, 'id' | 'op' | 'protocol'>;
  /** Log sink (the plugin routes it to lightningd's log; never stdout). */
  readonly log: (level: 'debug' | 'info' | 'warn', message: string) => void;
  /** How long a request waits for a connection attempt when the daemon is not connected, ms (default 1000); a refused attempt answers at once. */
  readonly connectWaitMs?: number;
  /** How long the daemon gets to answer hello on a new connection before it is dropped and retried, ms (default 5000). */
  readonly helloTimeoutMs?: number;
  /** A line the daemon pushed unasked (the ignore list). */
  readonly onPush?: (push: DaemonPush) => void;
  /** The daemon answered hello on a new connection (events sent from here on reach it). */
  readonly onReady?: () => void;
}

interface Waiter {
  readonly resolve: (o: IpcOutcome) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/** Self-reconnecting connection to the daemon. Call `start()` once; `stop()` ends it for good. */
export class IpcClient {
  private socket: Socket | null = null;
  private ready = false;
  private stopped = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private backoffMs: number = IPC_LIMITS.reconnect_min_ms;
  private nextId = 1;
  private readonly waiters = new Map<number, Waiter>();
  private readyListeners: ((ready: boolean) => void)[] = [];
  private droppedEvents = 0;
  /** Events dropped while the daemon was connected but not reading fast enough (its socket backlog full). */
  private backlogDrops = 0;

  constructor(private readonly opts: IpcClientOptions) {}

  /** True once the daemon has answered hello on the current connection. */
  get connected(): boolean {
    return this.ready;
  }

  /** Begin connecting (and reconnecting) to the daemon. */
  start(): void {
    this.attempt();
  }

  /** Close the connection and stop reconnecting; pending requests resolve with `lost`. */
  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.destroy();
    this.failWaiters();
  }

  /**
   * Forward an event without waiting. Dropped (returns false) when the daemon is not connected
   * or too much is already queued towards it: the plugin must never block lightningd.
   */
  sendEvent(event: IpcEvent): boolean {
    const s = this.socket;
    if (!this.ready || !s) {
      if (this.droppedEvents++ === 0) this.opts.log('warn', `hivebox daemon not reachable; dropping ${event.op} events until it is back`);
      return false;
    }
    if (s.writableLength > IPC_LIMITS.max_queued_bytes) {
      if (this.backlogDrops++ === 0) this.opts.log('warn', `hivebox daemon is connected but behind (${s.writableLength} bytes unread); dropping events until it catches up`);
      return false;
    }
    if (this.backlogDrops > 0) {
      this.opts.log('info', `hivebox daemon caught up; ${this.backlogDrops} events were dropped while it was behind`);
      this.backlogDrops = 0;
    }
    s.write(encodeLine(event));
    return true;
  }

  /**
   * Pass a `hive-*` command to the daemon.
   * @param timeoutMs how long to wait for the answer (the daemon may wait for a signer button).
   */
  async request(method: string, params: Record<string, unknown>, timeoutMs: number): Promise<IpcOutcome> {
    if (!this.ready && !(await this.waitReady(this.opts.connectWaitMs ?? 1000))) {
      return { failure: { kind: 'unavailable', reason: `hivebox daemon is not running (no answer on ${this.opts.path})` } };
    }
    return this.send({ op: 'rpc', method, params }, timeoutMs);
  }

  private send(body: { op: 'rpc'; method: string; params: Record<string, unknown> } | Omit<Extract<IpcRequest, { op: 'hello' }>, 'id'>, timeoutMs: number): Promise<IpcOutcome> {
    const s = this.socket;
    if (!s) return Promise.resolve({ failure: { kind: 'lost' } });
    const id = this.nextId++;
    return new Promise<IpcOutcome>((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        resolve({ failure: { kind: 'timeout', after_ms: timeoutMs } });
      }, timeoutMs);
      this.waiters.set(id, { resolve, timer });
      s.write(encodeLine({ id, ...body } as IpcRequest));
    });
  }

  private waitReady(ms: number): Promise<boolean> {
    if (this.ready) return Promise.resolve(true);
    if (this.stopped) return Promise.resolve(false);
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.attempt();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.readyListeners = this.readyListeners.filter((l) => l !== onOutcome);
        resolve(false);
      }, ms);
      const onOutcome = (ready: boolean) => {
        clearTimeout(timer);
        resolve(ready);
      };
      this.readyListeners.push(onOutcome);
    });
  }

  private attempt(): void {
    if (this.stopped || this.socket) return;
    const socket = createConnection(this.opts.path);
    this.socket = socket;
    socket.setEncoding('utf8');
    const reader = new LineReader(IPC_LIMITS.max_line_chars);
    socket.once('connect', () => void this.greet(socket));
    socket.on('data', (chunk: string) => {
      const { lines, oversize } = reader.push(chunk);
      for (const line of lines) this.onLine(line);
      if (oversize) {
        this.opts.log('warn', 'daemon sent an oversize line; reconnecting');
        socket.destroy();
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => this.onClose(socket));
  }

  private async greet(socket: Socket): Promise<void> {
    const r = await this.send({ op: 'hello', protocol: IPC_PROTOCOL_VERSION, ...this.opts.hello }, this.opts.helloTimeoutMs ?? 5_000);
    if (this.socket !== socket) return;
    if (!('result' in r)) {
      this.opts.log('warn', `hivebox daemon refused hello: ${'error' in r ? r.error.message : r.failure.kind}`);
      socket.destroy();
      return;
    }
    this.ready = true;
    this.backoffMs = IPC_LIMITS.reconnect_min_ms;
    const dropped = this.droppedEvents > 0 ? `; ${this.droppedEvents} events were dropped while it was away` : '';
    this.opts.log('info', `${PLUGIN_LINKED_LOG} at ${this.opts.path}${dropped}`);
    this.droppedEvents = 0;
    this.settleWaiters(true);
    this.opts.onReady?.();
  }

  /** Tell requests waiting for a connection how the current attempt ended. */
  private settleWaiters(ready: boolean): void {
    const listeners = this.readyListeners;
    this.readyListeners = [];
    for (const l of listeners) l(ready);
  }

  private onLine(line: string): void {
    const d = decodeDaemonLine(line);
    if (!d.ok) {
      this.opts.log('warn', `ignoring bad line from daemon: ${d.reason}`);
      return;
    }
    if (d.value.kind === 'push') {
      this.opts.onPush?.(d.value.push);
      return;
    }
    const res = d.value.response;
    const w = this.waiters.get(res.id);
    if (!w) return;
    this.waiters.delete(res.id);
    clearTimeout(w.timer);
    w.resolve('error' in res ? { error: res.error } : { result: res.result });
  }

  private onClose(socket: Socket): void {
    if (this.socket !== socket) return;
    const wasReady = this.ready;
    this.socket = null;
    this.ready = false;
    this.failWaiters();
    if (!wasReady) this.settleWaiters(false);
    if (wasReady) this.opts.log('warn', 'lost connection to hivebox daemon; reconnecting');
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.attempt();
    }, this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, IPC_LIMITS.reconnect_max_ms);
  }

  private failWaiters(): void {
    for (const [id, w] of this.waiters) {
      clearTimeout(w.timer);
      w.resolve({ failure: { kind: 'lost' } });
      this.waiters.delete(id);
    }
  }
}
