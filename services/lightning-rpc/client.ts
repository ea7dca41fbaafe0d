/**
 * JSON-RPC 2.0 client for lightningd's `lightning-rpc` unix socket (CLN v26.06; the protocol of
 * pyln-client `UnixDomainSocketRpc`, doc/lightningd-rpc.7.md). One persistent connection carries
 * concurrent calls matched by `id` (lightningd may answer out of order); responses are framed with
 * `JsonFrameReader`. A closed connection (lightningd restart) fails the calls in flight with
 * `CLIENT_ERROR.UNAVAILABLE` and the next call reconnects. Nothing throws: every outcome is a
 * `NodeResult`.
 */
import { createConnection, type Socket } from 'node:net';
import type { NodeResult } from '../../runtime/core/ports.ts';
import { CLIENT_ERROR, rpcError } from './errors.ts';
import { describeFrameError, JsonFrameReader } from './json-frames.ts';
import { LIGHTNING_RPC_LIMITS } from './limits.ts';

/** Construction options of `LightningRpcClient`. */
export interface LightningRpcClientOptions {
  /** Path of lightningd's `lightning-rpc` socket (lightning-dir/rpc-file). */
  readonly socketPath: string;
  /** Default per-call timeout in ms (default 30 000). */
  readonly callTimeoutMs?: number;
  /** Largest response accepted, in characters (default 160 Mi). */
  readonly maxResponseChars?: number;
  /** Prefix of request ids, shown in lightningd's logs (default "hivebox"). */
  readonly idPrefix?: string;
}

interface Pending {
  readonly method: string;
  readonly resolve: (r: NodeResult<unknown>) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/** Per-call options. */
export interface CallOptions {
  /** Overrides the client's default timeout, in ms. */
  readonly timeoutMs?: number;
}

/** A lightningd JSON-RPC connection. See the file header for framing, ordering and reconnect behaviour. */
export class LightningRpcClient {
  private socket: Socket | null = null;
  private connecting: Promise<Socket | null> | null = null;
  private readonly pending = new Map<string, Pending>();
  private nextId = 0;
  private closed = false;

  constructor(private readonly opts: LightningRpcClientOptions) {}

  /**
   * Call `method` with named (object) or positional (array) params.
   * @returns the `result` member, or a `NodeRpcError`: lightningd's own `{code, message}`, or a
   *   `CLIENT_ERROR` code for transport failures (unavailable, timeout, bad response).
   */
  call<T = unknown>(method: string, params: Record<string, unknown> | readonly unknown[] = {}, options: CallOptions = {}): Promise<NodeResult<T>> {
    return this.callWithParamsText<T>(method, JSON.stringify(params), options);
  }

  /**
   * Call `method` with `paramsJson` written verbatim into the request as the `params` member.
   * Used where lightningd reads a raw token (signmessage's `message`); the caller guarantees that
   * `paramsJson` is one valid JSON object or array.
   */
  async callWithParamsText<T = unknown>(method: string, paramsJson: string, options: CallOptions = {}): Promise<NodeResult<T>> {
    if (this.closed) return { ok: false, error: rpcError(method, CLIENT_ERROR.UNAVAILABLE, 'client closed') };
    const socket = await this.connect();
    if (!socket) return { ok: false, error: rpcError(method, CLIENT_ERROR.UNAVAILABLE, `cannot connect to lightningd at ${this.opts.socketPath}`) };
    const id = `${this.opts.idPrefix ?? 'hivebox'}:${method}#${this.nextId++}`;
    const timeoutMs = options.timeoutMs ?? this.opts.callTimeoutMs ?? LIGHTNING_RPC_LIMITS.call_timeout_ms;
    return new Promise<NodeResult<T>>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, error: rpcError(method, CLIENT_ERROR.TIMEOUT, `no answer from lightningd within ${timeoutMs} ms`) });
      }, timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (r: NodeResult<unknown>) => void, timer });
      socket.write(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"method":${JSON.stringify(method)},"params":${paramsJson}}`);
    });
  }

  /** Close the connection; calls in flight fail with UNAVAILABLE and later calls fail at once. */
  close(): void {
    this.closed = true;
    this.socket?.destroy();
    this.failAll('client closed');
  }

  private connect(): Promise<Socket | null> {
    if (this.socket) return Promise.resolve(this.socket);
    if (this.connecting) return this.connecting;
    this.connecting = new Promise<Socket | null>((resolve) => {
      const socket = createConnection(this.opts.socketPath);
      socket.setEncoding('utf8');
      const reader = new JsonFrameReader(this.opts.maxResponseChars ?? LIGHTNING_RPC_LIMITS.max_response_chars);
      let up = false;
      socket.once('connect', () => {
        up = true;
        this.socket = socket;
        this.connecting = null;
        resolve(socket);
      });
      socket.on('data', (chunk: string) => {
        const { frames, error } = reader.push(chunk);
        for (const f of frames) this.onFrame(f);
        if (error) this.drop(socket, `bad response framing: ${describeFrameError(error)}`, CLIENT_ERROR.BAD_RESPONSE);
      });
      socket.on('error', () => {});
      socket.on('close', () => {
        if (!up) {
          this.connecting = null;
          resolve(null);
          return;
        }
        this.drop(socket, 'connection to lightningd lost', CLIENT_ERROR.UNAVAILABLE);
      });
    });
    return this.connecting;
  }

  private onFrame(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      if (this.socket) this.drop(this.socket, 'response is not valid JSON', CLIENT_ERROR.BAD_RESPONSE);
      return;
    }
    if (typeof msg !== 'object' || msg === null || !('id' in msg)) return;
    const m = msg as { id: unknown; result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } };
    const key = typeof m.id === 'string' ? m.id : JSON.stringify(m.id);
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    clearTimeout(p.timer);
    if (m.error !== undefined) {
      const code = typeof m.error?.code === 'number' ? m.error.code : CLIENT_ERROR.BAD_RESPONSE;
      const message = typeof m.error?.message === 'string' ? m.error.message : JSON.stringify(m.error);
      p.resolve({ ok: false, error: { ...rpcError(p.method, code, message), ...(m.error?.data === undefined ? {} : { data: m.error.data }) } });
    } else if ('result' in m) {
      p.resolve({ ok: true, value: m.result });
    } else {
      p.resolve({ ok: false, error: rpcError(p.method, CLIENT_ERROR.BAD_RESPONSE, 'response has neither result nor error') });
    }
  }

  private drop(socket: Socket, reason: string, code: number): void {
    if (this.socket === socket) this.socket = null;
    socket.destroy();
    this.failAll(reason, code);
  }

  private failAll(reason: string, code: number = CLIENT_ERROR.UNAVAILABLE): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ ok: false, error: rpcError(p.method, code, reason) });
      this.pending.delete(id);
    }
  }
}
