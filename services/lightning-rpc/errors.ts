/**
 * JSON-RPC error codes of lightningd (CLN v26.06 `common/jsonrpc_errors.h`) plus the codes this
 * client uses for failures that never reached lightningd. Every failure is surfaced as a
 * `NodeRpcError` value ({code, message, method}); nothing here throws.
 */
import type { NodeRpcError } from '../../runtime/core/ports.ts';

/** lightningd's own error codes (common/jsonrpc_errors.h), as returned in `error.code`. */
export const CLN_ERROR = {
  /** JSON-RPC 2.0: malformed request, or a semantic refusal (e.g. sendcustommsg to an unknown peer). */
  INVALID_REQUEST: -32600,
  /** JSON-RPC 2.0: `Unknown command '…'`. */
  METHOD_NOT_FOUND: -32601,
  /** JSON-RPC 2.0: missing/unknown/ill-typed parameter. */
  INVALID_PARAMS: -32602,
  /** Uncategorised lightningd error (e.g. setchannel with no matching channel). */
  LIGHTNINGD: -1,
  /** A plugin answered a passthrough command with an error object. */
  PLUGIN_ERROR: -3,
  /** The plugin died before answering a passthrough command. */
  PLUGIN_TERMINATED: -4,
  /** lightningd is shutting down. */
  LIGHTNINGD_SHUTDOWN: -5,
  /** `fundchannel`: amount above the largest channel the peer accepts. */
  FUND_MAX_EXCEEDED: 300,
  /** `fundchannel`: the wallet cannot pay the amount plus the funding fee. */
  FUND_CANNOT_AFFORD: 301,
  /** `fundchannel`: the channel output would be dust. */
  FUND_OUTPUT_IS_DUST: 302,
  /** `connect`: no address known for the node. */
  CONNECT_NO_KNOWN_ADDRESS: 400,
  /** `connect`: every known address failed. */
  CONNECT_ALL_ADDRESSES_FAILED: 401,
  /** `invoice`: label already used. */
  INVOICE_LABEL_ALREADY_EXISTS: 900,
  /** `checkmessage` without `pubkey`: the recovered key is not a node in the local gossip. */
  SIGNMESSAGE_PUBKEY_NOT_FOUND: 1301,
} as const;

/**
 * Codes for failures on this side of the socket, in JSON-RPC's implementation-defined range
 * (-32000…-32099) so they cannot collide with lightningd's.
 */
export const CLIENT_ERROR = {
  /** The socket could not be opened, or closed before the answer arrived (lightningd down or restarting). */
  UNAVAILABLE: -32090,
  /** No answer within the call's timeout. */
  TIMEOUT: -32091,
  /** lightningd sent bytes that are not a JSON-RPC response (framing or shape). */
  BAD_RESPONSE: -32092,
  /** The request could not be encoded (e.g. a signmessage text that is not valid JSON string content). */
  BAD_REQUEST: -32093,
} as const;

/** Build a `NodeRpcError` value. */
export function rpcError(method: string, code: number, message: string): NodeRpcError {
  return { code, message, method };
}
