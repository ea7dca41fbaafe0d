/**
 * The Hivebox side of a rig node, run exactly as an operator runs it: `hivebox signer sim` (the
 * reference simulator of the USB fleet signer on a unix socket, button "approve") and
 * `hivebox run --config hivebox.toml` (the daemon with its supervisor, store on disk and the
 * plugin's IPC socket), plus the operator CLI (`hivebox invite|join|status …`) as processes.
 */
import { Database } from 'bun:sqlite';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HIVEBOX_PLUGIN_EXECUTABLE } from '../../../services/cln-plugin/executable.ts';
import { runCommand, startProcess, type RigProcess } from './procs.ts';
import { WaitAborted, eventually } from './wait.ts';

/** `runtime/cli/main.ts` of this checkout. */
export const HIVEBOX_MAIN = resolve(import.meta.dir, '../../../runtime/cli/main.ts');

/** One parsed line of the daemon's JSON log. */
export interface DaemonLogLine {
  readonly ts_ms: number;
  readonly level: string;
  readonly event: string;
  readonly [field: string]: unknown;
}

/** Extra `hivebox.toml` sections/keys, e.g. `{ hive: { accept_clhive_channel_join: true } }`. */
export type TomlOverrides = Readonly<Record<string, Readonly<Record<string, string | number | boolean>>>>;

function tomlValue(v: string | number | boolean): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** The daemon and signer of one node. */
export class HiveboxNode {
  signer: RigProcess | null = null;
  daemon: RigProcess | null = null;
  readonly configPath: string;
  readonly socket: string;
  readonly storePath: string;
  readonly signerSocket: string;

  constructor(
    readonly name: string,
    readonly dir: string,
    readonly rpcPath: string,
    private readonly overrides: TomlOverrides = {},
  ) {
    mkdirSync(dir, { recursive: true });
    this.configPath = join(dir, 'hivebox.toml');
    this.socket = join(dir, 'hivebox.sock');
    this.storePath = join(dir, 'hive.db');
    this.signerSocket = join(dir, 'signer', 'signer.sock');
    this.writeConfig();
  }

  private writeConfig(): void {
    const sections: Record<string, Record<string, string | number | boolean>> = {
      lightning: { rpc_file: this.rpcPath },
      daemon: { ipc_socket: this.socket, ipc_socket_mode: 0o600, tick_ms: 500, hive_role_file: join(this.dir, 'hive-role.json') },
      log: { level: 'debug' },
      hive: { store_path: this.storePath, status_interval_s: 10 },
      signer: { transport: 'unix-socket', path: this.signerSocket },
      supervisor: { interval_ms: 1_000, plugin_path: HIVEBOX_PLUGIN_EXECUTABLE, mosquitto_unit: '' },
      planner: { first_cycle_delay_s: 20, jitter_max_s: 0, planner_interval_s: 300 },
    };
    for (const [section, keys] of Object.entries(this.overrides)) sections[section] = { ...sections[section], ...keys };
    const text = Object.entries(sections)
      .map(([section, keys]) => `[${section}]\n${Object.entries(keys).map(([k, v]) => `${k} = ${tomlValue(v)}`).join('\n')}`)
      .join('\n\n');
    writeFileSync(this.configPath, `${text}\n`);
  }

  get logPath(): string {
    return join(this.dir, 'daemon.log');
  }

  /** Start the signer simulator (once) and the daemon. Returns when the daemon's IPC socket answers. */
  async start(): Promise<void> {
    if (!this.signer?.alive()) {
      this.signer = startProcess(`signer-${this.name}`, [process.execPath, HIVEBOX_MAIN, 'signer', 'sim', '--state', join(this.dir, 'signer'), '--button', 'approve'], {
        logPath: join(this.dir, 'signer.log'),
      });
    }
    const readyBefore = this.events('ready').length;
    this.daemon = startProcess(`hivebox-${this.name}`, [process.execPath, HIVEBOX_MAIN, 'run', '--config', this.configPath], { logPath: this.logPath });
    const daemon = this.daemon;
    // `ready` is logged once store, lightningd and signer were probed (runtime/daemon/appliance.ts, READY=1).
    await eventually(
      `hivebox run ${this.name} ready`,
      () => {
        if (!daemon.alive()) throw new WaitAborted(`hivebox run ${this.name} exited: ${daemon.log().split('\n').slice(-10).join('\n')}`);
        return this.events('ready').length > readyBefore;
      },
      300_000,
      500,
    );
  }

  /** SIGTERM the daemon (graceful stop) and wait for it. */
  async stopDaemon(): Promise<void> {
    await this.daemon?.stop(20_000);
  }

  async stop(): Promise<void> {
    await this.stopDaemon();
    await this.signer?.stop(5_000);
  }

  /**
   * Run `hivebox ARGS --socket <this daemon>`.
   * @returns exit code, stdout, stderr.
   */
  cli(args: readonly string[], timeout_ms = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
    return runCommand([process.execPath, HIVEBOX_MAIN, ...args, '--socket', this.socket], { timeout_ms });
  }

  /**
   * `hivebox ARGS --json`, parsed. @throws Error with stderr when the command fails.
   */
  async cliJson<T>(args: readonly string[], timeout_ms = 120_000): Promise<T> {
    const r = await this.cli([...args, '--json'], timeout_ms);
    if (r.code !== 0) throw new Error(`hivebox ${args[0]} (${this.name}) exit ${r.code}: ${r.stderr.trim()} ${r.stdout.trim()}`);
    return JSON.parse(r.stdout) as T;
  }

  /** The daemon's log lines (JSON), all runs of it. */
  logs(): DaemonLogLine[] {
    const out: DaemonLogLine[] = [];
    const text = this.daemon?.log() ?? '';
    for (const line of text.split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        out.push(JSON.parse(line) as DaemonLogLine);
      } catch {
        // a line cut by a kill
      }
    }
    return out;
  }

  /** Log lines whose `event` is `event`. */
  events(event: string): DaemonLogLine[] {
    return this.logs().filter((l) => l.event === event);
  }

  /** Rows of `fleet_states` per member id, read from the daemon's SQLite store (read-only). */
  storedStates(): Map<string, number> {
    const db = new Database(this.storePath, { readonly: true });
    try {
      const rows = db.query('SELECT peer_id, version FROM fleet_states').all() as { peer_id: string; version: number }[];
      return new Map(rows.map((r) => [r.peer_id, r.version]));
    } finally {
      db.close();
    }
  }
}
