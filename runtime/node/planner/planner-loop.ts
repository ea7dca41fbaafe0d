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
 * The operator's decisions on every pending action (one id space) and the channel opens they send
 * through the Intent Lock Protocol to `fundchannel` live in planner-decisions.ts; the loop owns
 * the record they change. Liquidity approvals (push rebalance, splice) are carried out through
 * lightningd and their outcome recorded (`moveLiquidity`).
 *
 * State changes follow the engine's rule: read the record, compute, persist, adopt, then act;
 * every step between awaits is synchronous, so cycles and decisions never overwrite each other.
 */
import type { HiveNodeInput, HiveNodeState } from '../../core/fleet/index.ts';
import type { Graph } from '../../core/graph/graph.ts';
import { SPEC_003_FLOORS, type PlannerConfig } from '../../core/planner/config.ts';
import { runCycle } from '../../core/planner/cycle.ts';
import { explain, type Explanation } from '../../core/planner/decision-log.ts';
import type { PlannerEffect } from '../../core/planner/effects.ts';
import { effectiveIntervalS, nextRunAt } from '../../core/planner/schedule.ts';
import { clnBackend, type NodeBackend } from '../../core/ports.ts';
import { type Result, err } from '../../core/result.ts';
import type { LogFn } from '../engine.ts';
import type { PlannerStore } from '../../../services/store/planner-store.ts';
import { CircularPayer, type CircularResult } from '../../../services/liquidity/circular-rebalancer.ts';
import { spliceOurSide, type SpliceDone } from '../../../services/liquidity/splice.ts';
import type { PushRebalanceProposal } from '../../core/planner/actions.ts';
import { actionQueue, type ActionView } from './action-queue.ts';
import type { EngineEvent } from '../events.ts';
import type { ExternalActionSource } from './external-actions.ts';
import { fleetCommand, historyOf, OperatorDecisions, withDecided, type DecisionError, type DecisionOutcome, type OperatorDecision } from './planner-decisions.ts';
import { gatherCycleInput, type PublicGraphSource } from './planner-inputs.ts';
import { appendBounded, INITIAL_PLANNER_RECORD, parsePlannerRecord, PLANNER_RECORD_FORMAT, SATURATION_EVENT_HISTORY, type PlannerRecord } from './planner-record.ts';
import { plannerConfigOf, type PlannerSettings } from './planner-settings.ts';
import { plannerStatus, type PlannerStatus } from './planner-status.ts';
import type { RandomSource } from '../random.ts';

/** What the loop needs from the engine. */
export interface PlannerHost {
  readonly backend: NodeBackend;
  /** Our node id (getinfo). */
  readonly our_node_id: string;
  readonly random: RandomSource;
  readonly log: LogFn;
  now(): number;
  state(): HiveNodeState;
  /** Run one input through the node's step (commit, adopt, effects); resolves to the reject, or null. */
  step(input: HiveNodeInput): Promise<Result<{ readonly reason: string } | null, { readonly kind: string }>>;
  emit(event: EngineEvent): void;
  /** Align the fleet machines' copy of the planner settings (expansions switch, interval). */
  configureFleet(patch: { readonly planner_enable_expansions: boolean; readonly planner_interval_s: number }): void;
  /** The resident public graph from lightningd's gossip_store, when the daemon reads one. */
  readonly publicGraph?: PublicGraphSource;
}

/** The history line of a completed liquidity move. */
function describeMove(v: CircularResult | SpliceDone): string {
  if ('payment_hash' in v) return `paid ${v.amount_sat} sat around ${v.hops} hops for ${v.fee_msat} msat fee (payment ${v.payment_hash})`;
  return `spliced ${v.amount_sat} sat ${v.direction === 'out' ? 'out of' : 'into'} ${v.scid}, txid ${v.txid}`;
}

/** The daemon's planner. Build one per engine; call `tick` from the engine's tick. */
export class PlannerLoop {
  private record: PlannerRecord;
  private readonly base: PlannerConfig;
  private readonly startedAt: number;
  private failedAt: number | null = null;
  private lastGraph: Graph | null = null;
  private lastClboss = false;
  private degraded: readonly string[] = [];
  /** ms the last completed cycle's commit took (status `last_persist_ms`). */
  private lastPersistMs: number | null = null;
  private cycling = false;
  private readonly decisions: OperatorDecisions;
  private readonly payer: CircularPayer;
  private readonly external: ExternalActionSource[] = [];

  constructor(
    private readonly host: PlannerHost,
    private readonly store: PlannerStore,
    readonly settings: PlannerSettings,
  ) {
    this.base = plannerConfigOf(settings);
    if (this.base.unsafe_floors.length > 0) {
      host.log('warn', 'planner_unsafe_floors', { keys: this.base.unsafe_floors, ...Object.fromEntries(this.base.unsafe_floors.map((k) => [k, this.base[k]])), spec_003_floors: SPEC_003_FLOORS });
    }
    const stored = store.load();
    const parsed = stored ? parsePlannerRecord(stored.format, stored.record) : null;
    if (stored && !parsed) host.log('warn', 'planner_record_discarded', { format: stored.format, updated_at: stored.updated_at });
    this.record = parsed ?? INITIAL_PLANNER_RECORD;
    this.startedAt = host.now();
    this.payer = new CircularPayer(host.backend, host.random);
    this.decisions = new OperatorDecisions(host, { record: () => this.record, commit: (next) => this.commit(next), carryOut: (e) => this.carryOut(e) }, this.base.rejection_backoff_s);
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
    await this.decisions.followFleet();
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
    const gathered = await gatherCycleInput(this.host.backend, this.host.state().fleet, cfg, now, this.settings.health_window_s, this.host.publicGraph);
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
      next = { ...next, saturation_events: appendBounded(next.saturation_events, { at: now, cycle_id: log.cycle_id, new_saturated: log.counts.new_saturated, guard_actions: log.counts.guard_actions, limit: cfg.saturation_abort_above_new_targets }, SATURATION_EVENT_HISTORY) };
    }
    const t2 = performance.now();
    if (!this.commit(next)) return;
    this.lastPersistMs = performance.now() - t2;
    this.lastGraph = gathered.value.input.graph;
    this.lastClboss = gathered.value.input.clboss_present;
    this.host.log('info', 'planner_cycle', { cycle_id: log.cycle_id, outcome: log.outcome, ...log.counts, gather_ms: Math.round(gatherMs), cycle_ms: Math.round(cycleMs), persist_ms: Math.round(this.lastPersistMs), degraded: this.degraded });
    this.host.emit({ kind: 'fleet_event', name: 'planner_cycle', fields: { cycle_id: log.cycle_id, outcome: log.outcome, ...log.counts } });
    for (const e of effects) await this.carryOut(e);
  }

  private drawJitter(): number {
    const b = this.host.random(2);
    return ((b[0]! << 8) | b[1]!) % (this.settings.jitter_max_s + 1);
  }

  private async carryOut(e: PlannerEffect): Promise<string | null> {
    switch (e.type) {
      case 'event':
        this.host.emit({ kind: 'fleet_event', name: e.name, fields: e.fields });
        return null;
      case 'intent_request': {
        const r = await fleetCommand(this.host, { name: 'propose_intent', intent_type: e.intent_type, target: e.target, amount_sats: e.amount_sat, source: 'planner' });
        this.host.log(r === null ? 'info' : 'warn', 'planner_intent_request', { action_id: e.action_id, target: e.target, amount_sat: e.amount_sat, ...(r === null ? {} : { refused: r }) });
        return null;
      }
      case 'clboss_command': {
        const rpc = clnBackend(this.host.backend);
        const r = rpc ? await rpc.call(e.command, { nodeid: e.peer_id, tags: e.tags }) : { ok: false as const, error: { code: -1, method: e.command, message: 'CLBoss runs only beside Core Lightning' } };
        this.host.log(r.ok ? 'info' : 'warn', 'planner_clboss_command', { command: e.command, peer_id: e.peer_id, ...(r.ok ? {} : { error: r.error.message }) });
        return null;
      }
      case 'open_channel':
        return null;
      case 'rebalance':
      case 'splice':
        return this.moveLiquidity(e);
    }
  }

  /**
   * Carry out an approved liquidity move through lightningd and record the outcome (`hivebox
   * actions --all`): a push rebalance is a circular payment from our idle channel into the
   * draining one and back over the fleet route (services/liquidity/circular-rebalancer.ts), paid
   * by the member whose idle channel it is; a splice reallocation is our side of the splice
   * (services/liquidity/splice.ts). What cannot run here is recorded as failed with the reason.
   */
  private async moveLiquidity(e: Extract<PlannerEffect, { type: 'rebalance' | 'splice' }>): Promise<string> {
    const cln = clnBackend(this.host.backend);
    const r = e.type === 'rebalance' ? await this.pushRebalance(e.proposal) : cln ? await spliceOurSide(cln, this.host.our_node_id, e.proposal) : err(`splicing runs through lightningd's splice_* commands; this node is ${this.host.backend.capabilities.implementation}`);
    const detail = r.ok ? describeMove(r.value) : r.error;
    const p = e.proposal;
    this.host.log(r.ok ? 'info' : 'warn', `planner_${e.type}`, { action_id: e.action_id, amount_sat: p.amount_sat, ...(r.ok ? { result: r.value } : { error: r.error }) });
    this.host.emit({ kind: 'fleet_event', name: `${e.type}_${r.ok ? 'executed' : 'failed'}`, fields: { action_id: e.action_id, amount_sat: p.amount_sat, detail } });
    const target = p.kind === 'push_rebalance' ? p.in_scid : p.winner_scid;
    this.commit(withDecided(this.record, { action_id: e.action_id, kind: p.kind, target, amount_sats: p.amount_sat, status: r.ok ? 'executed' : 'failed', decided_at: this.host.now(), reason: detail, proposal: p }));
    return r.ok ? detail : `failed: ${detail}`;
  }

  private pushRebalance(p: PushRebalanceProposal): ReturnType<CircularPayer['pay']> {
    const us = this.host.our_node_id;
    if (p.from_member !== us) return Promise.resolve(err(`the idle channel ${p.out_scid} belongs to member ${p.from_member.slice(0, 16)}…, which pays the rebalance on its own node`));
    return this.payer.pay({
      out_scid: p.out_scid,
      in_scid: p.in_scid,
      in_node: p.to_member,
      back_route: p.to_member === us ? [] : p.fleet_route,
      amount_sat: p.amount_sat,
      max_fee_msat: Math.floor((p.amount_sat * 1000 * this.settings.rebalance_max_fee_ppm) / 1_000_000),
      timeout_s: this.settings.rebalance_timeout_s,
      only_via: null,
    });
  }

  // ---- operator decisions (planner-decisions.ts) ------------------------------------------------

  /** The one queue of pending actions (planner, fleet and attached sources), `all` adds decided ones. */
  actions(all = false): ActionView[] {
    return [...actionQueue(this.record, this.host.state().fleet.tables, { all }), ...this.external.flatMap((s) => s.list(all))];
  }

  /** Approve or reject any pending action by its id (planner-decisions.ts, or the source that owns it). */
  decide(d: OperatorDecision): Promise<Result<DecisionOutcome, DecisionError>> {
    const source = this.external.find((s) => s.owns(d.action_id));
    if (!source) return this.decisions.decide(d);
    return source.decide(d, {
      proposeOpen: (target, amount_sat) => fleetCommand(this.host, { name: 'propose_intent', intent_type: 'channel_open', target, amount_sats: amount_sat, source: 'operator', approved: true }),
    });
  }

  /** Add a source of pending actions to the queue (remote management's proposals and payouts). */
  attachActions(source: ExternalActionSource): void {
    this.external.push(source);
  }

  /** Fund a committed channel-open intent of ours (the engine's `execute_intent`; planner-decisions.ts). */
  executeIntent(e: Parameters<OperatorDecisions['executeIntent']>[0]): Promise<void> {
    return this.decisions.executeIntent(e);
  }

  // ---- views and settings ---------------------------------------------------------------------

  /** "Why (not) this node?" from the last cycle's log (and graph, while the daemon runs). */
  explain(nodeId: string): Explanation {
    return explain(this.record.planner.last_log, nodeId, this.lastGraph ?? undefined, this.base.underserved_min_target_capacity_sat);
  }

  /** `hive-planner-status`. */
  status(): PlannerStatus {
    return plannerStatus(this.record, this.config(), { now: this.host.now(), next_run_at: this.nextRunAt(), effective_interval_s: effectiveIntervalS(this.base.planner_interval_s), jitter_max_s: this.settings.jitter_max_s, clboss_present: this.lastClboss, degraded: this.degraded, last_persist_ms: this.lastPersistMs });
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
}
