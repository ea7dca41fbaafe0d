/**
 * The managed node's handler for inbound management requests (type 49152, spec 002 §3) — the
 * driver around the pure gate: decode → preflight → resolve DIDs → authorize (signature, nonce,
 * credential, schema, tier, constraints, daily cap) → payment verify (Cashu NUT-07 UNSPENT, L402
 * caveats) → local policy → execute → payment settle, only after the command executed (a failed
 * command leaves the advisor's token unspent and its receipt says `payment: not_taken`) → signed
 * receipt + signed 49153 response. Every request that gets past the
 * per-peer flood limit yields a receipt, accepted or not; nothing executes unless all three layers
 * (credential, payment, local policy) pass. Requests are processed one at a time so nonce and
 * counter checks cannot race.
 *
 * Receipts name the agent DID only once its signature has verified. Refusals before the credential
 * verified (malformed, stale, unresolvable, forged, replayed, untrusted issuer, revoked) are answered
 * with a signed receipt (against `peer:<peer_id>` until the signature verified) but not stored — node ids are free, so storing them let anyone fill the store with node-signed rows — and
 * counted per rule in `unauthenticatedRefusals` (issue 15 item 7). Stored receipts are kept for
 * `[mgmt] receipt_retention_days` (`MgmtStore.pruneReceipts`, run by the sub-engine's tick).
 *
 * Wiring: the daemon passes custommsg payloads to `onCustomMsg(peer_id, hex)`; the CLN plugin must
 * declare 49152/49153 in getmanifest `custommessages` (49152 is even: undeclared, lightningd
 * would drop the peer).
 */
import { zbase32 } from '../../runtime/core/crypto/lnsign.ts';
import type { VerifiedCredential } from '../../runtime/core/mgmt/credential.ts';
import { authorize, policyCommand, preflight, type Authorized } from '../../runtime/core/mgmt/gate.ts';
import { decodeRequest, encodeResponse, responseSignedText, type MgmtStatus } from '../../runtime/core/mgmt/messages.ts';
import { MGMT_REQUEST_TYPE } from '../../runtime/core/wire/traffic.ts';
import { routingRevenueMsat } from '../../runtime/core/mgmt/performance.ts';
import { checkLocalPolicy, DEFAULT_POLICY, type LocalPolicy } from '../../runtime/core/mgmt/policy.ts';
import { receiptSignedText, sha256Hex, signReceipt, stateHash, type Receipt, type ReceiptStatus } from '../../runtime/core/mgmt/receipt.ts';
import { reject, type MgmtReject } from '../../runtime/core/mgmt/reject.ts';
import { FRESH_AGENT, utcDay } from '../../runtime/core/mgmt/replay.ts';
import type { ChannelView } from '../../runtime/core/mgmt/schemas/action.ts';
import { SUPPORTED_SCHEMAS } from '../../runtime/core/mgmt/schemas/registry.ts';
import { DAY_S } from '../../runtime/core/mgmt/time.ts';
import type { NodeBackend } from '../../runtime/core/ports.ts';
import { fromHex, toHex } from '../../runtime/core/types.ts';
import type { CashuRedeemer } from '../cashu/redeemer.ts';
import { DEFAULT_SUBSCRIPTION_TERMS, type SubscriptionTerms } from '../l402/subscription.ts';
import type { CommandWrites, MgmtStore } from '../mgmt-store/mgmt-store.ts';
import type { DidResolver } from './did-resolver.ts';
import { Executor } from './executor.ts';
import { FloodWindow } from './flood-window.ts';
import { readChannels } from './node-view.ts';
import { PaymentGate, paymentRef, type VerifiedPayment } from './payment-gate.ts';
import { ProofCache } from './proof-cache.ts';
import type { Rebalancer } from './rebalancer.ts';

/** Inbound 49152 messages per Lightning peer per minute before the node stops answering (flood guard). */
export const PEER_FLOOD_LIMIT = { window_s: 60, max: 120 } as const;

/** What the managed node is built from. */
export interface ManagedNodeOptions {
  readonly backend: NodeBackend;
  readonly store: MgmtStore;
  readonly resolver: DidResolver;
  readonly cashu: CashuRedeemer;
  readonly rebalancer: Rebalancer;
  /** DIDs of the operator(s) allowed to issue management credentials for this node. */
  readonly trustedIssuers: readonly string[];
  readonly policy?: LocalPolicy;
  readonly subscription?: SubscriptionTerms;
  /** Unix seconds. */
  readonly clock?: () => number;
  readonly random?: (n: number) => Uint8Array;
}

/** Who a receipt is about, filled in as the request is understood. */
interface Attribution {
  agent_did: string;
  credential_id: string | null;
  schema_id: string;
  action: string | null;
  params_hash: string;
  nonce: bigint;
  payment_ref: string | null;
  /** True once the agent's signature and its credential (trusted issuer, not revoked, fresh nonce) verified; only then is the receipt stored. */
  authenticated: boolean;
}

/** One request being handled: lazily read channels and the config at its start. */
class RequestState {
  private channelsRead: Promise<Map<string, ChannelView> | null> | null = null;
  constructor(
    private readonly backend: NodeBackend,
    readonly config: Record<string, number>,
  ) {}
  channels(): Promise<Map<string, ChannelView> | null> {
    this.channelsRead ??= readChannels(this.backend).then((r) => (r.ok ? r.value : null));
    return this.channelsRead;
  }
}

/** Handles 49152 requests for one managed node. */
export class ManagedNode {
  private readonly policy: LocalPolicy;
  private readonly clock: () => number;
  private readonly random: (n: number) => Uint8Array;
  private readonly trusted: ReadonlySet<string>;
  private readonly executor: Executor;
  private readonly payments: PaymentGate;
  private readonly proofs = new ProofCache();
  private readonly floods = new FloodWindow(PEER_FLOOD_LIMIT);
  private readonly refusedUnauthenticated = new Map<string, number>();
  private queue: Promise<unknown> = Promise.resolve();
  private nodeId: string | null = null;

  constructor(private readonly o: ManagedNodeOptions) {
    this.policy = o.policy ?? DEFAULT_POLICY;
    this.clock = o.clock ?? (() => Math.floor(Date.now() / 1000));
    this.random = o.random ?? ((n) => crypto.getRandomValues(new Uint8Array(n)));
    this.trusted = new Set(o.trustedIssuers);
    this.executor = new Executor(o.backend, o.rebalancer);
    this.payments = new PaymentGate(o.store, o.cashu, o.backend, o.subscription ?? DEFAULT_SUBSCRIPTION_TERMS, this.random);
  }

  /** Requests refused before the agent's signature verified (answered, receipt not stored), by rule. */
  unauthenticatedRefusals(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.refusedUnauthenticated);
  }

  /** Schemas this node executes (spec 002 §4 "supported_schemas"). */
  supportedSchemas(): readonly string[] {
    return SUPPORTED_SCHEMAS;
  }

  /**
   * The daemon's custommsg path. `payloadHex` includes the 2-byte type.
   * @returns false when the message is not a 49152 request (left for other handlers); true when
   *   handled (the 49153 response, if any, was sent with `sendcustommsg`).
   */
  async onCustomMsg(peerId: string, payloadHex: string): Promise<boolean> {
    const bytes = fromHex(payloadHex);
    if (!bytes || bytes.length < 2 || ((bytes[0]! << 8) | bytes[1]!) !== MGMT_REQUEST_TYPE) return false;
    const response = await this.handle(peerId, bytes);
    if (response) await this.o.backend.sendcustommsg(peerId, toHex(response));
    return true;
  }

  /**
   * Handle one request (bytes incl. the type) and return the 49153 response bytes, or null when
   * the peer is over the flood limit, the node key could not sign, or the store failed (logged to
   * stderr as JSON). Never throws.
   */
  handle(peerId: string, bytes: Uint8Array): Promise<Uint8Array | null> {
    const run = this.queue.then(() => this.process(peerId, bytes)).catch((e: unknown) => {
      console.error(JSON.stringify({ event: 'mgmt_handler_failed', peer_id: peerId, error: e instanceof Error ? e.message : String(e) }));
      return null;
    });
    this.queue = run;
    return run;
  }

  private async process(peerId: string, bytes: Uint8Array): Promise<Uint8Array | null> {
    const now = this.clock();
    if (this.floods.over(peerId, now)) return null;
    const st = new RequestState(this.o.backend, this.o.store.getConfig());
    const who: Attribution = { agent_did: `peer:${peerId}`, credential_id: null, schema_id: '', action: null, params_hash: sha256Hex(''), nonce: 0n, payment_ref: null, authenticated: false };
    const decoded = decodeRequest(bytes);
    if (!decoded.ok) return this.refuse(st, who, now, reject('transport', 'malformed_message', JSON.stringify(decoded.error, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))));
    const req = decoded.value;
    Object.assign(who, { schema_id: req.schema_type, params_hash: sha256Hex(req.schema_payload), nonce: req.nonce });
    const pre = preflight(req, now);
    if (!pre.ok) return this.refuse(st, who, now, pre.error);
    const cred = pre.value.credential;
    const [agentKeys, issuerKeys] = await Promise.all([this.o.resolver.resolve(cred.agent_did, now), this.o.resolver.resolve(cred.issuer, now)]);
    if (!agentKeys.ok || !issuerKeys.ok) {
      const e = !agentKeys.ok ? agentKeys.error : !issuerKeys.ok ? issuerKeys.error : null;
      return this.refuse(st, who, now, reject('transport', 'unresolvable_did', `${e?.did}: ${e?.kind}`));
    }
    const channels = await st.channels();
    if (!channels) return this.refuse(st, who, now, reject('execution', 'backend_error', 'listpeerchannels failed'));
    const outcome = authorize(pre.value, {
      agentKeys: agentKeys.value,
      issuerKeys: issuerKeys.value,
      trustedIssuers: this.trusted,
      nodeId: await this.ownNodeId(),
      revoked: this.o.store.isRevoked(cred.id),
      agentState: this.o.store.getAgentState(cred.agent_did) ?? FRESH_AGENT,
      acceptedToday: this.o.store.actionsOnDay(cred.id, utcDay(now)),
      channels,
      now_s: now,
      proofCheck: this.proofs.check,
    });
    if (outcome.agentState) this.o.store.commit({ agent: { did: cred.agent_did, state: outcome.agentState } });
    const rule = outcome.verdict.ok ? null : outcome.verdict.error.rule;
    if (rule !== 'bad_signature' && rule !== 'agent_mismatch') Object.assign(who, { agent_did: cred.agent_did, credential_id: cred.id });
    who.authenticated = outcome.credentialVerified;
    if (!outcome.verdict.ok) return this.refuse(st, who, now, outcome.verdict.error);
    const auth = outcome.verdict.value;
    who.action = auth.action;
    await this.recordCredential(auth.credential);
    return this.payAndRun(st, who, auth, req.payment_proof, channels, now);
  }

  private async payAndRun(st: RequestState, who: Attribution, auth: Authorized, proof: string | null, channels: Map<string, ChannelView>, now: number): Promise<Uint8Array | null> {
    const paid = await this.payments.verify(auth, proof, now);
    if (!paid.ok) return this.refuse(st, who, now, paid.error.reject, paid.error.l402 ? { l402: paid.error.l402 } : {});
    who.payment_ref = paymentRef(paid.value);
    const cmd = policyCommand(auth);
    const scids = auth.def.channels(auth.params as never);
    const vetoed = checkLocalPolicy(this.policy, cmd, {
      channels,
      feeChanges: scids.flatMap((s) => this.o.store.firstFeeChange(s, now - DAY_S + 1)),
      recentChanges: this.o.store.latestChanges(cmd.targets, now - this.policy.isolation_window_s + 1),
      now_s: now,
    });
    if (vetoed) return this.refuse(st, who, now, vetoed);
    return this.execute(st, who, auth, paid.value, channels, now);
  }

  private async execute(st: RequestState, who: Attribution, auth: Authorized, paid: VerifiedPayment, channels: Map<string, ChannelView>, now: number): Promise<Uint8Array | null> {
    const c = auth.credential;
    const ran = await this.executor.run(auth.effect, {
      agent_did: c.agent_did,
      credential_id: c.id,
      contender: { agent_did: c.agent_did, tier: c.tier, credential_issued_at: c.issued_at },
      channels,
      config: st.config,
      now,
    });
    const before = toHex(stateHash(channels.values(), st.config));
    const unpaid = paid.kind === 'none' ? 'none' : 'not_taken: the command did not execute, the payment stays with the advisor';
    if (!ran.ok) return this.finish(who, now, 2, 'error', { status: 'error', layer: 'execution', rule: 'backend_error', detail: ran.error, payment: unpaid }, before, before, {}, reject('execution', 'backend_error', ran.error));
    const settled = await this.payments.settle(paid, now);
    const payment = paid.kind === 'none' ? 'none' : settled.ok ? 'taken' : `not_taken: ${settled.error.detail}`;
    const config = ran.value.writes.config ? { ...st.config, [ran.value.writes.config.key]: ran.value.writes.config.value } : st.config;
    const after = auth.def.mutates ? await readChannels(this.o.backend) : null;
    const afterHash = toHex(stateHash((after?.ok ? after.value : channels).values(), config));
    const result = { status: 'accepted', schema: auth.schema_id, action: auth.action, result: ran.value.result, payment };
    return this.finish(who, now, 0, 'accepted', result, before, afterHash, { ...ran.value.writes, countAction: { credential_id: c.id, day: utcDay(now) } }, null);
  }

  private async refuse(st: RequestState, who: Attribution, now: number, r: MgmtReject, extra: Record<string, unknown> = {}): Promise<Uint8Array | null> {
    const channels = await st.channels();
    const hash = toHex(stateHash((channels ?? new Map()).values(), st.config));
    const status: MgmtStatus = r.layer === 'execution' ? 2 : 1;
    return this.finish(who, now, status, status === 2 ? 'error' : 'rejected', { status: status === 2 ? 'error' : 'rejected', ...r, ...extra }, hash, hash, {}, r);
  }

  private async finish(
    who: Attribution,
    now: number,
    status: MgmtStatus,
    receiptStatus: ReceiptStatus,
    result: Record<string, unknown>,
    before: string,
    after: string,
    writes: Omit<CommandWrites, 'receipt' | 'agent'>,
    r: MgmtReject | null,
  ): Promise<Uint8Array | null> {
    const resultText = JSON.stringify(result);
    const receipt: Receipt = {
      receipt_id: toHex(this.random(16)),
      node_id: await this.ownNodeId(),
      agent_did: who.agent_did,
      credential_id: who.credential_id,
      schema_id: who.schema_id,
      action: who.action,
      params_hash: who.params_hash,
      payment_ref: who.payment_ref,
      status: receiptStatus,
      layer: r?.layer ?? null,
      rule: r?.rule ?? null,
      result_hash: sha256Hex(resultText),
      state_hash_before: before,
      state_hash_after: after,
      request_nonce: who.nonce.toString(),
      executed_at: now,
    };
    const rsig = await this.o.backend.signmessage(receiptSignedText(receipt));
    if (!rsig.ok) {
      this.o.store.commit(writes);
      return null;
    }
    const signed = signReceipt(receipt, rsig.value.zbase);
    const body = { request_nonce: who.nonce, status, result: resultText, state_hash: fromHex(after)!, receipt: JSON.stringify(signed) };
    if (who.authenticated) this.o.store.commit({ ...writes, receipt: signed });
    else {
      this.o.store.commit(writes);
      const rule = r?.rule ?? 'unauthenticated';
      this.refusedUnauthenticated.set(rule, (this.refusedUnauthenticated.get(rule) ?? 0) + 1);
    }
    const ssig = await this.o.backend.signmessage(responseSignedText(body));
    const sigBytes = ssig.ok ? decodeZbase(ssig.value.zbase) : null;
    return sigBytes ? encodeResponse({ ...body, signature: sigBytes }) : null;
  }

  private async ownNodeId(): Promise<string> {
    if (this.nodeId === null) {
      const info = await this.o.backend.getinfo();
      if (!info.ok) return '';
      this.nodeId = info.value.id;
    }
    return this.nodeId;
  }

  /** Remember a credential first seen in a command and its revenue baseline (performance model). */
  private async recordCredential(c: VerifiedCredential): Promise<void> {
    if (!this.o.store.getCredential(c.id)) {
      this.o.store.putCredential({ id: c.id, agent_did: c.agent_did, issuer: c.issuer, tier: c.tier, issued_at: c.issued_at, expires_at: c.expires_at, json: JSON.stringify(c.raw) });
    }
    if (this.o.store.getBaseline(c.id)) return;
    const fw = await this.o.backend.listforwards({ status: 'settled' });
    if (fw.ok) this.o.store.setBaseline(c.id, c.issued_at, routingRevenueMsat(fw.value, c.issued_at));
  }
}

function decodeZbase(zbase: string): Uint8Array | null {
  try {
    const b = zbase32.decode(zbase);
    return b.length === 65 ? b : null;
  } catch {
    return null;
  }
}
