/**
 * lightningd's side of the plugin protocol for one plugin process (CLN v26.06,
 * a-day-in-the-life-of-a-plugin.md, hooks.md, json-rpc-passthrough.md). It launches the real
 * executable with lightningd's arguments (`--developer` in developer mode) and environment
 * (LIGHTNINGD_PLUGIN, LIGHTNINGD_VERSION, cwd = lightning-dir), sends `getmanifest` then `init` (60 s each), frames the plugin's stdout as a JSON
 * stream, routes answers by id, turns `log` notifications into node log lines, and kills a plugin
 * that writes non-JSON-RPC to stdout, as lightningd does. It never restarts a dead plugin.
 */
import type { Subprocess } from 'bun';
import { describeFrameError, JsonFrameReader } from '../../../services/lightning-rpc/json-frames.ts';
import { SIMNET_LIMITS, CLN_VERSION } from './limits.ts';

/** The parts of a getmanifest answer lightningd acts on. */
export interface PluginManifest {
  readonly options: readonly { name: string; type: string; default?: unknown; multi?: boolean }[];
  readonly rpcmethods: readonly { name: string; usage?: string; description?: string }[];
  readonly hooks: readonly { name: string; filters?: readonly number[] }[];
  readonly subscriptions: readonly string[];
  readonly custommessages: readonly number[];
  readonly nonnumericids: boolean;
  readonly dynamic: boolean;
}

/** A JSON-RPC answer from the plugin: result or error object. */
export type PluginAnswer = { readonly result: unknown } | { readonly error: { code: number; message: string; data?: unknown } };

/** Why a plugin call got no answer. */
export type PluginCallFailure = { readonly failure: 'terminated' | 'timeout' };

/** Launch parameters. */
export interface PluginHostOptions {
  /** Executable path (`plugin=` in lightningd's config). */
  readonly path: string;
  /** Command-line arguments after the path (lightningd in developer mode passes `--developer`). */
  readonly args?: readonly string[];
  /** Working directory: the node's lightning-dir. */
  readonly cwd: string;
  /** Node log sink. */
  readonly log: (level: 'debug' | 'info' | 'unusual' | 'broken', source: string, message: string) => void;
  /** Called once when the process has exited (crash, kill or clean exit). */
  readonly onExit: (host: PluginHost) => void;
}

interface Waiter {
  readonly resolve: (a: PluginAnswer | PluginCallFailure) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

function parseManifest(raw: unknown): PluginManifest | string {
  if (typeof raw !== 'object' || raw === null) return 'getmanifest result is not an object';
  const m = raw as Record<string, unknown>;
  const arr = (k: string) => (Array.isArray(m[k]) ? (m[k] as unknown[]) : []);
  const rpcmethods = arr('rpcmethods') as PluginManifest['rpcmethods'];
  if (rpcmethods.some((r) => typeof r?.name !== 'string')) return 'rpcmethods entry without a name';
  const hooks = arr('hooks').map((h) => (typeof h === 'string' ? { name: h } : (h as PluginManifest['hooks'][number])));
  if (hooks.some((h) => typeof h?.name !== 'string' || (h.filters !== undefined && !Array.isArray(h.filters)))) return 'bad hooks entry';
  const custommessages = arr('custommessages');
  if (custommessages.some((t) => typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t > 0xffff)) return 'bad custommessages entry';
  return {
    options: arr('options') as PluginManifest['options'],
    rpcmethods,
    hooks,
    subscriptions: arr('subscriptions').filter((s): s is string => typeof s === 'string'),
    custommessages: custommessages as number[],
    nonnumericids: m.nonnumericids === true,
    dynamic: m.dynamic === true,
  };
}

/** One running plugin process, seen from lightningd. */
export class PluginHost {
  /** Plugin name as lightningd shows it: the executable's basename. */
  readonly name: string;
  manifest: PluginManifest | null = null;
  private proc: Subprocess<'pipe', 'pipe', 'pipe'> | null = null;
  private readonly waiters = new Map<string, Waiter>();
  private nextId = 0;
  private dead = false;

  constructor(private readonly opts: PluginHostOptions) {
    this.name = opts.path.split('/').pop()!;
  }

  /** Executable path. */
  get path(): string {
    return this.opts.path;
  }

  /** True while the process runs and has not been declared dead. */
  get alive(): boolean {
    return !this.dead && this.proc !== null;
  }

  /** OS process id (tests kill it to simulate a crash). */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /**
   * Spawn and run the handshake: getmanifest, then init with `options` and `configuration`.
   * @returns null on success, else why the plugin was killed (timeout, bad manifest, disabled).
   */
  async start(options: (manifest: PluginManifest) => Record<string, unknown>, configuration: Record<string, unknown>): Promise<string | null> {
    this.proc = Bun.spawn([this.opts.path, ...(this.opts.args ?? [])], {
      cwd: this.opts.cwd,
      env: { ...process.env, LIGHTNINGD_PLUGIN: '1', LIGHTNINGD_VERSION: CLN_VERSION },
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
    });
    void this.readStdout(this.proc);
    void this.readStderr(this.proc);
    void this.proc.exited.then(() => this.onProcessExit());
    const m = await this.call('getmanifest', { 'allow-deprecated-apis': false }, SIMNET_LIMITS.plugin_handshake_ms);
    if (!('result' in m)) return this.refuse(`getmanifest: ${'error' in m ? m.error.message : m.failure}`);
    const manifest = parseManifest(m.result);
    if (typeof manifest === 'string') return this.refuse(manifest);
    this.manifest = manifest;
    const init = await this.call('init', { options: options(manifest), configuration }, SIMNET_LIMITS.plugin_handshake_ms);
    if (!('result' in init)) return this.refuse(`init: ${'error' in init ? init.error.message : init.failure}`);
    const disable = (init.result as { disable?: unknown } | null)?.disable;
    if (disable !== undefined) return this.refuse(`disabled itself: ${String(disable)}`);
    return null;
  }

  /** Send a request and wait for its answer (hooks, passthrough commands). */
  call(method: string, params: unknown, timeoutMs: number, idPrefix = ''): Promise<PluginAnswer | PluginCallFailure> {
    if (!this.alive) return Promise.resolve({ failure: 'terminated' });
    const n = this.nextId++;
    const id = this.manifest && !this.manifest.nonnumericids && idPrefix === '' ? n : `${idPrefix}cln:${method}#${n}`;
    const key = String(id);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(key);
        resolve({ failure: 'timeout' });
      }, timeoutMs);
      this.waiters.set(key, { resolve, timer });
      this.write({ jsonrpc: '2.0', id, method, params });
    });
  }

  /** Send a notification (no answer). */
  notify(method: string, params: unknown): void {
    if (this.alive) this.write({ jsonrpc: '2.0', method, params });
  }

  /** Kill the process (SIGKILL simulates a crash; SIGTERM a stop). */
  kill(signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): void {
    this.proc?.kill(signal);
  }

  /** Resolves when the process has exited. */
  async exited(): Promise<void> {
    await this.proc?.exited;
    this.onProcessExit();
  }

  private refuse(reason: string): string {
    this.opts.log('unusual', `plugin-${this.name}`, `Killing plugin: ${reason}`);
    this.kill('SIGKILL');
    return reason;
  }

  private write(obj: unknown): void {
    try {
      this.proc?.stdin.write(`${JSON.stringify(obj)}\n\n`);
      void this.proc?.stdin.flush();
    } catch {
      this.onProcessExit();
    }
  }

  private async readStdout(proc: Subprocess<'pipe', 'pipe', 'pipe'>): Promise<void> {
    const reader = new JsonFrameReader(SIMNET_LIMITS.max_plugin_frame_chars);
    const decoder = new TextDecoder();
    for await (const chunk of proc.stdout) {
      const { frames, error } = reader.push(decoder.decode(chunk, { stream: true }));
      for (const f of frames) this.onFrame(f);
      if (error) {
        this.refuse(`plugin output is not JSON-RPC (${describeFrameError(error)})`);
        return;
      }
    }
  }

  private async readStderr(proc: Subprocess<'pipe', 'pipe', 'pipe'>): Promise<void> {
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of proc.stderr) {
      buf += decoder.decode(chunk, { stream: true });
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) if (l.length > 0) this.opts.log('debug', `plugin-${this.name}`, l);
    }
  }

  private onFrame(text: string): void {
    let msg: { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown; result?: unknown; error?: unknown };
    try {
      msg = JSON.parse(text);
    } catch {
      this.refuse('JSON-RPC message is not valid JSON');
      return;
    }
    if (msg.jsonrpc !== '2.0') {
      this.refuse('JSON-RPC message does not contain "jsonrpc" field');
      return;
    }
    if (typeof msg.method === 'string') {
      if (msg.method === 'log') {
        const p = (msg.params ?? {}) as { level?: unknown; message?: unknown };
        const level = p.level === 'warn' ? 'unusual' : p.level === 'error' ? 'broken' : p.level === 'debug' ? 'debug' : 'info';
        this.opts.log(level, `plugin-${this.name}`, String(p.message ?? ''));
      }
      return;
    }
    const w = this.waiters.get(String(msg.id));
    if (!w) return;
    this.waiters.delete(String(msg.id));
    clearTimeout(w.timer);
    if (msg.error !== undefined) {
      const e = (msg.error ?? {}) as { code?: unknown; message?: unknown; data?: unknown };
      w.resolve({ error: { code: typeof e.code === 'number' ? e.code : -1, message: String(e.message ?? ''), ...(e.data === undefined ? {} : { data: e.data }) } });
    } else w.resolve({ result: msg.result });
  }

  private onProcessExit(): void {
    if (this.dead) return;
    this.dead = true;
    for (const [key, w] of this.waiters) {
      clearTimeout(w.timer);
      w.resolve({ failure: 'terminated' });
      this.waiters.delete(key);
    }
    this.opts.log('info', `plugin-${this.name}`, 'Plugin exited');
    this.opts.onExit(this);
  }
}
