/**
 * The managed node's driver for inbound management requests (type 49152, spec 002 §3): a thin
 * loop over the pure `mgmtStep` (runtime/core/mgmt/step.ts) and a table of effects — resolve DIDs,
 * read channels and store facts, read revenue, check payment, execute, settle, sign, persist,
 * respond — run by the one step driver (`runtime/node/driver.ts`, as the Hive engine is): each step's
 * `persist` is committed in one store transaction before the step's state is adopted and its other
 * effect runs; the effect's result is the next step's input.
 *
 * What the step decides: decode → preflight → resolve DIDs → authorize (signature, nonce,
 * credential, schema, tier, constraints, daily cap) → payment verify (Cashu NUT-07 UNSPENT, L402
 * caveats) → local policy → execute → payment settle, only after the command executed (a failed
 * command leaves the advisor's token unspent and its receipt says `payment: not_taken`) → signed
 * receipt + signed 49153 response. Every request that gets past the per-peer flood limit (checked
 * here, before the step) yields a receipt, accepted or not; nothing executes unless all three
 * layers (credential, payment, local policy) pass. Requests are processed one at a time so nonce
 * and counter checks cannot race.
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
import { routingRevenueMsat, DEFAULT_POLICY, type LocalPolicy, FRESH_AGENT, SUPPORTED_SCHEMAS, initialMgmtState, mgmtStep, type MgmtInput, type MgmtState, type MgmtStepEffect, type MgmtWrites } from '../../core/mgmt/index.ts';
import type { NodeBackend } from '../../core/ports.ts';
import { err, ok } from '../../core/result.ts';
import { fromHex, toHex, type UnixSeconds } from '../../core/types.ts';
import { MGMT_REQUEST_TYPE } from '../../core/wire/index.ts';
import type { CashuRedeemer } from '../../../services/cashu/redeemer.ts';
import { DEFAULT_SUBSCRIPTION_TERMS, type SubscriptionTerms } from '../../../services/l402/subscription.ts';
import type { CommandWrites, MgmtStore } from '../../../services/mgmt-store/mgmt-store.ts';
import type { DidResolver } from '../../../services/mgmt/did-resolver.ts';
import { StepDriver, type EffectTable } from '../driver.ts';
import { Executor } from './executor.ts';
import { FloodWindow } from './flood-window.ts';
import { readChannels } from './node-view.ts';
import { PaymentGate, paymentRef, type VerifiedPayment } from './payment-gate.ts';
import { ProofCache } from './proof-cache.ts';
import type { Rebalancer } from '../../../services/mgmt/rebalancer.ts';

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

type EffectOf<K extends MgmtStepEffect['kind']> = Extract<MgmtStepEffect, { kind: K }>;
/** Effects that do I/O and bring back the next input (`persist` is the driver's commit, `respond` ends the request). */
type IoKind = Exclude<MgmtStepEffect['kind'], 'persist' | 'respond'>;

/** One request's turn: its clock reading, the input the last effect brought back, and the answer once a step gave it. */
interface Turn {
  readonly now: UnixSeconds;
  next: MgmtInput | null;
  response?: Uint8Array | null;
}

const io = (node: ManagedNode, e: Extract<MgmtStepEffect, { kind: IoKind }>) => node.io(e);

/** The driver's effect table: `persist` was committed by the driver's commit port before any of these run. */
const MANAGED_NODE_EFFECTS: EffectTable<MgmtStepEffect, ManagedNode, Promise<void>> = {
  persist: async () => {},
  respond: async (node, e) => node.respond(e.response),
  resolve_did: io,
  read_channels: io,
  read_revenue: io,
  check_payment: io,
  execute: io,
  settle: io,
  read_channels_after: io,
  sign: io,
};

/** Handles 49152 requests for one managed node. */
export class ManagedNode {
  private readonly clock: () => number;
  private readonly random: (n: number) => Uint8Array;
  private readonly executor: Executor;
  private readonly payments: PaymentGate;
  private readonly proofs = new ProofCache();
  private readonly floods = new FloodWindow(PEER_FLOOD_LIMIT);
  private readonly driver: StepDriver<MgmtState, MgmtStepEffect, unknown, string, ManagedNode, Promise<void>>;
  private turn: Turn = { now: 0, next: null };
  private queue: Promise<unknown> = Promise.resolve();
  private nodeId: string | null = null;

  constructor(private readonly o: ManagedNodeOptions) {
    this.clock = o.clock ?? (() => Math.floor(Date.now() / 1000));
    this.random = o.random ?? ((n) => crypto.getRandomValues(new Uint8Array(n)));
    this.executor = new Executor(o.backend, o.rebalancer);
    this.payments = new PaymentGate(o.store, o.cashu, o.backend, o.subscription ?? DEFAULT_SUBSCRIPTION_TERMS, this.random);
    const initial = initialMgmtState({ trustedIssuers: new Set(o.trustedIssuers), policy: o.policy ?? DEFAULT_POLICY, proofCheck: this.proofs.check });
    this.driver = new StepDriver<MgmtState, MgmtStepEffect, unknown, string, ManagedNode, Promise<void>>(initial, (effects) => this.commit(effects), MANAGED_NODE_EFFECTS, this as ManagedNode);
  }

  /** The driver's commit port: the `persist` of one step (at most one) in one store transaction. */
  private commit(effects: readonly MgmtStepEffect[]): { ok: true } | { ok: false; error: string } {
    try {
      for (const e of effects) if (e.kind === 'persist') this.o.store.commit(storeWrites(e.writes));
      return { ok: true };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }

  /** Requests refused before the agent's signature verified (answered, receipt not stored), by rule. */
  unauthenticatedRefusals(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.driver.state.refused_unauthenticated);
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
      this.driver.adopt(mgmtStep(this.driver.state, { kind: 'abandon' }, this.clock()));
      console.error(JSON.stringify({ event: 'mgmt_handler_failed', peer_id: peerId, error: e instanceof Error ? e.message : String(e) }));
      return null;
    });
    this.queue = run;
    return run;
  }

  private async process(peerId: string, bytes: Uint8Array): Promise<Uint8Array | null> {
    const now = this.clock();
    if (this.floods.over(peerId, now)) return null;
    this.turn = { now, next: { kind: 'request', peer_id: peerId, bytes, config: this.o.store.getConfig(), receipt_id: this.random(16), node_id: await this.ownNodeId() } };
    while (this.turn.next) {
      const step = mgmtStep(this.driver.state, this.turn.next, now);
      this.turn.next = null;
      const adopted = this.driver.adopt(step);
      if (!adopted.ok) throw new Error(`management store: ${adopted.error}`);
      await this.driver.carryOut(step.effects);
      if (this.turn.response !== undefined) return this.turn.response;
    }
    return null;
  }

  /** Carry out one I/O effect of the current request; what it brings back is the next step's input. */
  async io(e: Extract<MgmtStepEffect, { kind: IoKind }>): Promise<void> {
    this.turn.next = await this.run(e, this.turn.now);
  }

  /** End the current request with the step's 49153 answer (null: none, signing failed). */
  respond(response: Uint8Array | null): void {
    this.turn.response = response;
  }

  /** The effect table: each I/O effect and the input it brings back. */
  private readonly effects: { readonly [K in IoKind]: (e: EffectOf<K>, now: UnixSeconds) => Promise<MgmtInput> } = {
    resolve_did: async (e, now) => {
      const [agent, issuer] = await Promise.all([this.o.resolver.resolve(e.agent_did, now), this.o.resolver.resolve(e.issuer_did, now)]);
      const text = <T,>(r: { ok: true; value: T } | { ok: false; error: { did: string; kind: string } }) => (r.ok ? ok(r.value) : err(`${r.error.did}: ${r.error.kind}`));
      return { kind: 'did_resolved', agent: text(agent), issuer: text(issuer) };
    },
    read_channels: async (e) => {
      const r = await readChannels(this.o.backend);
      const channels = r.ok ? r.value : null;
      if (!e.credential) return { kind: 'channels_read', channels };
      const c = e.credential;
      const s = this.o.store;
      const facts = {
        revoked: s.isRevoked(c.id),
        agent_state: s.getAgentState(c.agent_did) ?? FRESH_AGENT,
        accepted_today: s.actionsOnDay(c.id, c.day),
        has_credential: s.getCredential(c.id) !== null,
        has_baseline: s.getBaseline(c.id) !== null,
      };
      return { kind: 'channels_read', channels, facts };
    },
    read_revenue: async (e) => {
      const fw = await this.o.backend.listforwards({ status: 'settled' });
      return { kind: 'revenue_read', revenue_msat: fw.ok ? routingRevenueMsat(fw.value, e.since) : null };
    },
    check_payment: async (e, now) => {
      const paid = await this.payments.verify(e.auth, e.proof, now);
      const result = paid.ok
        ? ok({ kind: paid.value.kind, ref: paymentRef(paid.value), handle: paid.value })
        : err({ reject: paid.error.reject, ...(paid.error.l402 ? { extra: { l402: paid.error.l402 } } : {}) });
      if (!paid.ok) return { kind: 'payment_checked', result, fee_changes: [], recent_changes: [] };
      const fee_changes = e.fee_history.scids.flatMap((scid) => this.o.store.firstFeeChange(scid, e.fee_history.since));
      return { kind: 'payment_checked', result, fee_changes, recent_changes: this.o.store.latestChanges(e.recent_changes.targets, e.recent_changes.since) };
    },
    execute: async (e, now) => {
      const c = e.auth.credential;
      const contender = { agent_did: c.agent_did, tier: c.tier, credential_issued_at: c.issued_at };
      const ran = await this.executor.run(e.auth.effect, { agent_did: c.agent_did, credential_id: c.id, contender, channels: e.channels, config: e.config, now });
      return { kind: 'executed', result: ran };
    },
    settle: async (e, now) => ({ kind: 'settled', result: await this.payments.settle(e.payment.handle as VerifiedPayment, now) }),
    read_channels_after: async () => {
      const r = await readChannels(this.o.backend);
      return { kind: 'channels_after', channels: r.ok ? r.value : null };
    },
    sign: async (e) => {
      const r = await this.o.backend.signmessage(e.text);
      return { kind: 'signed', zbase: r.ok ? r.value.zbase : null };
    },
  };

  private run(e: Exclude<MgmtStepEffect, { kind: 'persist' | 'respond' }>, now: UnixSeconds): Promise<MgmtInput> {
    return (this.effects[e.kind] as (e: MgmtStepEffect, now: UnixSeconds) => Promise<MgmtInput>)(e, now);
  }

  private async ownNodeId(): Promise<string> {
    if (this.nodeId === null) {
      const info = await this.o.backend.getinfo();
      if (!info.ok) return '';
      this.nodeId = info.value.id;
    }
    return this.nodeId;
  }
}

/** The store rows of one step's writes. */
function storeWrites(w: MgmtWrites): CommandWrites {
  const { credential: c, baseline: b, ...rest } = w;
  return {
    ...(rest as CommandWrites),
    ...(c ? { credential: { id: c.id, agent_did: c.agent_did, issuer: c.issuer, tier: c.tier, issued_at: c.issued_at, expires_at: c.expires_at, json: JSON.stringify(c.raw) } } : {}),
    ...(b ? { baseline: { credential_id: b.credential_id, start: b.start, baseline_msat: b.revenue_msat } } : {}),
  };
}
