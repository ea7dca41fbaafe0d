/**
 * How the operator commands (`hivebox genesis|invite|join|status|members`) reach the running
 * daemon: over its IPC socket (services/daemon-ipc, the same socket and protocol the CLN plugin
 * uses), sending the `hive-*` command the plugin would relay from lightning-cli. The socket path
 * comes from `--socket`, else the configuration (`--config`, HIVEBOX_* environment, defaults).
 * Daemon errors become one line on stderr and an exit code per failure class.
 */
import type { Command } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import type { IpcClient, IpcOutcome } from '../../services/daemon-ipc/client.ts';
import { startCliClient } from '../../services/daemon-ipc/cli-client.ts';
import { loadConfig } from '../config/load.ts';
import { RPC_ERROR } from '../node/hive/rpc/errors.ts';
import type { StatusResult } from '../node/hive/rpc/status.ts';
import { EXIT } from './exit-codes.ts';
import { reportFailure } from './json-error.ts';

/** Options every daemon command takes. */
export interface DaemonCliOptions {
  config?: string;
  socket?: string;
  json?: boolean;
}

/** A command failure: message for stderr, exit code, and the daemon's error code and data when it answered one. */
export class DaemonCliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly rpc?: { readonly code: number; readonly data?: unknown },
  ) {
    super(message);
  }
}

/** Add `--config`, `--socket` and `--json` to a daemon command. */
export function withDaemonOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'hivebox TOML configuration (default: $HIVEBOX_CONFIG, else built-in defaults)')
    .option('--socket <path>', 'daemon IPC socket (default: [daemon] ipc_socket from the configuration)')
    .option('--json', 'print the result as one JSON object (a failure as {"error": {…}}, same exit code)')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 failed, 2 bad ticket, 4 not possible in this hive state, 64 bad usage or config,\n69 daemon/signer unreachable, 75 busy or still in progress (try again), 77 refused on the signer.',
    );
}

/** Exit code for a daemon error code (runtime/node/hive/rpc/errors.ts). */
export function exitCodeForRpcError(code: number): number {
  switch (code) {
    case RPC_ERROR.invalidParams:
      return EXIT.usage;
    case RPC_ERROR.notInHive:
    case RPC_ERROR.alreadyInHive:
    case RPC_ERROR.notAllowed:
    case RPC_ERROR.governanceRefused:
      return EXIT.conflict;
    case RPC_ERROR.approvalRejected:
    case RPC_ERROR.approvalTimeout:
    case RPC_ERROR.signerRefused:
      return EXIT.refused;
    case RPC_ERROR.signerBusy:
    case RPC_ERROR.joinPending:
    case RPC_ERROR.starting:
      return EXIT.tempfail;
    case RPC_ERROR.signerUnavailable:
      return EXIT.unavailable;
    case RPC_ERROR.badTicket:
      return EXIT.malformed;
    default:
      return EXIT.failure;
  }
}

/** How long an operator command waits for `hivebox run` to answer its hello, ms (a 2 s wait gave exit 69 under load, issue 13). */
export const CLI_HELLO_WAIT_MS = 15_000;

/** An open connection to the daemon. */
export class DaemonConnection {
  private constructor(private readonly client: IpcClient) {}

  /**
   * Connect to the daemon socket named by the options.
   * @throws DaemonCliError (usage) for a bad configuration.
   */
  static open(opts: DaemonCliOptions): DaemonConnection {
    let path = opts.socket;
    if (path === undefined) {
      const cfg = loadConfig({ file: opts.config, env: process.env, home: process.env.HOME });
      if (!cfg.ok) throw new DaemonCliError(cfg.error.message, EXIT.usage);
      path = cfg.value.daemon.ipc_socket;
    }
    return new DaemonConnection(startCliClient(path, pkg.version, CLI_HELLO_WAIT_MS));
  }

  /** Send one `hive-*` command and wait up to `timeout_ms` for the daemon's answer. */
  request(method: string, params: Record<string, unknown>, timeout_ms: number): Promise<IpcOutcome> {
    return this.client.request(method, params, timeout_ms);
  }

  /**
   * Send one command.
   * @returns the result. @throws DaemonCliError with the daemon's message and the mapped exit code.
   */
  async call<T>(method: string, params: Record<string, unknown>, timeout_ms = 30_000): Promise<T> {
    const out = await this.request(method, params, timeout_ms);
    if ('result' in out) return out.result as T;
    if ('error' in out) throw new DaemonCliError(out.error.message, exitCodeForRpcError(out.error.code), { code: out.error.code, data: out.error.data });
    if (out.failure.kind === 'timeout') throw new DaemonCliError(`the daemon did not answer ${method} within ${out.failure.after_ms / 1000} s`, EXIT.tempfail);
    if (out.failure.kind === 'lost') throw new DaemonCliError(`the connection to the daemon was lost during ${method}`, EXIT.unavailable);
    throw new DaemonCliError(`${out.failure.reason}; is \`hivebox run\` running?`, EXIT.unavailable);
  }

  close(): void {
    this.client.stop();
  }
}

/**
 * Run a daemon command body with a connection, print its result (JSON with `--json`, else
 * `render`), and exit with the mapped code on failure.
 */
export async function runDaemonCommand<T>(name: string, opts: DaemonCliOptions, body: (d: DaemonConnection) => Promise<T>, render: (result: T) => string): Promise<void> {
  let conn: DaemonConnection | null = null;
  try {
    conn = DaemonConnection.open(opts);
    const result = await body(conn);
    console.log(opts.json ? JSON.stringify(result) : render(result));
  } catch (e) {
    if (!(e instanceof DaemonCliError)) throw e;
    reportFailure(name, e.message, e.exitCode, e.rpc);
    process.exitCode = e.exitCode;
  } finally {
    conn?.close();
  }
}

/**
 * Read `hive-status` every `poll_ms` until `done` settles, handing each answer to `onStatus`
 * (prompts and progress shown while a long daemon command runs). Never rejects.
 */
export async function whileRunning(d: DaemonConnection, done: Promise<unknown>, onStatus: (s: StatusResult) => void, poll_ms = 250): Promise<void> {
  let finished = false;
  const finish = () => {
    finished = true;
  };
  done.then(finish, finish);
  while (!finished) {
    const s = await d.request('hive-status', {}, 5_000);
    if ('result' in s && !finished) onStatus(s.result as StatusResult);
    await Promise.race([done.catch(() => {}), Bun.sleep(poll_ms)]);
  }
}
