/**
 * The operator's decisions on the one queue of pending actions (action-queue.ts), for the daemon's
 * planner (planner-loop.ts): every pending action is decided by one id, planner or fleet; a fleet
 * intent action that belongs to a planner channel open is that same action.
 *
 * Channel opens travel through the Intent Lock Protocol as an `OpenHandoff` kept in the planner
 * record: approval approves the intent's own fleet action (queued after the 60 s hold; a decision
 * made during the hold waits for it), or, with no intent left, announces a pre-approved one
 * (`propose_intent … approved: true`); the fleet commits after the hold and `executeIntent` funds
 * the channel with `fundchannel` (the operator's amount). Rejection starts the planner's 24 h
 * backoff and aborts the intent (INTENT_ABORT). A decision made directly on the fleet action
 * elsewhere (`hivebox approve --store`) is mirrored into the planner. Other approvals become their
 * effect (CLBoss command; push rebalance or splice carried out through lightningd, its outcome recorded).
 *
 * Each change is read → computed → persisted → adopted before anything is awaited, so decisions
 * and cycles never overwrite each other. Errors change nothing and come back as values.
 */
import type { ActionRow, IntentType, FleetCommand, FleetInput } from '../../core/fleet/index.ts';
import { localPending } from '../../core/machines/intent-lock.ts';
import { actionTarget, decideAction, type ActionDecision, type ActionDecisionError, type PendingAction } from '../../core/planner/actions.ts';
import type { PlannerEffect } from '../../core/planner/effects.ts';
import { err, ok, type Result } from '../../core/result.ts';
import { latestOpenIntent, pendingOpenAction, resolveAction } from './action-queue.ts';
import type { PlannerHost } from './planner-loop.ts';
import { appendBounded, DECIDED_HISTORY, type DecidedAction, type OpenHandoff, type PlannerRecord } from './planner-record.ts';

/** An operator decision. `amount_sat` may lower a channel, push or splice amount. */
export interface OperatorDecision {
  readonly action_id: string;
  readonly decision: 'approve' | 'reject';
  readonly reason?: string;
  readonly amount_sat?: number;
}

/** What a decision did. */
export interface DecisionOutcome {
  readonly action_id: string;
  readonly decision: 'approve' | 'reject';
  readonly kind: string;
  readonly target: string | null;
  /** What happens next, in words ("intent … approved; it commits after its hold …", "backoff until …"). */
  readonly outcome: string;
}

/** Why a decision was refused (nothing changed). */
export type DecisionError =
  | { readonly kind: 'unknown_action'; readonly action_id: string }
  | { readonly kind: 'action_not_pending'; readonly action_id: string; readonly status: string }
  | { readonly kind: 'bad_amount'; readonly action_id: string; readonly reason: string }
  | { readonly kind: 'refused'; readonly action_id: string; readonly reason: string }
  | { readonly kind: 'store_failed'; readonly reason: string };

/** How the decisions reach the planner's record. */
export interface RecordKeeper {
  /** The current record. */
  record(): PlannerRecord;
  /** Persist, then adopt; false (record unchanged) when the store refused. */
  commit(next: PlannerRecord): boolean;
  /** Carry out an approved action's effect (CLBoss command, liquidity move); resolves to what it did, in words, when that matters to the operator. */
  carryOut(e: PlannerEffect): Promise<string | null>;
}

/** Step the fleet with `input`; the reject reason (or store error) as text, null when accepted. */
export async function fleetInput(host: PlannerHost, input: FleetInput): Promise<string | null> {
  const r = await host.step(input);
  if (!r.ok) return `store: ${r.error.kind}`;
  return r.value === null ? null : r.value.reason;
}

/** Run a fleet command; see {@link fleetInput}. */
export function fleetCommand(host: PlannerHost, command: FleetCommand): Promise<string | null> {
  return fleetInput(host, { kind: 'command', command });
}

/** The operator's decisions and the channel opens on their way through the fleet. */
export class OperatorDecisions {
  constructor(
    private readonly host: PlannerHost,
    private readonly keeper: RecordKeeper,
    private readonly rejectionBackoffS: number,
  ) {}

  /**
   * Approve or reject any pending action by its id (planner or fleet; a fleet intent action that
   * belongs to a planner channel open is the same action). Nothing changes on an error.
   */
  async decide(d: OperatorDecision): Promise<Result<DecisionOutcome, DecisionError>> {
    const now = this.host.now();
    const record = this.keeper.record();
    const resolved = resolveAction(record, this.host.state().fleet.tables, d.action_id);
    if (!resolved) {
      const past = record.decided.findLast((x) => x.action_id === d.action_id);
      return err(past ? { kind: 'action_not_pending', action_id: d.action_id, status: past.status } : { kind: 'unknown_action', action_id: d.action_id });
    }
    if (resolved.source === 'fleet') return this.decideFleet(resolved.row, d, now);
    const a = resolved.action;
    const asked: ActionDecision =
      d.decision === 'approve' ? { decision: 'approve', action_id: a.action_id, ...(d.amount_sat === undefined ? {} : { amount_sat: d.amount_sat }) } : { decision: 'reject', action_id: a.action_id, reason: d.reason ?? '' };
    const r = decideAction(record.planner, asked, now);
    if (!r.ok) return err(decisionError(r.error));
    const p = a.proposal;
    const target = actionTarget(p);
    let next = withDecided({ ...record, planner: r.value.state }, historyOf(a, d.decision === 'approve' ? 'approved' : 'rejected', now, d.reason ?? ''));
    if (p.kind === 'channel_open') next = withHandoff(next, p.target, { action_id: a.action_id, decision: d.decision, amount_sat: d.amount_sat ?? p.amount_sat, decided_at: now, stage: 'waiting' });
    if (!this.keeper.commit(next)) return err({ kind: 'store_failed', reason: 'the planner record could not be written' });
    this.host.emit({ kind: 'fleet_event', name: d.decision === 'approve' ? 'action_approved' : 'action_rejected', fields: { action_id: a.action_id, kind: p.kind, ...(target ? { target } : {}) } });
    let outcome = d.decision === 'reject' && target ? `rejected; ${target.slice(0, 16)}… is not proposed again before ${now + this.rejectionBackoffS}` : `${d.decision}d`;
    if (p.kind === 'channel_open') outcome = `${outcome}; ${await this.settleOpen(p.target)}`;
    else {
      for (const e of r.value.effects) {
        const did = await this.keeper.carryOut(e);
        if (did !== null) outcome = `${outcome}; ${did}`;
      }
    }
    return ok({ action_id: a.action_id, decision: d.decision, kind: p.kind, target, outcome });
  }

  /** A fleet action no planner action owns: the fleet's own operator decision. */
  private async decideFleet(row: ActionRow, d: OperatorDecision, now: number): Promise<Result<DecisionOutcome, DecisionError>> {
    if (row.status !== 'pending') return err({ kind: 'action_not_pending', action_id: row.action_id, status: row.status });
    if (now >= row.expires_at) return err({ kind: 'action_not_pending', action_id: row.action_id, status: 'expired' });
    if (d.amount_sat !== undefined) return err({ kind: 'bad_amount', action_id: row.action_id, reason: 'a fleet intent action keeps the amount it was announced with' });
    const refused = await fleetInput(this.host, { kind: 'operator_decision', action_id: row.action_id, decision: d.decision, reason: d.reason ?? '' });
    if (refused !== null) return err({ kind: 'refused', action_id: row.action_id, reason: refused });
    return ok({ action_id: row.action_id, decision: d.decision, kind: row.intent_type, target: row.target, outcome: `${d.decision}d by the fleet (intent ${row.intent_id})` });
  }

  /**
   * Move the operator's channel-open decision on `target` into the Intent Lock Protocol.
   * @returns what happened, in words.
   */
  private async settleOpen(target: string): Promise<string> {
    const h = this.keeper.record().handoffs[target];
    if (!h) return 'nothing to do';
    const fleet = this.host.state().fleet;
    const action = pendingOpenAction(fleet.tables, target);
    if (action) {
      const refused = await fleetInput(this.host, { kind: 'operator_decision', action_id: action.action_id, decision: h.decision, reason: `planner ${h.action_id}` });
      if (refused !== null) return this.dropHandoff(target, `the fleet refused the ${h.decision}: ${refused}`);
      if (h.decision === 'reject') return this.dropHandoff(target, `intent ${action.intent_id} aborted`);
      this.keeper.commit(withHandoff(this.keeper.record(), target, { ...h, stage: 'handed' }));
      return `intent ${action.intent_id} approved; it commits after its hold and the channel is funded`;
    }
    if (localPending(fleet, 'channel_open', target, this.host.now())) return `intent on hold; the ${h.decision} is applied when its hold ends`;
    if (h.decision === 'reject') return this.dropHandoff(target, 'no intent left to abort');
    if (h.stage === 'handed') {
      const intent = latestOpenIntent(fleet.tables, target);
      if (intent && intent.status !== 'pending' && intent.status !== 'committed' && intent.updated_at >= h.decided_at) return this.dropHandoff(target, `intent ${intent.intent_id} ended ${intent.status}`);
      return 'handed to the fleet';
    }
    const refused = await fleetCommand(this.host, { name: 'propose_intent', intent_type: 'channel_open', target, amount_sats: h.amount_sat, source: 'operator', approved: true });
    if (refused !== null) return this.dropHandoff(target, `the fleet refused the intent: ${refused}`);
    this.keeper.commit(withHandoff(this.keeper.record(), target, { ...h, stage: 'handed' }));
    return 'pre-approved intent announced; it commits after its hold and the channel is funded';
  }

  /**
   * Each tick: carry waiting channel-open decisions into the fleet, and mirror into the planner
   * what the operator decided on a linked fleet action elsewhere (`hivebox approve --store`).
   */
  async followFleet(): Promise<void> {
    const tables = this.host.state().fleet.tables;
    for (const a of this.keeper.record().planner.pending) {
      const p = a.proposal;
      if (p.kind !== 'channel_open' || pendingOpenAction(tables, p.target)) continue;
      const decided = [...tables.actions.values()].find(
        (r) => r.intent_type === 'channel_open' && r.target === p.target && r.decided_at !== null && r.decided_at >= a.created_at && (r.status === 'approved' || r.status === 'rejected'),
      );
      if (!decided) continue;
      const decision = decided.status === 'approved' ? 'approve' : 'reject';
      const record = this.keeper.record();
      const r = decideAction(record.planner, { decision, action_id: a.action_id }, this.host.now());
      if (!r.ok) continue;
      let next = withDecided({ ...record, planner: r.value.state }, historyOf(a, decision === 'approve' ? 'approved' : 'rejected', decided.decided_at!, `decided on fleet action ${decided.action_id}`));
      if (decision === 'approve') next = withHandoff(next, p.target, { action_id: a.action_id, decision, amount_sat: p.amount_sat, decided_at: decided.decided_at!, stage: 'handed' });
      this.keeper.commit(next);
    }
    for (const target of Object.keys(this.keeper.record().handoffs)) await this.settleOpen(target);
  }

  /**
   * Carry out a committed intent of ours (the engine's `execute_intent`): channel opens are funded
   * with `fundchannel` (the operator's approved amount, else the intent's), then the outcome goes
   * back to the fleet as `intent_result`. Other intent types are not executed by this node.
   */
  async executeIntent(e: { readonly intent_id: string; readonly intent_type: IntentType; readonly target: string; readonly amount_sats: number | null }): Promise<void> {
    if (e.intent_type !== 'channel_open') {
      this.host.log('warn', 'intent_not_executed', { intent_id: e.intent_id, intent_type: e.intent_type, target: e.target });
      await fleetInput(this.host, { kind: 'intent_result', intent_id: e.intent_id, ok: false, detail: `${e.intent_type} is not carried out by this node` });
      return;
    }
    const h = this.keeper.record().handoffs[e.target];
    const amount = h?.decision === 'approve' ? h.amount_sat : e.amount_sats;
    if (amount === null) {
      await fleetInput(this.host, { kind: 'intent_result', intent_id: e.intent_id, ok: false, detail: 'no channel amount' });
      return;
    }
    const r = await this.host.backend.fundchannel({ id: e.target, amount_sat: amount, announce: true });
    const detail = r.ok ? `funded ${amount} sat, txid ${r.value.txid}` : `fundchannel failed: ${r.error.code} ${r.error.message}`;
    this.host.log(r.ok ? 'info' : 'warn', 'planner_fundchannel', { intent_id: e.intent_id, target: e.target, amount_sat: amount, ...(r.ok ? { txid: r.value.txid, channel_id: r.value.channel_id } : { error: r.error.message }) });
    this.host.emit({ kind: 'fleet_event', name: r.ok ? 'channel_open_funded' : 'channel_open_failed', fields: { intent_id: e.intent_id, target: e.target, amount_sat: amount, ...(r.ok ? { txid: r.value.txid } : { error: r.error.message }) } });
    const record = this.keeper.record();
    const { [e.target]: _done, ...handoffs } = record.handoffs;
    const entry: DecidedAction = { action_id: h?.action_id ?? e.intent_id, kind: 'channel_open', target: e.target, amount_sats: amount, status: r.ok ? 'executed' : 'failed', decided_at: this.host.now(), reason: detail };
    this.keeper.commit(withDecided({ ...record, handoffs }, entry));
    await fleetInput(this.host, { kind: 'intent_result', intent_id: e.intent_id, ok: r.ok, detail });
  }

  private dropHandoff(target: string, why: string): string {
    const record = this.keeper.record();
    const { [target]: _gone, ...handoffs } = record.handoffs;
    this.keeper.commit({ ...record, handoffs });
    return why;
  }
}

function decisionError(e: ActionDecisionError): DecisionError {
  switch (e.kind) {
    case 'UnknownAction':
      return { kind: 'unknown_action', action_id: e.action_id };
    case 'ActionExpired':
      return { kind: 'action_not_pending', action_id: e.action_id, status: 'expired' };
    case 'BadAmount':
      return { kind: 'bad_amount', action_id: e.action_id, reason: e.reason };
  }
}

/** The history entry of a decided (or expired) planner action. */
export function historyOf(a: PendingAction, status: DecidedAction['status'], at: number, reason: string): DecidedAction {
  const p = a.proposal;
  return { action_id: a.action_id, kind: p.kind, target: actionTarget(p), amount_sats: 'amount_sat' in p ? p.amount_sat : null, status, decided_at: at, reason, proposal: p };
}

/** `r` with `d` appended to its bounded decision history. */
export function withDecided(r: PlannerRecord, d: DecidedAction): PlannerRecord {
  return { ...r, decided: appendBounded(r.decided, d, DECIDED_HISTORY) };
}

function withHandoff(r: PlannerRecord, target: string, h: OpenHandoff): PlannerRecord {
  return { ...r, handoffs: { ...r.handoffs, [target]: h } };
}
