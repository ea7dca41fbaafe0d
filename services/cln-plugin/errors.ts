/**
 * JSON-RPC error codes the plugin itself answers `hive-*` commands with (lightningd hands plugin
 * error objects to the caller unchanged). Daemon-side errors keep the daemon's code.
 * Codes are in JSON-RPC's implementation-defined server range (-32000…-32099).
 */
export const PLUGIN_RPC_ERROR = {
  /** The daemon is not running / not reachable on the IPC socket. */
  daemonUnavailable: -32001,
  /** The daemon did not answer within `hivebox-rpc-timeout`. */
  daemonTimeout: -32002,
  /** The daemon connection dropped while the command was in flight. */
  daemonLost: -32003,
  /** JSON-RPC 2.0: unknown method. */
  methodNotFound: -32601,
  /** JSON-RPC 2.0: params could not be mapped to the method's parameters. */
  invalidParams: -32602,
} as const;
