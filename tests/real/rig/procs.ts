/**
 * Processes of the real-node rig: each started in its own process group (lightningd's
 * subdaemons and plugins, bun's children go with it), output appended to a log file, and killed as
 * a group — by `stop()`, by the rig's teardown, and by a synchronous `exit` hook if the test
 * process ends without teardown — so a failed run leaves nothing behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

/** One started process (a process group leader). */
export class RigProcess {
  private exited: Promise<number | null>;
  private code: number | null | undefined = undefined;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly logPath: string,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.code = code ?? (signal ? -1 : null);
        LIVE.delete(this);
        resolve(this.code);
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** True until the process has exited. */
  alive(): boolean {
    return this.code === undefined;
  }

  /** The exit code (-1 for a signal), once exited. */
  wait(): Promise<number | null> {
    return this.exited;
  }

  /** The log file's text so far. */
  log(): string {
    try {
      return readFileSync(this.logPath, 'utf8');
    } catch {
      return '';
    }
  }

  /** Send `signal` to the whole process group. */
  signal(signal: NodeJS.Signals): void {
    if (this.alive()) killGroup(this.pid, signal);
  }

  /**
   * SIGTERM the group, then SIGKILL it after `grace_ms` if still alive.
   * @returns once the leader has exited.
   */
  async stop(grace_ms = 5_000): Promise<void> {
    if (!this.alive()) return;
    this.signal('SIGTERM');
    const killed = await Promise.race([this.exited.then(() => true), Bun.sleep(grace_ms).then(() => false)]);
    if (!killed) this.signal('SIGKILL');
    await this.exited;
    killGroup(this.pid, 'SIGKILL');
  }
}

const LIVE = new Set<RigProcess>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

process.on('exit', () => {
  for (const p of LIVE) killGroup(p.pid, 'SIGKILL');
});

/**
 * The environment for a rig child: this process's, minus the rig's own `HIVEBOX_REAL_*`
 * variables (`hivebox` reads every `HIVEBOX_<SECTION>_<KEY>` as a config key and refuses
 * `real.python` as unknown), plus `extra`.
 */
export function childEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HIVEBOX_REAL_')) env[k] = v;
  return { ...env, ...extra };
}

/**
 * Start `argv` in a new process group with stdout and stderr appended to `logPath`.
 * @throws Error when the program cannot be spawned.
 */
export function startProcess(name: string, argv: readonly string[], opts: { logPath: string; env?: Record<string, string | undefined>; cwd?: string }): RigProcess {
  const fd = openSync(opts.logPath, 'a');
  try {
    const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', fd, fd], env: opts.env ?? childEnv(), cwd: opts.cwd });
    if (child.pid === undefined) throw new Error(`${name}: cannot start ${argv[0]}`);
    const p = new RigProcess(name, child, opts.logPath);
    LIVE.add(p);
    return p;
  } finally {
    closeSync(fd);
  }
}

/** Every rig process still running (teardown kills them). */
export function liveProcesses(): readonly RigProcess[] {
  return [...LIVE];
}

/** Run a short command to completion. @returns exit code, stdout, stderr. */
export async function runCommand(argv: readonly string[], opts: { env?: Record<string, string | undefined>; cwd?: string; timeout_ms?: number } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = Bun.spawn([...argv], { stdout: 'pipe', stderr: 'pipe', env: opts.env ?? childEnv(), cwd: opts.cwd });
  const timer = setTimeout(() => proc.kill('SIGKILL'), opts.timeout_ms ?? 120_000);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** Resident set size of a process in MiB (/proc/PID/status VmRSS), or null when it is gone. */
export function rssMiB(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

/** Child processes of `ppid` with their command lines (/proc scan). */
export function childrenOf(ppid: number): { pid: number; argv: string[] }[] {
  const out: { pid: number; argv: string[] }[] = [];
  for (const entry of new Bun.Glob('[0-9]*').scanSync({ cwd: '/proc', onlyFiles: false })) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== ppid) continue;
      out.push({ pid: Number(entry), argv: readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean) });
    } catch {
      // exited while we looked
    }
  }
  return out;
}
