/**
 * The planner inside the daemon (issue 7; spec 003): on its timer — never more often than every
 * max(planner_interval_s, 300) s, the pure scheduler decides, plus a random delay of up to
 * `jitter_max_s` drawn from the injected randomness as cl-hive does — it reads its inputs from
 * lightningd and the fleet state (planner-inputs.ts), runs `runCycle`, persists the record
 * (services/store/planner-store.ts) and only then carries out the effects:
 *
 * - `intent_request` → fleet `propose_intent` (source planner): the target is announced and
 *   locked through the Intent Lock Protocol; after the hold the fleet queues the intent's action,
 *   which the operator queue shows as part of the planner's action (action-queue.ts);
 * - `clboss_command` → `clboss-unmanage|clboss-manage <peer> lnfee` through lightningd, only when
 *   CLBoss is loaded (`plugin list`); without CLBoss the cycle logs the guard instead. Upstream
 *   CLBoss has no `clboss-ignore`: the planner cannot stop CLBoss's own channel opens;
 * - `event` → engine events (`mass_saturation_detected`, `action_proposed`, `action_expired`).
 *
 * The operator's decisions (`decide`) cover every pending action with one id space (planner ids
 * and fleet intent-action ids). Approving a channel open hands it to the fleet — the intent's own
 * action is approved, or a pre-approved intent is announced (`propose_intent … approved: true`)
 * when none is left — and the committed intent is funded here (`executeIntent` → `fundchannel`).
 * Rejecting starts the 24 h backoff and aborts the intent. Liquidity approvals (push rebalance,
 * splice) are recorded with their numbers for the operator to carry out.
 *
 * State changes follow the engine's rule: read the record, compute, persist, adopt, then act;
 * every step between awaits is synchronous, so cycles and decisions never overwrite each other.
 */
import type { FleetCommand, FleetInput } from '../core/fleet/types.ts';
import type { HiveNodeInput, HiveNodeState } from '../core/fleet/hive-node.ts';
import type { ActionRow, IntentType } from '../core/fleet/tables.ts';
import type { Graph } from '../core/graph/graph.ts';
import { localPending } from '../core/machines/intent-lock.ts';
import { actionTarget, decideAction, type ActionDecision, type ActionDecisionError, type PendingAction } from '../core/planner/actions.ts';
import type { PlannerConfig } from '../core/planner/config.ts';
import { runCycle } from '../core/planner/cycle.ts';
import { explain, type Explanation } from '../core/planner/decision-log.ts';
import type { PlannerEffect } from '../core/planner/effects.ts';
import { effectiveIntervalS, nextRunAt } from '../core/planner/schedule.ts';
import type { NodeBackend } from '../core/ports.ts';
import { err, ok, type Result } from '../core/result.ts';
import type { LogFn } from '../daemon/engine.ts';
import type { PlannerStore } from '../../services/store/planner-store.ts';
import { actionQueue, latestOpenIntent, pendingOpenAction, resolveAction, type ActionView } from './action-queue.ts';
import type { EngineEvent } from './events.ts';
import { gatherCycleInput } from './planner-inputs.ts';
import {
  appendBounded,
  DECIDED_HISTORY,
  INITIAL_PLANNER_RECORD,
  parsePlannerRecord,
  PLANNER_RECORD_FORMAT,
  SATURATION_EVENT_HISTORY,
  type DecidedAction,
  type OpenHandoff,
  type PlannerRecord,
} from './planner-record.ts';
import { plannerConfigOf, type PlannerSettings } from './planner-settings.ts';
import { plannerStatus, type PlannerStatus } from './planner-status.ts';
import type { RandomSource } from './random.ts';

/** What the loop needs from the engine. */
export interface PlannerHost {
  readonly backend: NodeBackend;
  readonly random: RandomSource;
  readonly log: LogFn;
  now(): number;
  state(): HiveNodeState;
  /** Run one input through the node's step (commit, adopt, effects); resolves to the reject, or null. */
  step(input: HiveNodeInput): Promise<Result<{ readonly reason: string } | null, { readonly kind: string }>>;
  emit(event: EngineEvent): void;
  /** Align the fleet machines' copy of the planner settings (expansions switch, interval). */
  configureFleet(patch: { readonly planner_enable_expansions: boolean; readonly planner_interval_s: number }): void;
}

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
  /** What happens next, in words ("intent committed; funding 5,000,000 sat", "backoff until …"). */
  readonly outcome: string;
}

/** Why a decision was refused (nothing changed). */
export type DecisionError =
  | { readonly kind: 'unknown_action'; readonly action_id: string }
  | { readonly kind: 'action_not_pending'; readonly action_id: string; readonly status: string }
  | { readonly kind: 'bad_amount'; readonly action_id: string; readonly reason: string }
  | { readonly kind: 'refused'; readonly action_id: string; readonly reason: string }
  | { readonly kind: 'store_failed'; readonly reason: string };

/** The daemon's planner. Build one per engine; call `tick` from the engine's tick. */
export class PlannerLoop {
  private record: PlannerRecord;
  private readonly base: PlannerConfig;
  private readonly startedAt: number;
  private failedAt: number | null = null;
  private lastGraph: Graph | null = null;
  private lastClboss = false;
  private degraded: readonly string[] = [];
  private cycling = false;

  constructor(
    private readonly host: PlannerHost,
    private readonly store: PlannerStore,
    readonly settings: PlannerSettings,
  ) {
    this.base = plannerConfigOf(settings);
    const stored = store.load();
    const parsed = stored ? parsePlannerRecord(stored.format, stored.record) : null;
    if (stored && !parsed) host.log('warn', 'planner_record_discarded', { format: stored.format, updated_at: stored.updated_at });
    this.record = parsed ?? INITIAL_PLANNER_RECORD;
    this.startedAt = host.now();
    this.syncFleet();
  }

  /** The effective configuration (the operator's expansions switch applied). */
  config(): PlannerConfig {
    return { ...this.base, planner_enable_expansions: this.record.expansions_enabled ?? this.base.planner_enable_expansions };
  }

  /** The current record (read-only view for status and tests). */
  get current(): PlannerRecord {
    return this.record;
  }

  /** When the next cycle may start (unix s): the floor-respecting interval plus the drawn jitter. */
  nextRunAt(): number {
    const last = this.record.planner.last_cycle_at;
    const due = last === null ? this.startedAt + this.settings.first_cycle_delay_s : nextRunAt(last, this.base.planner_interval_s) + this.record.next_jitter_s;
    return this.failedAt === null ? due : Math.max(due, this.failedAt + this.settings.retry_after_failure_s);
  }

  /**
   * The engine's tick: apply decisions from the offline inbox, move channel-open decisions along
   * the Intent Lock Protocol, then run a cycle when one is due.
   */
  async tick(): Promise<void> {
    for (const d of this.store.takeDecisions()) {
      const r = await this.decide({ action_id: d.action_id, decision: d.decision, reason: d.reason, ...(d.amount_sat === null ? {} : { amount_sat: d.amount_sat }) });
      this.host.log(r.ok ? 'info' : 'warn', 'planner_inbox_decision', { action_id: d.action_id, decision: d.decision, ...(r.ok ? { outcome: r.value.outcome } : { error: r.error.kind }) });
    }
    await this.followFleet();
    const fleet = this.host.state().fleet;
    if (!fleet.membership.hive || this.cycling || this.host.now() < this.nextRunAt()) return;
    this.cycling = true;
    try {
      await this.cycle();
    } finally {
      this.cycling = false;
    }
  }

  // ---- the cycle ------------------------------------------------------------------------------

  private async cycle(): Promise<void> {
    const now = this.host.now();
    const cfg = this.config();
    const t0 = performance.now();
    const gathered = await gatherCycleInput(this.host.backend, this.host.state().fleet, cfg, now, this.settings.health_window_s);
    const gatherMs = performance.now() - t0;
    if (!gathered.ok) {
      this.failedAt = now;
      const error = `${gathered.error.call}: ${gathered.error.message}`;
      this.host.log('warn', 'planner_inputs_unavailable', { error });
      this.commit({ ...this.record, last_cycle: { at: now, cycle_id: null, outcome: 'inputs_unavailable', gather_ms: gatherMs, cycle_ms: 0, error } });
      return;
    }
    this.failedAt = null;
    this.degraded = gathered.value.degraded;
    const t1 = performance.now();
    const r = runCycle(this.record.planner, gathered.value.input, cfg, now);
    const cycleMs = performance.now() - t1;
    if (!r.ok) {
      const error = r.error.kind === 'BadCycleInput' ? `${r.error.field}: ${r.error.reason}` : `too soon, next at ${r.error.next_run_at}`;
      this.host.log('error', 'planner_cycle_refused', { error });
      this.commit({ ...this.record, last_cycle: { at: now, cycle_id: null, outcome: 'bad_input', gather_ms: gatherMs, cycle_ms: cycleMs, error } });
      return;
    }
    const { state, effects, log } = r.value;
    let next: PlannerRecord = {
      ...this.record,
      planner: state,
      last_cycle: { at: now, cycle_id: log.cycle_id, outcome: log.outcome, gather_ms: gatherMs, cycle_ms: cycleMs },
      next_jitter_s: this.drawJitter(),
    };
    const expired = new Set(this.record.planner.pending.map((a) => a.action_id).filter((id) => !state.pending.some((a) => a.action_id === id)));
    for (const a of this.record.planner.pending) if (expired.has(a.action_id)) next = withDecided(next, historyOf(a, 'expired', now, 'not decided in time'));
    if (log.outcome === 'aborted_mass_saturation') {
      next = { ...next, saturation_events: appendBounded(next.saturation_events, { at: now, cycle_id: log.cycle_id, new_saturated: log.counts.new_saturated, limit: cfg.saturation_abort_above_new_targets }, SATURATION_EVENT_HISTORY) };
    }
    if (!this.commit(next)) return;
    this.lastGraph = gathered.value.input.graph;
    this.lastClboss = gathered.value.input.clboss_present;
    this.host.log('info', 'planner_cycle', { cycle_id: log.cycle_id, outcome: log.outcome, ...log.counts, gather_ms: Math.round(gatherMs), cycle_ms: Math.round(cycleMs), degraded: this.degraded });
    this.host.emit({ kind: 'fleet_event', name: 'planner_cycle', fields: { cycle_id: log.cycle_id, outcome: log.outcome, ...log.counts } });
    for (const e of effects) await this.carryOut(e);
  }

  private drawJitter(): number {
    const b = this.host.random(2);
    return ((b[0]! << 8) | b[1]!) % (this.settings.jitter_max_s + 1);
  }

  private async carryOut(e: PlannerEffect): Promise<void> {
    switch (e.type) {
      case 'event':
        this.host.emit({ kind: 'fleet_event', name: e.name, fields: e.fields });
        return;
      case 'intent_request': {
        const r = await this.fleetCommand({ name: 'propose_intent', intent_type: e.intent_type, target: e.target, amount_sats: e.amount_sat, source: 'planner' });
        this.host.log(r === null ? 'info' : 'warn', 'planner_intent_request', { action_id: e.action_id, target: e.target, amount_sat: e.amount_sat, ...(r === null ? {} : { refused: r }) });
        return;
      }
      case 'clboss_command': {
        const r = await this.host.backend.call(e.command, { nodeid: e.peer_id, tags: e.tags });
        this.host.log(r.ok ? 'info' : 'warn', 'planner_clboss_command', { command: e.command, peer_id: e.peer_id, ...(r.ok ? {} : { error: r.error.message }) });
        return;
      }
      case 'open_channel':
        return;
      case 'rebalance':
      case 'splice':
        this.host.log('info', 'planner_liquidity_approved', { action_id: e.action_id, ...e.proposal });
        this.host.emit({ kind: 'fleet_event', name: `${e.type}_approved`, fields: { action_id: e.action_id, amount_sat: e.proposal.amount_sat } });
        return;
    }
  }

  // ---- operator decisions ---------------------------------------------------------------------

  /** The one queue of pending actions (planner and fleet), `all` adds decided ones. */
  actions(all = false): ActionView[] {
    return actionQueue(this.record, this.host.state().fleet.tables, { all });
  }

  /**
   * Approve or reject any pending action by its id (planner or fleet; a fleet intent action that
   * belongs to a planner channel open is the same action). Nothing changes on an error.
   */
  async decide(d: OperatorDecision): Promise<Result<DecisionOutcome, DecisionError>> {
    const now = this.host.now();
    const resolved = resolveAction(this.record, this.host.state().fleet.tables, d.action_id);
    if (!resolved) {
      const past = this.record.decided.findLast((x) => x.action_id === d.action_id);
      return err(past ? { kind: 'action_not_pending', action_id: d.action_id, status: past.status } : { kind: 'unknown_action', action_id: d.action_id });
    }
    if (resolved.source === 'fleet') return this.decideFleet(resolved.row, d, now);
    const a = resolved.action;
    const asked: ActionDecision =
      d.decision === 'approve' ? { decision: 'approve', action_id: a.action_id, ...(d.amount_sat === undefined ? {} : { amount_sat: d.amount_sat }) } : { decision: 'reject', action_id: a.action_id, reason: d.reason ?? '' };
    const r = decideAction(this.record.planner, asked, now);
    if (!r.ok) return err(decisionError(r.error));
    const p = a.proposal;
    const target = actionTarget(p);
    const amount = d.amount_sat ?? ('amount_sat' in p ? p.amount_sat : null);
    let next: PlannerRecord = withDecided({ ...this.record, planner: r.value.state }, historyOf(a, d.decision === 'approve' ? 'approved' : 'rejected', now, d.reason ?? ''));
    if (p.kind === 'channel_open') next = { ...next, handoffs: { ...next.handoffs, [p.target]: { action_id: a.action_id, decision: d.decision, amount_sat: amount ?? p.amount_sat, decided_at: now, stage: 'waiting' } } };
    if (!this.commit(next)) return err({ kind: 'store_failed', reason: 'the planner record could not be written' });
    this.host.emit({ kind: 'fleet_event', name: d.decision === 'approve' ? 'action_approved' : 'action_rejected', fields: { action_id: a.action_id, kind: p.kind, ...(target ? { target } : {}) } });
    let outcome = d.decision === 'reject' && target ? `rejected; ${target.slice(0, 16)}… is not proposed again before ${now + this.base.rejection_backoff_s}` : `${d.decision}d`;
    if (p.kind === 'channel_open') outcome = `${outcome}; ${await this.settleOpen(p.target)}`;
    else for (const e of r.value.effects) await this.carryOut(e);
    return ok({ action_id: a.action_id, decision: d.decision, kind: p.kind, target, outcome });
  }

  /** A fleet action no planner action owns: the fleet's own operator decision. */
  private async decideFleet(row: ActionRow, d: OperatorDecision, now: number): Promise<Result<DecisionOutcome, DecisionError>> {
    if (row.status !== 'pending') return err({ kind: 'action_not_pending', action_id: row.action_id, status: row.status });
    if (now >= row.expires_at) return err({ kind: 'action_not_pending', action_id: row.action_id, status: 'expired' });
    if (d.amount_sat !== undefined) return err({ kind: 'bad_amount', action_id: row.action_id, reason: 'a fleet intent action keeps the amount it was announced with' });
    const refused = await this.fleetInput({ kind: 'operator_decision', action_id: row.action_id, decision: d.decision, reason: d.reason ?? '' });
    if (refused !== null) return err({ kind: 'refused', action_id: row.action_id, reason: refused });
    return ok({ action_id: row.action_id, decision: d.decision, kind: row.intent_type, target: row.target, outcome: `${d.decision}d by the fleet (intent ${row.intent_id})` });
  }

  /**
   * Move the operator's channel-open decision on `target` into the Intent Lock Protocol.
   * @returns what happened, in words.
   */
  private async settleOpen(target: string): Promise<string> {
    const h = this.record.handoffs[target];
    if (!h) return 'nothing to do';
    const fleet = this.host.state().fleet;
    const now = this.host.now();
    const action = pendingOpenAction(fleet.tables, target);
    if (action) {
      const refused = await this.fleetInput({ kind: 'operator_decision', action_id: action.action_id, decision: h.decision, reason: `planner ${h.action_id}` });
      if (refused !== null) return this.dropHandoff(target, `the fleet refused the ${h.decision}: ${refused}`);
      if (h.decision === 'reject') return this.dropHandoff(target, `intent ${action.intent_id} aborted`);
      this.setHandoff(target, { ...h, stage: 'handed' });
      return `intent ${action.intent_id} approved; it commits after its hold and the channel is funded`;
    }
    if (localPending(fleet, 'channel_open', target, now)) return `intent on hold; the ${h.decision} is applied when its hold ends`;
    if (h.decision === 'reject') return this.dropHandoff(target, 'no intent left to abort');
    if (h.stage === 'handed') {
      const intent = latestOpenIntent(fleet.tables, target);
      if (intent && intent.status !== 'pending' && intent.status !== 'committed' && intent.updated_at >= h.decided_at) return this.dropHandoff(target, `intent ${intent.intent_id} ended ${intent.status}`);
      return 'handed to the fleet';
    }
    const refused = await this.fleetCommand({ name: 'propose_intent', intent_type: 'channel_open', target, amount_sats: h.amount_sat, source: 'operator', approved: true });
    if (refused !== null) return this.dropHandoff(target, `the fleet refused the intent: ${refused}`);
    this.setHandoff(target, { ...h, stage: 'handed' });
    return 'pre-approved intent announced; it commits after its hold and the channel is funded';
  }

  /**
   * Each tick: carry waiting channel-open decisions into the fleet, and mirror into the planner
   * what the operator decided on a linked fleet action elsewhere (`hivebox approve --store`).
   */
  private async followFleet(): Promise<void> {
    const tables = this.host.state().fleet.tables;
    for (const a of this.record.planner.pending) {
      if (a.proposal.kind !== 'channel_open' || pendingOpenAction(tables, a.proposal.target)) continue;
      const decided = [...tables.actions.values()].find((r) => r.intent_type === 'channel_open' && r.target === (a.proposal as { target: string }).target && r.decided_at !== null && r.decided_at >= a.created_at && (r.status === 'approved' || r.status === 'rejected'));
      if (!decided) continue;
      const decision = decided.status === 'approved' ? 'approve' : 'reject';
      const r = decideAction(this.record.planner, { decision, action_id: a.action_id }, this.host.now());
      if (!r.ok) continue;
      let next = withDecided({ ...this.record, planner: r.value.state }, historyOf(a, decision === 'approve' ? 'approved' : 'rejected', decided.decided_at!, `decided on fleet action ${decided.action_id}`));
      if (decision === 'approve') next = { ...next, handoffs: { ...next.handoffs, [a.proposal.target]: { action_id: a.action_id, decision, amount_sat: a.proposal.amount_sat, decided_at: decided.decided_at!, stage: 'handed' } } };
      this.commit(next);
    }
    for (const target of Object.keys(this.record.handoffs)) await this.settleOpen(target);
  }

  /**
   * Carry out a committed intent of ours (the engine's `execute_intent`): channel opens are funded
   * with `fundchannel` (the operator's approved amount, else the intent's), then the outcome goes
   * back to the fleet as `intent_result`. Other intent types are not executed by this node.
   */
  async executeIntent(e: { readonly intent_id: string; readonly intent_type: IntentType; readonly target: string; readonly amount_sats: number | null }): Promise<void> {
    if (e.intent_type !== 'channel_open') {
      this.host.log('warn', 'intent_not_executed', { intent_id: e.intent_id, intent_type: e.intent_type, target: e.target });
      await this.fleetInput({ kind: 'intent_result', intent_id: e.intent_id, ok: false, detail: `${e.intent_type} is not carried out by this node` });
      return;
    }
    const h = this.record.handoffs[e.target];
    const amount = h?.decision === 'approve' ? h.amount_sat : e.amount_sats;
    const now = this.host.now();
    if (amount === null) {
      await this.fleetInput({ kind: 'intent_result', intent_id: e.intent_id, ok: false, detail: 'no channel amount' });
      return;
    }
    const r = await this.host.backend.fundchannel({ id: e.target, amount_sat: amount, announce: true });
    const detail = r.ok ? `funded ${amount} sat, txid ${r.value.txid}` : `fundchannel failed: ${r.error.code} ${r.error.message}`;
    this.host.log(r.ok ? 'info' : 'warn', 'planner_fundchannel', { intent_id: e.intent_id, target: e.target, amount_sat: amount, ...(r.ok ? { txid: r.value.txid, channel_id: r.value.channel_id } : { error: r.error.message }) });
    this.host.emit({ kind: 'fleet_event', name: r.ok ? 'channel_open_funded' : 'channel_open_failed', fields: { intent_id: e.intent_id, target: e.target, amount_sat: amount, ...(r.ok ? { txid: r.value.txid } : { error: r.error.message }) } });
    const { [e.target]: _done, ...handoffs } = this.record.handoffs;
    const entry: DecidedAction = { action_id: h?.action_id ?? e.intent_id, kind: 'channel_open', target: e.target, amount_sats: amount, status: r.ok ? 'executed' : 'failed', decided_at: now, reason: detail };
    this.commit(withDecided({ ...this.record, handoffs }, entry));
    await this.fleetInput({ kind: 'intent_result', intent_id: e.intent_id, ok: r.ok, detail });
  }

  // ---- views and settings ---------------------------------------------------------------------

  /** "Why (not) this node?" from the last cycle's log (and graph, while the daemon runs). */
  explain(nodeId: string): Explanation {
    return explain(this.record.planner.last_log, nodeId, this.lastGraph ?? undefined, this.base.underserved_min_target_capacity_sat);
  }

  /** `hive-planner-status`. */
  status(): PlannerStatus {
    return plannerStatus(this.record, this.config(), { now: this.host.now(), next_run_at: this.nextRunAt(), effective_interval_s: effectiveIntervalS(this.base.planner_interval_s), jitter_max_s: this.settings.jitter_max_s, clboss_present: this.lastClboss, degraded: this.degraded });
  }

  /**
   * Switch expansion proposals on or off (persisted; the fleet's planner-intent gate follows).
   * @returns false when the record could not be written (nothing changed).
   */
  setExpansions(enabled: boolean): boolean {
    if (!this.commit({ ...this.record, expansions_enabled: enabled })) return false;
    this.syncFleet();
    this.host.log('info', 'planner_expansions', { enabled });
    return true;
  }

  // ---- helpers --------------------------------------------------------------------------------

  private syncFleet(): void {
    const cfg = this.config();
    this.host.configureFleet({ planner_enable_expansions: cfg.planner_enable_expansions, planner_interval_s: cfg.planner_interval_s });
  }

  /** Persist, then adopt. @returns false (record unchanged) when the store refused. */
  private commit(next: PlannerRecord): boolean {
    const saved = this.store.save(PLANNER_RECORD_FORMAT, next, this.host.now());
    if (!saved.ok) {
      this.host.log('error', 'planner_store_failed', { ...saved.error });
      return false;
    }
    this.record = next;
    return true;
  }

  private setHandoff(target: string, h: OpenHandoff): void {
    this.commit({ ...this.record, handoffs: { ...this.record.handoffs, [target]: h } });
  }

  private dropHandoff(target: string, why: string): string {
    const { [target]: _gone, ...handoffs } = this.record.handoffs;
    this.commit({ ...this.record, handoffs });
    return why;
  }

  private fleetCommand(command: FleetCommand): Promise<string | null> {
    return this.fleetInput({ kind: 'command', command });
  }

  /** Step the fleet; the reject reason (or store error) as text, null when accepted. */
  private async fleetInput(input: FleetInput): Promise<string | null> {
    const r = await this.host.step(input);
    if (!r.ok) return `store: ${r.error.kind}`;
    return r.value === null ? null : r.value.reason;
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

function historyOf(a: PendingAction, status: DecidedAction['status'], at: number, reason: string): DecidedAction {
  const p = a.proposal;
  return { action_id: a.action_id, kind: p.kind, target: actionTarget(p), amount_sats: 'amount_sat' in p ? p.amount_sat : null, status, decided_at: at, reason, proposal: p };
}

function withDecided(r: PlannerRecord, d: DecidedAction): PlannerRecord {
  return { ...r, decided: appendBounded(r.decided, d, DECIDED_HISTORY) };
}
