/**
 * The advisor side as a service (spec 002 "Architecture Overview: Schema Builder"): holds the DID
 * key, builds and signs commands with credential and payment attached, sends them through an
 * injected `send(peer_id, bytes)` (the daemon wires it to `sendcustommsg`), matches the 49153
 * response by nonce, and verifies the node's signature and receipt before returning the result.
 */
import { buildRequest, nextNonce, openResponse, type AdvisorCommand, type OpenError, type OpenedResponse, encodeRequest } from '../../core/mgmt/index.ts';
import { MGMT_RESPONSE_TYPE } from '../../core/wire/index.ts';
import { err, type Result } from '../../core/result.ts';
import type { KeyFileSigner } from '../../../services/mgmt/key-file.ts';

/** What the advisor client needs. */
export interface AdvisorOptions {
  /** The agent's DID key. */
  readonly key: KeyFileSigner;
  /** Deliver custommsg bytes (incl. type) to a peer; rejects when the peer is unreachable. */
  readonly send: (peerId: string, bytes: Uint8Array) => Promise<void>;
  /** Wall clock, ms. */
  readonly clock_ms?: () => number;
  /** How long to wait for a response, ms (default 30000). */
  readonly timeout_ms?: number;
}

/** Why a command got no trusted answer. */
export type AdvisorError = OpenError | { readonly kind: 'send_failed'; readonly detail: string } | { readonly kind: 'timeout' };

interface Pending {
  readonly nodeId: string;
  readonly resolve: (r: Result<OpenedResponse, AdvisorError>) => void;
}

/** Sends management commands and verifies the answers. */
export class AdvisorClient {
  readonly did: string;
  private lastNonce: bigint | null = null;
  private readonly pending = new Map<string, Pending>();
  private readonly clock_ms: () => number;

  constructor(private readonly o: AdvisorOptions) {
    this.did = o.key.did;
    this.clock_ms = o.clock_ms ?? (() => Date.now());
  }

  /** Build the signed request bytes for `cmd` (also used by the CLI to print them). */
  buildBytes(cmd: AdvisorCommand, credentialText: string, paymentProof: string | null): { nonce: bigint; bytes: Uint8Array } {
    const now_ms = this.clock_ms();
    const nonce = nextNonce(this.lastNonce, now_ms);
    this.lastNonce = nonce;
    const req = buildRequest(cmd, credentialText, paymentProof, nonce, Math.floor(now_ms / 1000), this.o.key.secretKey);
    return { nonce, bytes: encodeRequest(req) };
  }

  /**
   * Send `cmd` to the managed node `nodeId` and wait for its verified response.
   * @returns the opened response (status, result, receipt) or why none could be trusted.
   */
  async command(nodeId: string, cmd: AdvisorCommand, credentialText: string, paymentProof: string | null): Promise<Result<OpenedResponse, AdvisorError>> {
    const { nonce, bytes } = this.buildBytes(cmd, credentialText, paymentProof);
    const key = `${nodeId}:${nonce}`;
    const answer = new Promise<Result<OpenedResponse, AdvisorError>>((resolve) => this.pending.set(key, { nodeId, resolve }));
    const timer = setTimeout(() => this.settle(key, err({ kind: 'timeout' })), this.o.timeout_ms ?? 30_000);
    try {
      await this.o.send(nodeId, bytes);
    } catch (e) {
      this.settle(key, err({ kind: 'send_failed', detail: e instanceof Error ? e.message : String(e) }));
    }
    const r = await answer;
    clearTimeout(timer);
    return r;
  }

  /**
   * Feed a custommsg from `peerId` (bytes incl. type).
   * @returns true when it was a 49153 response to a pending command (verified or not).
   */
  onMessage(peerId: string, bytes: Uint8Array): boolean {
    if (bytes.length < 10 || ((bytes[0]! << 8) | bytes[1]!) !== MGMT_RESPONSE_TYPE) return false;
    for (const [key, p] of this.pending) {
      if (p.nodeId !== peerId) continue;
      const nonce = BigInt(key.slice(key.indexOf(':') + 1));
      const opened = openResponse(bytes, p.nodeId, nonce, this.did);
      if (opened.ok || opened.error.kind !== 'wrong_nonce') {
        this.settle(key, opened);
        return true;
      }
    }
    return false;
  }

  private settle(key: string, r: Result<OpenedResponse, AdvisorError>): void {
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    p.resolve(r);
  }
}

/** `payment_proof` text for an L402 credential: `L402 <macaroon>:<preimage hex>`. */
export function l402Proof(macaroon: string, preimageHex: string): string {
  return `L402 ${macaroon}:${preimageHex}`;
}
