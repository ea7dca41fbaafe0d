/**
 * The `--json` form of a failure: one object on stdout, `{"error": {"command", "message",
 * "exit_code", "rpc_code"?, "data"?}}`; the process exits with `exit_code`, the same code as
 * without `--json`. `rpc_code` and `data` are the daemon's JSON-RPC error (runtime/node/hive/rpc/errors.ts).
 */

/** True when the command line asks for JSON output. */
export function wantsJson(argv: readonly string[] = process.argv): boolean {
  return argv.includes('--json');
}

/** The JSON error line. */
export function jsonError(command: string | null, message: string, exit_code: number, rpc?: { readonly code: number; readonly data?: unknown }): string {
  return JSON.stringify({ error: { command, message, exit_code, ...(rpc ? { rpc_code: rpc.code, ...(rpc.data === undefined ? {} : { data: rpc.data }) } : {}) } });
}

/** Report a failure: the JSON line on stdout with `--json`, else `hivebox <command>: message` on stderr. Sets no exit code. */
export function reportFailure(command: string | null, message: string, exit_code: number, rpc?: { readonly code: number; readonly data?: unknown }): void {
  if (wantsJson()) console.log(jsonError(command, message, exit_code, rpc));
  else console.error(`hivebox${command ? ` ${command}` : ''}: ${message}`);
}
