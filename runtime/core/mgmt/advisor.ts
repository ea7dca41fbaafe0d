/**
 * The advisor side of the management protocol, pure: build and sign a 49152 request with the
 * agent's DID key, choose nonces, and open a 49153 response — checking the node's signature, the
 * signed receipt and that both answer this request (spec 002 §3, "Audit Trail").
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { nobleScheme } from '../crypto/noble-scheme.ts';
import { recoverSigner, zbase32 } from '../crypto/lnsign.ts';
import { err, ok, type Result } from '../result.ts';
import { toHex, type UnixMillis, utf8 } from '../types.ts';
import { decodeResponse, requestDigest, responseSignedText, type MgmtRequest, type MgmtResponse, type MgmtStatus } from './messages.ts';
import { verifyReceipt, type SignedReceipt } from './receipt.ts';

/** A command to send. `params` is the action's params object. */
export interface AdvisorCommand {
  readonly schema: string;
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/**
 * Build and sign a request.
 * @param secretKey the agent DID key (32 bytes).
 * @param timestamp unix seconds.
 */
export function buildRequest(cmd: AdvisorCommand, credentialText: string, paymentProof: string | null, nonce: bigint, timestamp: number, secretKey: Uint8Array): MgmtRequest {
  const unsigned = {
    schema_type: cmd.schema,
    schema_payload: JSON.stringify({ schema: cmd.schema, action: cmd.action, params: cmd.params }),
    nonce,
    timestamp,
  };
  const signature = nobleScheme.signRecoverable(requestDigest(unsigned), secretKey).slice(1);
  return { ...unsigned, credential: credentialText, payment_proof: paymentProof, signature };
}

/** Next nonce: strictly above `last`, and at least `now_ms × 1000` so restarts keep increasing. */
export function nextNonce(last: bigint | null, now_ms: UnixMillis): bigint {
  const floor = BigInt(Math.floor(now_ms)) * 1000n;
  return last === null || floor > last ? floor : last + 1n;
}

/** An opened, verified response. */
export interface OpenedResponse {
  readonly status: MgmtStatus;
  readonly result: unknown;
  readonly receipt: SignedReceipt;
  readonly state_hash: string;
  readonly response: MgmtResponse;
}

/** Why a response was not trusted. */
export type OpenError =
  | { readonly kind: 'decode'; readonly detail: string }
  | { readonly kind: 'wrong_nonce'; readonly got: bigint }
  | { readonly kind: 'bad_node_signature' }
  | { readonly kind: 'bad_receipt'; readonly detail: string };

/**
 * Decode and verify a 49153 response to the request with `nonce`, from `nodeId`, for `agentDid`.
 * Checks: codec, echoed nonce, node signature (Lightning, recovered key = nodeId), receipt JSON,
 * receipt signature, receipt fields (agent — or `peer:<id>` for a refusal made before the agent's
 * signature was verified —, nonce, result hash, state hash after).
 */
export function openResponse(bytes: Uint8Array, nodeId: string, nonce: bigint, agentDid: string): Result<OpenedResponse, OpenError> {
  const res = decodeResponse(bytes);
  if (!res.ok) return err({ kind: 'decode', detail: res.error.kind });
  const r = res.value;
  if (r.request_nonce !== nonce) return err({ kind: 'wrong_nonce', got: r.request_nonce });
  if (recoverSigner(responseSignedText(r), zbase32.encode(r.signature)) !== nodeId) return err({ kind: 'bad_node_signature' });
  let receipt: SignedReceipt;
  let result: unknown;
  try {
    receipt = JSON.parse(r.receipt) as SignedReceipt;
    result = JSON.parse(r.result);
  } catch {
    return err({ kind: 'bad_receipt', detail: 'receipt or result is not JSON' });
  }
  if (typeof receipt !== 'object' || receipt === null || typeof receipt.signature !== 'string') return err({ kind: 'bad_receipt', detail: 'no signature' });
  if (!verifyReceipt(receipt, nodeId)) return err({ kind: 'bad_receipt', detail: 'signature does not verify' });
  const stateHex = toHex(r.state_hash);
  const ours = receipt.agent_did === agentDid || (receipt.status !== 'accepted' && receipt.agent_did.startsWith('peer:'));
  if (!ours || receipt.request_nonce !== nonce.toString()) return err({ kind: 'bad_receipt', detail: 'receipt is for another request' });
  if (receipt.result_hash !== toHex(sha256(utf8(r.result))) || receipt.state_hash_after !== stateHex) return err({ kind: 'bad_receipt', detail: 'receipt does not match the response' });
  return ok({ status: r.status, result, receipt, state_hash: stateHex, response: r });
}
