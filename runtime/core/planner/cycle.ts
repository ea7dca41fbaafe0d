/**
 * One planner cycle (spec 003; clhive-protocol.md §7): `runCycle(state, input, cfg, now_s)` →
 * `{ state, effects, log }`. Order: loop-floor check, expiry of pending actions, analysis, saturation
 * guards (cap 5, abort above 10), expansion (≤ 1 intent), liquidity proposals (push, splice), decision
 * log. Advisor mode turns every proposal into a pending action; failsafe runs only the reversible
 * CLBoss fee-control commands itself. Channel opens are never automatic. Bad input or a cycle before
 * the loop floor returns a typed reject and leaves the state unchanged.
 */
import type { Graph } from '../graph/graph.ts';
import { err, ok, type Result } from '../result.ts';
import { isNodeId, type UnixSeconds } from '../types.ts';
import type { ActionProposal, PendingAction } from './actions.ts';
import { expireActions } from './actions.ts';
import { type Analysis, analyze } from './analysis.ts';
import type { MemberLiquidity } from './channel-health.ts';
import type { PlannerConfig } from './config.ts';
import type { DecisionLog, LiquidityDecision, LiquidityItem, TargetDecision, TargetReason } from './decision-log.ts';
import type { PlannerEffect } from './effects.ts';
import { expansionStep, feerateGateOpen } from './expansion.ts';
import { pushRebalanceStep } from './push-rebalance.ts';
import { saturationStep } from './saturation.ts';
import { nextRunAt } from './schedule.ts';
import type { FleetMember } from './share.ts';
import { spliceStep } from './splice-reallocation.ts';
import type { GuardEntry, PlannerState } from './state.ts';

/** Everything one cycle reads. */
export interface CycleInput {
  readonly graph: Graph;
  readonly self_node_id: string;
  readonly members: readonly FleetMember[];
  /** Current block height (getinfo.blockheight). */
  readonly blockheight: number;
  /** Opening feerate in sat/kB (`feerates perkb`), null when unreadable (blocks opens). */
  readonly feerate_perkb: number | null;
  /** CLBoss is loaded (`plugin list`). */
  readonly clboss_present: boolean;
  /** Our confirmed on-chain funds (sat). */
  readonly onchain_available_sat: number;
  readonly our_peer_ids?: readonly string[];
  readonly pending_intent_targets?: readonly string[];
  /** Members' channel health (ours from listpeerchannels/listforwards, others' from their reports). */
  readonly liquidity?: readonly MemberLiquidity[];
}

/** Why a cycle did not run. */
export type CycleError =
  | { readonly kind: 'TooSoon'; readonly next_run_at: number }
  | { readonly kind: 'BadCycleInput'; readonly field: string; readonly reason: string };

/** A completed (or aborted) cycle. */
export interface CycleOutput {
  readonly state: PlannerState;
  readonly effects: readonly PlannerEffect[];
  readonly log: DecisionLog;
}

function validate(input: CycleInput): CycleError | null {
  const bad = (field: string, reason: string): CycleError => ({ kind: 'BadCycleInput', field, reason });
  if (!isNodeId(input.self_node_id)) return bad('self_node_id', 'not a 66-hex node id');
  const idx = input.members.findIndex((m) => !isNodeId(m.node_id) || (m.capacity_sats !== undefined && !(m.capacity_sats >= 0)));
  if (idx >= 0) return bad(`members[${idx}]`, 'node_id must be 66-hex and capacity_sats ≥ 0');
  if (!Number.isInteger(input.blockheight) || input.blockheight < 0) return bad('blockheight', 'must be a non-negative integer');
  if (input.feerate_perkb !== null && !(input.feerate_perkb >= 0)) return bad('feerate_perkb', 'must be ≥ 0 or null');
  if (!(input.onchain_available_sat >= 0)) return bad('onchain_available_sat', 'must be ≥ 0');
  return null;
}

/** Run one cycle at `now_s` (unix s). */
export function runCycle(state: PlannerState, input: CycleInput, cfg: PlannerConfig, now_s: UnixSeconds): Result<CycleOutput, CycleError> {
  const invalid = validate(input);
  if (invalid) return err(invalid);
  const due = nextRunAt(state.last_cycle_at, cfg.planner_interval_s);
  if (now_s < due) return err({ kind: 'TooSoon', next_run_at: due });

  const cycleSeq = state.cycle_seq + 1;
  const cycleId = `c${cycleSeq}`;
  const effects: PlannerEffect[] = [];
  const expiry = expireActions(state.pending, now_s);
  for (const a of expiry.expired) effects.push({ type: 'event', name: 'action_expired', fields: { action_id: a.action_id, kind: a.proposal.kind } });
  const pending: PendingAction[] = [...expiry.pending];
  let guarded: Record<string, GuardEntry> = { ...state.guarded };
  const base: PlannerState = { ...state, pending };
  const a = analyze(input.graph, input.members, cfg, input.blockheight);
  const reasons = new Map<number, { reason: TargetReason; rule: string; action_id?: string }>();
  let nextAction = 0;
  const propose = (proposal: ActionProposal): string => {
    const action_id = `pa-${cycleSeq}-${++nextAction}`;
    pending.push({ action_id, proposal, created_at: now_s, expires_at: now_s + cfg.pending_action_ttl_s });
    effects.push({ type: 'event', name: 'action_proposed', fields: { action_id, kind: proposal.kind } });
    return action_id;
  };

  const sat = saturationStep(a, base, cfg, now_s);
  const gates = {
    governance_mode: cfg.governance_mode,
    expansions_enabled: cfg.planner_enable_expansions,
    feerate_perkb: input.feerate_perkb,
    max_expansion_feerate_perkb: cfg.max_expansion_feerate_perkb,
    clboss_present: input.clboss_present,
  };
  if (sat.aborted) {
    effects.push({ type: 'event', name: 'mass_saturation_detected', fields: { guard_actions: sat.guardActions, new_saturated: sat.newSaturated, limit: cfg.saturation_abort_above_new_targets } });
    const rule = `mass saturation detected: ${sat.guardActions} guard actions in one cycle > ${cfg.saturation_abort_above_new_targets}; cycle aborted, nothing changed`;
    for (const n of [...a.saturated, ...a.underserved]) reasons.set(n, { reason: 'cycle_aborted', rule });
    const log = buildLog(a, input, cfg, cycleId, now_s, 'aborted_mass_saturation', gates, reasons, [], guarded, {
      new_saturated: sat.newSaturated, guard_actions: sat.guardActions, guards: 0, releases: 0, expansions_proposed: 0, liquidity_proposed: 0,
    });
    return ok({ state: { ...state, pending, last_cycle_at: now_s, cycle_seq: cycleSeq, last_log: log }, effects, log });
  }

  let guards = 0;
  let releases = 0;
  for (const v of sat.verdicts) {
    const id = a.graph.nodeIds[v.node]!;
    const share = a.figures(v.node).hive_share;
    if (v.outcome === 'guard' || v.outcome === 'release') {
      const isGuard = v.outcome === 'guard';
      if (isGuard) guards++;
      else releases++;
      const command = isGuard ? 'clboss-unmanage' : 'clboss-manage';
      if (input.clboss_present && cfg.governance_mode === 'advisor') {
        const action_id = propose({ kind: isGuard ? 'saturation_guard' : 'saturation_release', target: id, command, hive_share: share });
        reasons.set(v.node, { reason: isGuard ? 'saturation_guard_proposed' : 'release_proposed', rule: `${v.rule}; proposed \`${command} ${id.slice(0, 16)}… lnfee\``, action_id });
        continue;
      }
      if (isGuard) guarded[id] = { since: now_s, hive_share: share };
      else {
        const { [id]: _gone, ...rest } = guarded;
        guarded = rest;
      }
      if (input.clboss_present) effects.push({ type: 'clboss_command', action_id: null, command, peer_id: id, tags: 'lnfee' });
      const how = input.clboss_present ? `ran \`${command} … lnfee\` (failsafe mode)` : 'CLBoss absent: no command; the fleet itself skips opens to guarded targets';
      reasons.set(v.node, { reason: isGuard ? 'saturation_guard_applied' : 'release_applied', rule: `${v.rule}; ${how}` });
      continue;
    }
    const reason: TargetReason =
      v.outcome === 'deferred' ? 'saturation_cap_reached'
      : v.outcome === 'already_guarded' ? 'already_guarded'
      : v.outcome === 'pending_action' ? 'pending_action'
      : v.outcome === 'rejected_recently' ? 'rejected_recently'
      : 'guard_held_hysteresis';
    reasons.set(v.node, { reason, rule: v.rule });
  }
  for (const id of sat.releasedGone) {
    const { [id]: _gone, ...rest } = guarded;
    guarded = rest;
    if (input.clboss_present) effects.push({ type: 'clboss_command', action_id: null, command: 'clboss-manage', peer_id: id, tags: 'lnfee' });
  }

  let expansions = 0;
  for (const v of expansionStep(a, { ...base, pending }, {
    self_node_id: input.self_node_id,
    our_peer_ids: input.our_peer_ids ?? [],
    pending_intent_targets: input.pending_intent_targets ?? [],
    feerate_perkb: input.feerate_perkb,
    onchain_available_sat: input.onchain_available_sat,
  }, cfg, now_s)) {
    if (v.reason === 'expansion_proposed' && v.amount_sat !== undefined) {
      const f = a.figures(v.node);
      const action_id = propose({ kind: 'channel_open', target: f.node_id, amount_sat: v.amount_sat, hive_share: f.hive_share, public_capacity_sat: f.public_capacity_sat, age_days: f.age_days ?? 0 });
      effects.push({ type: 'intent_request', intent_type: 'channel_open', target: f.node_id, amount_sat: v.amount_sat, action_id });
      reasons.set(v.node, { reason: v.reason, rule: v.rule, action_id });
      expansions++;
    } else reasons.set(v.node, { reason: v.reason, rule: v.rule });
  }

  const liquidity = liquidityStep(input, cfg, pending, propose);
  const log = buildLog(a, input, cfg, cycleId, now_s, 'completed', gates, reasons, liquidity.decisions, guarded, {
    new_saturated: sat.newSaturated, guard_actions: guards + releases, guards, releases, expansions_proposed: expansions, liquidity_proposed: liquidity.proposed,
  });
  const rejections = Object.fromEntries(Object.entries(state.rejections).filter(([, at]) => now_s - at < cfg.rejection_backoff_s));
  return ok({ state: { guarded, pending, rejections, last_cycle_at: now_s, cycle_seq: cycleSeq, last_log: log }, effects, log });
}

function liquidityStep(
  input: CycleInput,
  cfg: PlannerConfig,
  pending: readonly PendingAction[],
  propose: (p: ActionProposal) => string,
): { decisions: LiquidityDecision[]; proposed: number } {
  if (!input.liquidity?.length) return { decisions: [], proposed: 0 };
  const busy = new Set<string>();
  for (const p of pending) {
    const q = p.proposal;
    if (q.kind === 'push_rebalance') busy.add(q.out_scid).add(q.in_scid);
    if (q.kind === 'splice_reallocation') busy.add(q.loser_scid).add(q.winner_scid);
  }
  const decisions: LiquidityDecision[] = [];
  let proposed = 0;
  const take = (item: LiquidityItem<ActionProposal>): void => {
    if (!item.proposal) {
      decisions.push(item.decision);
      return;
    }
    proposed++;
    decisions.push({ ...item.decision, action_id: propose(item.proposal) });
  };
  const pushes = pushRebalanceStep(input.liquidity, cfg, busy, cfg.liquidity_max_proposals_per_cycle);
  for (const item of pushes) {
    take(item);
    if (item.proposal) busy.add(item.proposal.out_scid).add(item.proposal.in_scid);
  }
  const feeOk = feerateGateOpen(cfg, input.feerate_perkb);
  for (const item of spliceStep(input.liquidity, cfg, busy, cfg.liquidity_max_proposals_per_cycle - proposed)) {
    if (item.proposal && !feeOk) {
      const held = `held: on-chain feerate ${input.feerate_perkb ?? 'unknown'} is above the ${cfg.max_expansion_feerate_perkb} sat/kB ceiling`;
      decisions.push({ ...item.decision, proposed: false, rule: `${item.decision.rule}; ${held}` });
    } else take(item);
  }
  return { decisions, proposed };
}

function buildLog(
  a: Analysis,
  input: CycleInput,
  cfg: PlannerConfig,
  cycleId: string,
  now_s: UnixSeconds,
  outcome: DecisionLog['outcome'],
  gates: DecisionLog['gates'],
  reasons: ReadonlyMap<number, { reason: TargetReason; rule: string; action_id?: string }>,
  liquidity: readonly LiquidityDecision[],
  guarded: Readonly<Record<string, GuardEntry>>,
  counts: Omit<DecisionLog['counts'], 'saturated' | 'underserved'>,
): DecisionLog {
  const g = a.graph;
  const considered = new Set<number>([...a.ranked, ...a.underserved, ...a.tooYoung, ...reasons.keys()]);
  for (const id of Object.keys(guarded)) {
    const n = g.nodeIndex.get(id);
    if (n !== undefined) considered.add(n);
  }
  const targets: TargetDecision[] = [];
  for (const n of [...considered].sort((x, y) => x - y)) {
    const f = a.figures(n);
    const decided = reasons.get(n);
    if (decided) {
      targets.push({ ...f, ...decided });
      continue;
    }
    const tooYoung = f.age_days !== null && f.age_days < cfg.underserved_min_target_age_days && f.hive_share < cfg.underserved_share_below;
    targets.push({
      ...f,
      reason: tooYoung ? 'too_young' : 'share_between_thresholds',
      rule: tooYoung
        ? `in the graph for ${f.age_days!.toFixed(1)} days < ${cfg.underserved_min_target_age_days}: never underserved (sybil age check)`
        : `hive_share ${(f.hive_share * 100).toFixed(1)} % is neither ≥ ${(cfg.saturation_share_min * 100).toFixed(0)} % nor < ${(cfg.underserved_share_below * 100).toFixed(0)} %`,
    });
  }
  return {
    cycle_id: cycleId,
    at: now_s,
    blockheight: input.blockheight,
    outcome,
    graph: { nodes: g.nodeCount, channels: g.channelCount, scids: g.scids },
    members: input.members.map((m) => m.node_id),
    members_not_in_graph: a.shares.membersNotInGraph,
    gates,
    counts: { saturated: a.saturated.length, underserved: a.underserved.length, ...counts },
    targets,
    liquidity,
  };
}
