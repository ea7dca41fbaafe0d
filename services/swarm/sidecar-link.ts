/**
 * The byte pipe to one sidecar session: a spawned `node` child on stdio (daemon supervision) or
 * a connection to the unix socket of systemd/hivebox-swarm.service. Both give lines in, lines out.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** Absolute path of the sidecar entry point in this checkout. */
export const SIDECAR_MAIN = new URL('./sidecar/main.mjs', import.meta.url).pathname;
/** Where the appliance image installs it (images/build/sidecar.ts); the compiled binary has no checkout. */
export const IMAGE_SIDECAR_MAIN = '/opt/hivebox/services/swarm/sidecar/main.mjs';

/** The sidecar script to spawn when none is configured: the checkout's, else the image's. */
export function defaultSidecarMain(): string {
  return existsSync(SIDECAR_MAIN) ? SIDECAR_MAIN : IMAGE_SIDECAR_MAIN;
}

/**
 * Where the sidecar runs. `node` defaults to `node` on PATH, `script` to {@link defaultSidecarMain};
 * `args` are PROTOCOL.md options.
 */
export type SidecarTarget =
  | { readonly kind: 'spawn'; readonly node?: string; readonly script?: string; readonly args?: readonly string[] }
  | { readonly kind: 'socket'; readonly path: string };

/** One session with the sidecar. */
export interface SidecarLink {
  /** Queue one line (without the newline). @returns false when the link is already closed. */
  write(line: string): boolean;
  /** Called for every line the sidecar writes. */
  onLine(handler: (line: string) => void): void;
  /** Resolves once the session is over, with why. */
  readonly closed: Promise<string>;
  /** End the session: SIGTERM the child / close the socket. */
  close(): void;
  /** Child pid in spawn mode. */
  readonly pid: number | undefined;
}

function linkOver(input: Readable, output: Writable, closed: Promise<string>, close: () => void, pid: number | undefined): SidecarLink {
  let open = true;
  void closed.then(() => (open = false));
  output.on('error', () => (open = false));
  const lines = createInterface({ input, crlfDelay: Infinity });
  lines.on('error', () => {});
  return {
    write(line) {
      if (!open) return false;
      output.write(line + '\n');
      return true;
    },
    onLine(handler) {
      lines.on('line', handler);
    },
    closed,
    close,
    pid,
  };
}

/**
 * Open a session.
 * @param log receives the child's stderr lines.
 */
export function openSidecarLink(target: SidecarTarget, log: (line: string) => void): SidecarLink {
  if (target.kind === 'spawn') {
    const child = spawn(target.node ?? 'node', [target.script ?? defaultSidecarMain(), ...(target.args ?? [])], { stdio: ['pipe', 'pipe', 'pipe'] });
    createInterface({ input: child.stderr }).on('line', log).on('error', () => {});
    const closed = new Promise<string>((resolve) => {
      child.once('error', (e) => resolve(`spawn failed: ${e.message}`));
      child.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exited with code ${code}`));
    });
    return linkOver(child.stdout, child.stdin, closed, () => child.kill('SIGTERM'), child.pid);
  }
  const socket = createConnection(target.path);
  const closed = new Promise<string>((resolve) => {
    socket.once('error', (e) => resolve(`socket: ${e.message}`));
    socket.once('close', () => resolve('socket closed'));
  });
  return linkOver(socket, socket, closed, () => socket.destroy(), undefined);
}
