/**
 * The managed node as a pure step (spec 002 §3; issue 14 item 2), like `hiveStep`:
 * `mgmtStep(state, input, now_s) → {state, effects, reject}`. One 49152 request is in flight at a
 * time; each step consumes what the driver (services/mgmt/managed-node.ts) brought back — the
 * request, resolved DIDs, channels and store facts, revenue, the payment check, the execution, the
 * settlement, signatures — and names the next I/O as effects. Each step returns at most one
 * `persist` effect, which the driver commits in one store transaction before running the others.
 *
 *   request → resolve_did → read_channels → (authorize; persist agent nonce, credential)
 *     → [read_revenue → persist baseline] → check_payment → (local policy) → execute → settle
 *     → [read_channels_after] → sign receipt → persist writes + receipt → sign response → send
 *
 * A refusal at any layer jumps to the receipt: the state hash is over the channels read so far
 * (read once more when none were), status 1 (rejected) or 2 (execution error). Receipts of requests
 * whose signature and credential never verified are answered but not stored, and counted by rule
 * (issue 15 item 7). Payment is taken only after the command executed.
 */
import { zbase32 } from '../crypto/lnsign.ts';
import type { Result } from '../result.ts';
import { fromHex, toHex, type UnixSeconds } from '../types.ts';
import type { VerifiedCredential } from './credential.ts';
import type { DidKeys } from './did.ts';
import { authorize, policyCommand, preflight, type AuthFacts, type Authorized, type Preflight } from './gate.ts';
import { decodeRequest, encodeResponse, responseSignedText, type MgmtStatus } from './messages.ts';
import type { RecentChange } from './conflict.ts';
import { checkLocalPolicy, type FeeChange, type LocalPolicy } from './policy.ts';
import { receiptSignedText, sha256Hex, signReceipt, stateHash, type Receipt, type ReceiptStatus, type SignedReceipt } from './receipt.ts';
import { reject, type MgmtReject } from './reject.ts';
import { utcDay, type AgentReplayState } from './replay.ts';
import type { ChannelView } from './schemas/action.ts';
import { DAY_S } from './time.ts';

/** Settings of the step: whose credentials count and the operator's local policy. */
export interface MgmtStepConfig {
  readonly trustedIssuers: ReadonlySet<string>;
  readonly policy: LocalPolicy;
  /** Memoised credential proof check (gate.ts `AuthFacts.proofCheck`). */
  readonly proofCheck?: AuthFacts['proofCheck'];
}

/** A verified, not yet settled payment as the step sees it: its kind, receipt reference and the driver's handle to settle it. */
export interface CheckedPayment {
  readonly kind: 'none' | 'cashu' | 'l402';
  readonly ref: string | null;
  readonly handle: unknown;
}

/** What one command's execution wrote (driver-defined store rows: changes, pending action, config). */
export interface ExecutedWrites {
  readonly config?: { readonly key: string; readonly value: number };
  readonly [row: string]: unknown;
}

/** Who a receipt is about, filled in as the request is understood. */
interface Attribution {
  readonly agent_did: string;
  readonly credential_id: string | null;
  readonly schema_id: string;
  readonly action: string | null;
  readonly params_hash: string;
  readonly nonce: bigint;
  readonly payment_ref: string | null;
  /** The agent's signature and credential verified: only then is the receipt stored. */
  readonly authenticated: boolean;
}

/** How the request ends: what the receipt and the 49153 response say. */
interface Outcome {
  readonly status: MgmtStatus;
  readonly receipt_status: ReceiptStatus;
  readonly result: Record<string, unknown>;
  readonly before: string;
  readonly after: string;
  readonly writes: Readonly<Record<string, unknown>>;
  readonly reject: MgmtReject | null;
}

/** The request in flight. */
interface Flight {
  readonly peer_id: string;
  /** Node config values at the request's start (`settings` table). */
  readonly config: Readonly<Record<string, number>>;
  /** 16 random bytes for the receipt id, drawn by the driver. */
  readonly receipt_id: string;
  readonly who: Attribution;
  /** Channels read for this request: undefined = not read yet, null = the read failed. */
  readonly channels?: ReadonlyMap<string, ChannelView> | null;
  readonly node_id: string;
  readonly pre?: Preflight;
  readonly keys?: { readonly agent: DidKeys; readonly issuer: DidKeys };
  readonly auth?: Authorized;
  readonly payment?: CheckedPayment;
  readonly executed?: { readonly result: Record<string, unknown>; readonly writes: ExecutedWrites };
  readonly payment_text?: string;
  /** Set once the request's end is known; the receipt is being signed. */
  readonly outcome?: Outcome;
  readonly receipt?: Receipt;
  readonly body?: { readonly request_nonce: bigint; readonly status: MgmtStatus; readonly result: string; readonly state_hash: Uint8Array; readonly receipt: string };
}

/** The managed node's state. */
export interface MgmtState {
  readonly config: MgmtStepConfig;
  readonly flight: Flight | null;
  /** Requests answered without a stored receipt (signature or credential never verified), by rule. */
  readonly refused_unauthenticated: ReadonlyMap<string, number>;
}

/** Store facts for authorization, read by the driver with the channels. */
export interface AuthStoreFacts {
  readonly revoked: boolean;
  readonly agent_state: AgentReplayState;
  readonly accepted_today: number;
  readonly has_credential: boolean;
  readonly has_baseline: boolean;
}

/** Inputs of {@link mgmtStep}. */
export type MgmtInput =
  /** `config`: the node's settings now; `receipt_id`: 16 random bytes; `node_id`: ours ('' when `getinfo` failed). */
  | { readonly kind: 'request'; readonly peer_id: string; readonly bytes: Uint8Array; readonly config: Readonly<Record<string, number>>; readonly receipt_id: Uint8Array; readonly node_id: string }
  | { readonly kind: 'did_resolved'; readonly agent: Result<DidKeys, string>; readonly issuer: Result<DidKeys, string> }
  /** `channels` null = `listpeerchannels` failed; `facts` absent when read only for a refusal's state hash. */
  | { readonly kind: 'channels_read'; readonly channels: ReadonlyMap<string, ChannelView> | null; readonly facts?: AuthStoreFacts }
  | { readonly kind: 'revenue_read'; readonly revenue_msat: number | null }
  | {
      readonly kind: 'payment_checked';
      readonly result: Result<CheckedPayment, { readonly reject: MgmtReject; readonly extra?: Record<string, unknown> }>;
      readonly fee_changes: readonly FeeChange[];
      readonly recent_changes: readonly RecentChange[];
    }
  | { readonly kind: 'executed'; readonly result: Result<{ readonly result: Record<string, unknown>; readonly writes: ExecutedWrites }, string> }
  | { readonly kind: 'settled'; readonly result: Result<void, MgmtReject> }
  /** After a mutating command: the channels as they are now (null = the read failed, the pre-command view counts). */
  | { readonly kind: 'channels_after'; readonly channels: ReadonlyMap<string, ChannelView> | null }
  /** The node key's signature (zbase32), or null when signing failed. */
  | { readonly kind: 'signed'; readonly zbase: string | null }
  /** The driver failed the request in flight (logged); the next request may start. */
  | { readonly kind: 'abandon' };

/** Effects of {@link mgmtStep}, run by the driver in order after committing `persist`. */
export type MgmtStepEffect =
  | { readonly kind: 'resolve_did'; readonly agent_did: string; readonly issuer_did: string }
  /** Read channels; with `credential`, also the store facts authorization needs (`AuthStoreFacts`). */
  | { readonly kind: 'read_channels'; readonly credential?: { readonly id: string; readonly agent_did: string; readonly day: number } }
  /** Routing revenue since `since` (performance baseline of a newly seen credential). */
  | { readonly kind: 'read_revenue'; readonly since: UnixSeconds }
  /** Verify the payment the credential requires, and read the fee and change history local policy needs. */
  | {
      readonly kind: 'check_payment';
      readonly auth: Authorized;
      readonly proof: string | null;
      readonly fee_history: { readonly scids: readonly string[]; readonly since: UnixSeconds };
      readonly recent_changes: { readonly targets: readonly string[]; readonly since: UnixSeconds };
    }
  | { readonly kind: 'execute'; readonly auth: Authorized; readonly channels: ReadonlyMap<string, ChannelView>; readonly config: Readonly<Record<string, number>> }
  | { readonly kind: 'settle'; readonly payment: CheckedPayment }
  | { readonly kind: 'read_channels_after' }
  | { readonly kind: 'sign'; readonly text: string }
  /** One store transaction: agent nonce state, credential, baseline, command writes, receipt. */
  | { readonly kind: 'persist'; readonly writes: MgmtWrites }
  /** The request is over: send the 49153 response (null = none: signing failed). */
  | { readonly kind: 'respond'; readonly peer_id: string; readonly response: Uint8Array | null };

/** What one step asks the store to write. */
export interface MgmtWrites {
  readonly agent?: { readonly did: string; readonly state: AgentReplayState };
  readonly credential?: VerifiedCredential;
  readonly baseline?: { readonly credential_id: string; readonly start: UnixSeconds; readonly revenue_msat: number };
  readonly countAction?: { readonly credential_id: string; readonly day: number };
  readonly receipt?: SignedReceipt;
  readonly [row: string]: unknown;
}

/** One step's result. `reject` names the refusal rule when the request was refused in this step. */
export interface MgmtStep {
  readonly state: MgmtState;
  readonly effects: readonly MgmtStepEffect[];
  readonly reject: MgmtReject | null;
}

/** A fresh managed node with no request in flight. */
export function initialMgmtState(config: MgmtStepConfig): MgmtState {
  return { config, flight: null, refused_unauthenticated: new Map() };
}

const hashOf = (channels: ReadonlyMap<string, ChannelView> | null | undefined, config: Readonly<Record<string, number>>): string =>
  toHex(stateHash((channels ?? new Map<string, ChannelView>()).values(), config));

function decodeZbase(zbase: string): Uint8Array | null {
  try {
    const b = zbase32.decode(zbase);
    return b.length === 65 ? b : null;
  } catch {
    return null;
  }
}

const step = (s: MgmtState, flight: Flight | null, effects: MgmtStepEffect[], r: MgmtReject | null = null): MgmtStep => ({ state: { ...s, flight }, effects, reject: r });

/** End with outcome `o`: sign the receipt (persisting `pre` first, when given). */
function finish(s: MgmtState, f: Flight, now_s: UnixSeconds, o: Outcome, pre: MgmtWrites | null): MgmtStep {
  const w = f.who;
  const receipt: Receipt = {
    receipt_id: f.receipt_id,
    node_id: f.node_id,
    agent_did: w.agent_did,
    credential_id: w.credential_id,
    schema_id: w.schema_id,
    action: w.action,
    params_hash: w.params_hash,
    payment_ref: w.payment_ref,
    status: o.receipt_status,
    layer: o.reject?.layer ?? null,
    rule: o.reject?.rule ?? null,
    result_hash: sha256Hex(JSON.stringify(o.result)),
    state_hash_before: o.before,
    state_hash_after: o.after,
    request_nonce: w.nonce.toString(),
    executed_at: now_s,
  };
  const effects: MgmtStepEffect[] = pre ? [{ kind: 'persist', writes: pre }] : [];
  effects.push({ kind: 'sign', text: receiptSignedText(receipt) });
  return step(s, { ...f, outcome: o, receipt }, effects);
}

/** Refuse with `r`: needs the channels for the state hash (read now when none were). */
function refuse(s: MgmtState, f: Flight, now_s: UnixSeconds, r: MgmtReject, extra: Record<string, unknown> = {}, pre: MgmtWrites | null = null): MgmtStep {
  const status: MgmtStatus = r.layer === 'execution' ? 2 : 1;
  const label = status === 2 ? 'error' : 'rejected';
  const outcome = (hash: string): Outcome => ({ status, receipt_status: label, result: { status: label, ...r, ...extra }, before: hash, after: hash, writes: {}, reject: r });
  if (f.channels === undefined) {
    const pending: Outcome = outcome('');
    const effects: MgmtStepEffect[] = pre ? [{ kind: 'persist', writes: pre }] : [];
    effects.push({ kind: 'read_channels' });
    return step(s, { ...f, outcome: pending }, effects, r);
  }
  return { ...finish(s, f, now_s, outcome(hashOf(f.channels, f.config)), pre), reject: r };
}

function onRequest(s: MgmtState, input: Extract<MgmtInput, { kind: 'request' }>, now_s: UnixSeconds): MgmtStep {
  const who: Attribution = { agent_did: `peer:${input.peer_id}`, credential_id: null, schema_id: '', action: null, params_hash: sha256Hex(''), nonce: 0n, payment_ref: null, authenticated: false };
  const f: Flight = { peer_id: input.peer_id, config: input.config, receipt_id: toHex(input.receipt_id), node_id: input.node_id, who };
  const decoded = decodeRequest(input.bytes);
  if (!decoded.ok) return refuse(s, f, now_s, reject('transport', 'malformed_message', JSON.stringify(decoded.error, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))));
  const req = decoded.value;
  const f2: Flight = { ...f, who: { ...who, schema_id: req.schema_type, params_hash: sha256Hex(req.schema_payload), nonce: req.nonce } };
  const pre = preflight(req, now_s);
  if (!pre.ok) return refuse(s, f2, now_s, pre.error);
  const cred = pre.value.credential;
  return step(s, { ...f2, pre: pre.value }, [{ kind: 'resolve_did', agent_did: cred.agent_did, issuer_did: cred.issuer }]);
}

function onResolved(s: MgmtState, f: Flight, input: Extract<MgmtInput, { kind: 'did_resolved' }>, now_s: UnixSeconds): MgmtStep {
  if (!input.agent.ok || !input.issuer.ok) {
    const detail = !input.agent.ok ? input.agent.error : !input.issuer.ok ? input.issuer.error : '';
    return refuse(s, f, now_s, reject('transport', 'unresolvable_did', detail));
  }
  const cred = f.pre!.credential;
  return step(s, { ...f, keys: { agent: input.agent.value, issuer: input.issuer.value } }, [
    { kind: 'read_channels', credential: { id: cred.id, agent_did: cred.agent_did, day: utcDay(now_s) } },
  ]);
}

function onChannels(s: MgmtState, f: Flight, input: Extract<MgmtInput, { kind: 'channels_read' }>, now_s: UnixSeconds): MgmtStep {
  if (f.outcome) {
    const hash = hashOf(input.channels, f.config);
    return finish(s, { ...f, channels: input.channels }, now_s, { ...f.outcome, before: hash, after: hash }, null);
  }
  const facts = input.facts!;
  const g: Flight = { ...f, channels: input.channels };
  if (!input.channels) return refuse(s, g, now_s, reject('execution', 'backend_error', 'listpeerchannels failed'));
  const pre = f.pre!;
  const cred = pre.credential;
  const outcome = authorize(pre, {
    agentKeys: f.keys!.agent,
    issuerKeys: f.keys!.issuer,
    trustedIssuers: s.config.trustedIssuers,
    nodeId: f.node_id,
    revoked: facts.revoked,
    agentState: facts.agent_state,
    acceptedToday: facts.accepted_today,
    channels: input.channels,
    now_s,
    ...(s.config.proofCheck ? { proofCheck: s.config.proofCheck } : {}),
  });
  const writes: { agent?: MgmtWrites['agent']; credential?: VerifiedCredential } = {};
  if (outcome.agentState) writes.agent = { did: cred.agent_did, state: outcome.agentState };
  const rule = outcome.verdict.ok ? null : outcome.verdict.error.rule;
  const attributed = rule !== 'bad_signature' && rule !== 'agent_mismatch' ? { agent_did: cred.agent_did, credential_id: cred.id } : {};
  const h: Flight = { ...g, who: { ...g.who, ...attributed, authenticated: outcome.credentialVerified } };
  const persist = writes.agent ? (writes as MgmtWrites) : null;
  if (!outcome.verdict.ok) return refuse(s, h, now_s, outcome.verdict.error, {}, persist);
  const auth = outcome.verdict.value;
  const i: Flight = { ...h, auth, who: { ...h.who, action: auth.action } };
  if (!facts.has_credential) writes.credential = auth.credential;
  const effects: MgmtStepEffect[] = Object.keys(writes).length ? [{ kind: 'persist', writes }] : [];
  if (!facts.has_baseline) effects.push({ kind: 'read_revenue', since: auth.credential.issued_at });
  else effects.push(checkPayment(s, i, now_s));
  return step(s, i, effects);
}

function checkPayment(s: MgmtState, f: Flight, now_s: UnixSeconds): MgmtStepEffect {
  const auth = f.auth!;
  return {
    kind: 'check_payment',
    auth,
    proof: f.pre!.req.payment_proof,
    fee_history: { scids: auth.def.channels(auth.params as never), since: now_s - DAY_S + 1 },
    recent_changes: { targets: policyCommand(auth).targets, since: now_s - s.config.policy.isolation_window_s + 1 },
  };
}

function onRevenue(s: MgmtState, f: Flight, input: Extract<MgmtInput, { kind: 'revenue_read' }>, now_s: UnixSeconds): MgmtStep {
  const c = f.auth!.credential;
  const effects: MgmtStepEffect[] = input.revenue_msat === null ? [] : [{ kind: 'persist', writes: { baseline: { credential_id: c.id, start: c.issued_at, revenue_msat: input.revenue_msat } } }];
  effects.push(checkPayment(s, f, now_s));
  return step(s, f, effects);
}

function onPayment(s: MgmtState, f: Flight, input: Extract<MgmtInput, { kind: 'payment_checked' }>, now_s: UnixSeconds): MgmtStep {
  if (!input.result.ok) return refuse(s, f, now_s, input.result.error.reject, input.result.error.extra ?? {});
  const payment = input.result.value;
  const auth = f.auth!;
  const g: Flight = { ...f, payment, who: { ...f.who, payment_ref: payment.ref } };
  const vetoed = checkLocalPolicy(s.config.policy, policyCommand(auth), { channels: f.channels!, feeChanges: input.fee_changes, recentChanges: input.recent_changes, now_s });
  if (vetoed) return refuse(s, g, now_s, vetoed);
  return step(s, g, [{ kind: 'execute', auth, channels: f.channels!, config: f.config }]);
}

function onExecuted(s: MgmtState, f: Flight, input: Extract<MgmtInput, { kind: 'executed' }>, now_s: UnixSeconds): MgmtStep {
  const before = hashOf(f.channels, f.config);
  if (!input.result.ok) {
    const unpaid = f.payment!.kind === 'none' ? 'none' : 'not_taken: the command did not execute, the payment stays with the advisor';
    const r = reject('execution', 'backend_error', input.result.error);
    const result = { status: 'error', layer: 'execution', rule: 'backend_error', detail: input.result.error, payment: unpaid };
    return finish(s, f, now_s, { status: 2, receipt_status: 'error', result, before, after: before, writes: {}, reject: r }, null);
  }
  return step(s, { ...f, executed: input.result.value }, [{ kind: 'settle', payment: f.payment! }]);
}

function accepted(s: MgmtState, f: Flight, now_s: UnixSeconds, after: ReadonlyMap<string, ChannelView> | null): MgmtStep {
  const auth = f.auth!;
  const ran = f.executed!;
  const config = ran.writes.config ? { ...f.config, [ran.writes.config.key]: ran.writes.config.value } : f.config;
  const before = hashOf(f.channels, f.config);
  const afterHash = hashOf(after ?? f.channels, config);
  const result = { status: 'accepted', schema: auth.schema_id, action: auth.action, result: ran.result, payment: f.payment_text! };
  const writes = { ...ran.writes, countAction: { credential_id: auth.credential.id, day: utcDay(now_s) } };
  return finish(s, f, now_s, { status: 0, receipt_status: 'accepted', result, before, after: afterHash, writes, reject: null }, null);
}

function onSettled(s: MgmtState, f: Flight, input: Extract<MgmtInput, { kind: 'settled' }>, now_s: UnixSeconds): MgmtStep {
  const payment_text = f.payment!.kind === 'none' ? 'none' : input.result.ok ? 'taken' : `not_taken: ${input.result.error.detail}`;
  const g: Flight = { ...f, payment_text };
  if (f.auth!.def.mutates) return step(s, g, [{ kind: 'read_channels_after' }]);
  return accepted(s, g, now_s, null);
}

function onSigned(s: MgmtState, f: Flight, input: Extract<MgmtInput, { kind: 'signed' }>): MgmtStep {
  const o = f.outcome!;
  if (!f.body) {
    if (input.zbase === null) return step(s, null, [{ kind: 'persist', writes: o.writes }, { kind: 'respond', peer_id: f.peer_id, response: null }]);
    const signed = signReceipt(f.receipt!, input.zbase);
    const body = { request_nonce: f.who.nonce, status: o.status, result: JSON.stringify(o.result), state_hash: fromHex(o.after)!, receipt: JSON.stringify(signed) };
    let refused = s.refused_unauthenticated;
    let writes: MgmtWrites = o.writes;
    if (f.who.authenticated) writes = { ...o.writes, receipt: signed };
    else {
      const rule = o.reject?.rule ?? 'unauthenticated';
      refused = new Map(refused).set(rule, (refused.get(rule) ?? 0) + 1);
    }
    return { state: { ...s, refused_unauthenticated: refused, flight: { ...f, body } }, effects: [{ kind: 'persist', writes }, { kind: 'sign', text: responseSignedText(body) }], reject: null };
  }
  const sig = input.zbase === null ? null : decodeZbase(input.zbase);
  return step(s, null, [{ kind: 'respond', peer_id: f.peer_id, response: sig ? encodeResponse({ ...f.body, signature: sig }) : null }]);
}

/**
 * Advance the managed node by one input at `now_s`.
 * @returns the next state, the effects to run (at most one `persist`, first), and the refusal this
 *   step decided (null when none). `abandon` drops the request in flight (the driver failed it).
 * @throws Error when the input does not fit the flight (a `request` while one is in flight, any
 *   other input with none): a driver bug, not peer input; nothing changed.
 */
export function mgmtStep(s: MgmtState, input: MgmtInput, now_s: UnixSeconds): MgmtStep {
  const f = s.flight;
  if (input.kind === 'abandon') return step(s, null, []);
  if (input.kind === 'request') {
    if (f) throw new Error('mgmtStep: a request is already in flight');
    return onRequest(s, input, now_s);
  }
  if (!f) throw new Error(`mgmtStep: ${input.kind} with no request in flight`);
  switch (input.kind) {
    case 'did_resolved':
      return onResolved(s, f, input, now_s);
    case 'channels_read':
      return onChannels(s, f, input, now_s);
    case 'revenue_read':
      return onRevenue(s, f, input, now_s);
    case 'payment_checked':
      return onPayment(s, f, input, now_s);
    case 'executed':
      return onExecuted(s, f, input, now_s);
    case 'settled':
      return onSettled(s, f, input, now_s);
    case 'channels_after':
      return accepted(s, f, now_s, input.channels);
    case 'signed':
      return onSigned(s, f, input);
  }
}
