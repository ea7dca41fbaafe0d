/**
 * One call for `hivebox demo` and simnet fleets to give a node a signer: start a simulated Hivebox
 * Signer in this process or as a child process, with a button that approves by itself and prints
 * each prompt to `log`, and get back a `HidSigner` wired to it through the real framing code.
 *
 *   const sim = await startSignerSimulator({ mode: 'subprocess', stateDir: '.hivebox-demo/node1/signer', log: console.log });
 *   await sim.signer.sign(ticketText, { purpose: 'invite', summary });
 *   // [signer] Press the button to approve: invite to hive_1a2b, valid 24 h, requires splice … pressed
 *   await sim.stop();
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RandomBytes } from '../../../hw/clock.ts';
import { HidSigner } from '../../../hw/host/hid-signer.ts';
import type { SignerConfig } from '../../../hw/host/signer-config.ts';
import { unixSocketOpener } from '../../../hw/transport/unix-socket-transport.ts';
import { formatButtonScript, type ButtonAction } from './button.ts';
import { READY_PREFIX, serveSimulator } from './serve.ts';

/** Options of {@link startSignerSimulator}. */
export interface StartSimulatorOptions {
  /** `in-process`: device in this process behind a unix socket; `subprocess`: its own process. */
  readonly mode: 'in-process' | 'subprocess';
  /** The device's own folder (keys persist here across runs). Created if missing. */
  readonly stateDir: string;
  /** Socket path (default `<stateDir>/signer.sock`). */
  readonly socketPath?: string;
  /** Button script (default `'approve'`: every prompt is pressed at once). */
  readonly button?: ButtonAction | readonly ButtonAction[];
  /** Device approval timeout in s (default 60). */
  readonly timeout_s?: number;
  /**
   * Subprocess mode: how long its start may take until it says it is ready, ms (default 15 s; an
   * emulated or slow machine needs more, e.g. `hivebox demo --wait-factor`).
   */
  readonly ready_timeout_ms?: number;
  /** Prompt lines ("[signer] Press the button to approve: … pressed"); default: discarded. */
  readonly log?: (line: string) => void;
  /** Key-generation randomness for in-process mode (default: the CSPRNG). */
  readonly random?: RandomBytes;
  /**
   * Subprocess command (default: this Bun running runtime/sim/signer/main.ts from a checkout, or
   * `<this binary> signer sim` from a compiled binary).
   */
  readonly command?: readonly string[];
}

/** A running simulator. */
export interface RunningSimulator {
  /** Host driver connected to it over the unix socket. */
  readonly signer: HidSigner;
  /** The daemon configuration that points at this simulator. */
  readonly config: SignerConfig;
  readonly socketPath: string;
  /** Stop the simulator (and its process) and close the driver. */
  stop(): Promise<void>;
}

const SUBPROCESS_READY_TIMEOUT_MS = 15_000;

/**
 * Start a simulated signer.
 * @throws Error when the subprocess exits or does not become ready within `ready_timeout_ms`, or the socket
 *   cannot be bound — the demo cannot run without its signer.
 */
export async function startSignerSimulator(opts: StartSimulatorOptions): Promise<RunningSimulator> {
  mkdirSync(opts.stateDir, { recursive: true, mode: 0o700 });
  const socketPath = opts.socketPath ?? join(opts.stateDir, 'signer.sock');
  const log = opts.log ?? (() => {});
  const button = opts.button ?? 'approve';
  const stopDevice = opts.mode === 'in-process' ? (await serveSimulator({ stateDir: opts.stateDir, socketPath, button, timeout_s: opts.timeout_s, log, random: opts.random })).stop : await spawnSimulator(opts, socketPath, button, log);
  const signer = new HidSigner({ opener: unixSocketOpener(socketPath) });
  return {
    signer,
    config: { transport: 'unix-socket', path: socketPath },
    socketPath,
    stop: async () => {
      await signer.close();
      await stopDevice();
    },
  };
}

function defaultCommand(): string[] {
  const main = join(import.meta.dir, 'main.ts');
  return existsSync(main) ? [process.execPath, main] : [process.execPath, 'signer', 'sim'];
}

async function spawnSimulator(opts: StartSimulatorOptions, socketPath: string, button: ButtonAction | readonly ButtonAction[], log: (line: string) => void): Promise<() => Promise<void>> {
  const args = [...(opts.command ?? defaultCommand()), '--state', opts.stateDir, '--socket', socketPath, '--button', formatButtonScript(button), '--timeout-s', String(opts.timeout_s ?? 60)];
  const child = Bun.spawn(args, { stdout: 'pipe', stderr: 'inherit', stdin: 'ignore' });
  const ready = Promise.withResolvers<void>();
  void (async () => {
    let buf = '';
    const decoder = new TextDecoder();
    for await (const chunk of child.stdout) {
      buf += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith(READY_PREFIX)) ready.resolve();
        else log(line);
      }
    }
    ready.reject(new Error(`signer simulator exited (code ${await child.exited}) before it was ready`));
  })();
  const readyTimeoutMs = opts.ready_timeout_ms ?? SUBPROCESS_READY_TIMEOUT_MS;
  const timer = setTimeout(() => ready.reject(new Error(`signer simulator did not become ready within ${readyTimeoutMs / 1000} s`)), readyTimeoutMs);
  try {
    await ready.promise;
  } catch (e) {
    child.kill();
    throw e;
  } finally {
    clearTimeout(timer);
  }
  return async () => {
    child.kill('SIGTERM');
    await child.exited;
  };
}
