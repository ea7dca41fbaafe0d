/**
 * JSON-RPC error codes of the `hive-*` commands (returned to lightning-cli through the plugin and
 * to the hivebox CLI through the daemon socket). One code per failure class, so callers can tell
 * them apart; the CLI maps each class to its own exit code (runtime/cli/exit-codes.ts).
 */
import { RpcFailure } from '../../engine.ts';
import type { SignerError } from '../../../core/ports.ts';

/** Error codes (CLN leaves 1400–1499 unused; plugin-level codes are -320xx). */
export const RPC_ERROR = {
  /** A parameter is missing, of the wrong type or out of range. */
  invalidParams: 1400,
  /** The command needs a hive and this node has none (run hive-genesis or hive-join first). */
  notInHive: 1401,
  /** The node is already in a hive (genesis or join refused). */
  alreadyInHive: 1402,
  /** The node's tier or keys do not allow the command (a neophyte inviting, an untrusted signer key). */
  notAllowed: 1403,
  /** The operator rejected the request on the signer. */
  approvalRejected: 1410,
  /** Nobody pressed the signer button in time. */
  approvalTimeout: 1411,
  /** The signer is busy with another approval (one at a time). */
  signerBusy: 1412,
  /** The signer is unplugged or does not answer. */
  signerUnavailable: 1413,
  /** The signer refused the request (unknown purpose, text it cannot show) or its output failed the check. */
  signerRefused: 1414,
  /** The join was refused or failed (the message names the rule). */
  joinFailed: 1420,
  /** No WELCOME within `join_wait_s`; the join goes on in the background. */
  joinPending: 1421,
  /** The invite ticket is malformed or expired. */
  badTicket: 1422,
  /** lightningd refused a call the command needs (connect, listpeers, …). */
  nodeError: 1430,
  /** The store could not write (disk full, I/O error); nothing changed. */
  storeError: 1440,
  /** No pending action has this id (`hive-approve-action`, `hive-reject-action`). */
  unknownAction: 1450,
  /** The action was already decided or has expired. */
  actionNotPending: 1451,
  /** The fleet refused the decision (e.g. another member holds the target's intent lock). */
  actionRefused: 1452,
  /** A governance command was refused by a fleet rule (cooldown, already voted, no promotion request, …; the message names it). */
  governanceRefused: 1460,
  /** The daemon is starting (waiting for lightningd, opening the store); the message is its start-up line. Try again. */
  starting: 1490,
} as const;

/** An RpcFailure with one of our codes. */
export function rpcFailure(code: (typeof RPC_ERROR)[keyof typeof RPC_ERROR], message: string, data?: unknown): RpcFailure {
  return new RpcFailure(code, message, data);
}

/** The RpcFailure for a signer outcome that is not a signature. */
export function signerFailure(e: SignerError): RpcFailure {
  switch (e.kind) {
    case 'ApprovalRejected':
      return rpcFailure(RPC_ERROR.approvalRejected, 'the request was rejected on the signer');
    case 'ApprovalTimeout':
      return rpcFailure(RPC_ERROR.approvalTimeout, `nobody pressed the signer button within ${e.after_s} s`);
    case 'SignerBusy':
      return rpcFailure(RPC_ERROR.signerBusy, 'the signer is waiting for another approval; try again when it is done');
    case 'SignerUnavailable':
      return rpcFailure(RPC_ERROR.signerUnavailable, `the signer is not available: ${e.reason}`);
    case 'SignerRefused':
      return rpcFailure(RPC_ERROR.signerRefused, `the signer refused: ${e.reason}`);
  }
}
