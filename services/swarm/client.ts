/**
 * SwarmClient: the daemon's handle on the hyperswarm sidecar (issue 10 §1). It starts the sidecar
 * (or connects to the systemd-run one), speaks services/swarm/PROTOCOL.md, and restarts it with
 * backoff when it dies or never becomes ready. Topics joined stay joined across restarts. While
 * the sidecar is down every command is refused (returns false) and the status callback says so;
 * the daemon keeps working over Lightning alone.
 *
 * Never imports hyperswarm: that aborts Bun (bun-platform-probe.md §5).
 */
import type { SwarmKey } from '../../runtime/core/swarm/index.ts';
import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts';
import { parseEvent, type SidecarEvent, type SidecarStats } from './sidecar-events.ts';
import { openSidecarLink, type SidecarLink, type SidecarTarget } from './sidecar-link.ts';

/** Sidecar state as the client reports it. `restart_in_ms` is the backoff before the next start. */
export type SwarmClientStatus =
  | { readonly state: 'starting'; readonly attempt: number }
  | { readonly state: 'up'; readonly public_key: SwarmKey }
  | { readonly state: 'down'; readonly reason: string; readonly restart_in_ms: number }
  | { readonly state: 'stopped' };

/** Options. `ready_timeout_ms`: a sidecar that has not said `ready` by then is restarted. */
export interface SwarmClientOptions {
  readonly sidecar: SidecarTarget;
  readonly backoff?: BackoffPolicy;
  readonly ready_timeout_ms?: number;
  /** Every validated event, in order (`ready` included, after the client re-joined its topics). */
  readonly onEvent: (ev: SidecarEvent) => void;
  readonly onStatus: (status: SwarmClientStatus) => void;
  /** Diagnostics: sidecar stderr and refused lines. */
  readonly log?: (line: string) => void;
}

const STATS_TIMEOUT_MS = 5_000;

/** Supervised connection to the sidecar. Call `start()` once, `stop()` at shutdown. */
export class SwarmClient {
  private link: SidecarLink | null = null;
  private ready: SwarmKey | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  private nextId = 1;
  private readonly topics = new Set<string>();
  private readonly pending = new Map<number, (ev: SidecarStats | null) => void>();
  private loop: Promise<void> | null = null;

  constructor(private readonly opts: SwarmClientOptions) {}

  /** Our Noise public key while the sidecar is up, else null. */
  get publicKey(): SwarmKey | null {
    return this.ready;
  }

  /** pid of the spawned sidecar (spawn mode, while running). */
  get pid(): number | undefined {
    return this.link?.pid;
  }

  /** Start supervising. Idempotent. */
  start(): void {
    this.loop ??= this.supervise();
  }

  /** Ask the sidecar to shut down, wait for it (SIGTERM after 5 s), and stop restarting it. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    const link = this.link;
    if (link) {
      link.write(JSON.stringify({ cmd: 'shutdown' }));
      const timer = setTimeout(() => link.close(), 5_000);
      await link.closed;
      clearTimeout(timer);
    }
    await this.loop;
  }

  /** Join `topic` (64 hex) now if up, and again after every restart. */
  join(topic: string): void {
    this.topics.add(topic);
    this.command({ cmd: 'join', topic });
  }

  /** Leave `topic` and stop re-joining it. */
  leave(topic: string): void {
    this.topics.delete(topic);
    this.command({ cmd: 'leave', topic });
  }

  /** Dial a peer by Noise key. @returns false while the sidecar is down. */
  connect(key: SwarmKey): boolean {
    return this.command({ cmd: 'connect', public_key: key });
  }

  /** Send one frame payload (1..65,535 bytes). @returns false while the sidecar is down. */
  send(key: SwarmKey, payload: Uint8Array): boolean {
    return this.command({ cmd: 'send', public_key: key, data: Buffer.from(payload).toString('base64') });
  }

  /** Close the connection to `key`; refuse the key for `block_s` seconds when > 0. */
  drop(key: SwarmKey, reason: string, block_s: number): boolean {
    return this.command({ cmd: 'drop', public_key: key, reason, block_s });
  }

  /** The sidecar's counters, or null when down or no reply within 5 s. */
  stats(): Promise<SidecarStats | null> {
    const id = this.nextId++;
    if (!this.command({ cmd: 'stats', id })) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(id, null), STATS_TIMEOUT_MS);
      this.pending.set(id, (ev) => {
        clearTimeout(timer);
        resolve(ev);
      });
    });
  }

  private settle(id: number, ev: SidecarStats | null): void {
    const waiter = this.pending.get(id);
    this.pending.delete(id);
    waiter?.(ev);
  }

  private command(cmd: Record<string, unknown>): boolean {
    return this.ready !== null && this.link !== null && this.link.write(JSON.stringify(cmd));
  }

  private onLine(line: string): void {
    const ev = parseEvent(line);
    if (!ev) {
      this.opts.log?.(`swarm sidecar: refused line ${line.slice(0, 120)}`);
      return;
    }
    if (ev.event === 'ready') {
      this.ready = ev.public_key;
      for (const topic of this.topics) this.link?.write(JSON.stringify({ cmd: 'join', topic }));
      this.opts.onStatus({ state: 'up', public_key: ev.public_key });
    }
    if (ev.event === 'stats' && ev.id !== undefined) this.settle(ev.id, ev);
    this.opts.onEvent(ev);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** One session: open, wait for `ready` (or give up), run until the link closes. @returns why it ended. */
  private async session(): Promise<string> {
    const link = openSidecarLink(this.opts.sidecar, (l) => this.opts.log?.(`swarm sidecar: ${l}`));
    this.link = link;
    link.onLine((l) => this.onLine(l));
    const readyTimer = setTimeout(() => {
      if (this.ready === null) link.close();
    }, this.opts.ready_timeout_ms ?? 15_000);
    const reason = await link.closed;
    clearTimeout(readyTimer);
    this.link = null;
    this.ready = null;
    for (const id of [...this.pending.keys()]) this.settle(id, null);
    return reason;
  }

  private async supervise(): Promise<void> {
    const policy = this.opts.backoff ?? DEFAULT_BACKOFF;
    let attempt = 0;
    while (!this.stopping) {
      this.opts.onStatus({ state: 'starting', attempt });
      const started = performance.now();
      const reason = await this.session();
      if (this.stopping) break;
      if (performance.now() - started >= policy.stable_ms) attempt = 0;
      const restart_in_ms = backoffDelayMs(policy, attempt++);
      this.opts.onStatus({ state: 'down', reason, restart_in_ms });
      await this.sleep(restart_in_ms);
    }
    this.opts.onStatus({ state: 'stopped' });
  }
}
