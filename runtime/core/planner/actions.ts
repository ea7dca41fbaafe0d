/**
 * Pending actions (governance advisor mode, clhive-protocol.md §6.7): everything the planner proposes
 * waits here for the operator's approve / reject and expires after `pending_action_ttl_s`. Approval
 * turns an action into its effect (open through the Intent Lock Protocol, CLBoss command, rebalance,
 * splice); rejection starts the per-target backoff. Illegal decisions (unknown id, already decided,
 * expired) leave the state unchanged and return a typed reject.
 */
import { err, ok, type Result } from '../result.ts';
import type { PlannerEffect } from './effects.ts';
import type { PlannerState } from './state.ts';
import type { UnixSeconds } from '../types.ts';

/** A channel open to an underserved target (spec 003 §2.2). */
export interface ChannelOpenProposal {
  readonly kind: 'channel_open';
  readonly target: string;
  readonly amount_sat: number;
  readonly hive_share: number;
  readonly public_capacity_sat: number;
  readonly age_days: number;
}

/** CLBoss fee control for a saturated target, or its release (spec 003 §4). */
export interface ClbossProposal {
  readonly kind: 'saturation_guard' | 'saturation_release';
  readonly target: string;
  readonly command: 'clboss-unmanage' | 'clboss-manage';
  readonly hive_share: number;
}

/** Push rebalance (spec 000 §3.2): circular payment out of an idle channel of `from_member`, into the draining channel of `to_member`, back over 0-fee fleet hops. */
export interface PushRebalanceProposal {
  readonly kind: 'push_rebalance';
  readonly from_member: string;
  readonly out_scid: string;
  readonly to_member: string;
  readonly in_scid: string;
  readonly amount_sat: number;
  /** Fleet members the funds return through, from `to_member` to `from_member` (0 fee on each hop). */
  readonly fleet_route: readonly string[];
  readonly days_to_empty: number;
  readonly in_velocity_sat_per_day: number;
}

/** Splice reallocation (spec 000 §3.4): splice out of a loser channel, splice into a winner channel on another member. */
export interface SpliceProposal {
  readonly kind: 'splice_reallocation';
  readonly loser_member: string;
  readonly loser_scid: string;
  readonly winner_member: string;
  readonly winner_scid: string;
  readonly amount_sat: number;
  readonly loser_yield_ppm_year: number;
  readonly winner_yield_ppm_year: number;
}

/** Anything the planner can propose. */
export type ActionProposal = ChannelOpenProposal | ClbossProposal | PushRebalanceProposal | SpliceProposal;

/** A proposal waiting for (or past) the operator's decision. */
export interface PendingAction {
  readonly action_id: string;
  readonly proposal: ActionProposal;
  readonly created_at: number;
  readonly expires_at: number;
}

/** The operator's decision on a pending action (`hive-approve-action` / `hive-reject-action`). */
export type ActionDecision =
  | { readonly decision: 'approve'; readonly action_id: string; readonly amount_sat?: number }
  | { readonly decision: 'reject'; readonly action_id: string; readonly reason?: string };

/** Why a decision was refused. */
export type ActionDecisionError =
  | { readonly kind: 'UnknownAction'; readonly action_id: string }
  | { readonly kind: 'ActionExpired'; readonly action_id: string; readonly expired_at: number }
  | { readonly kind: 'BadAmount'; readonly action_id: string; readonly reason: string };

/** The target node id an action is about, if any (liquidity actions name channels instead). */
export function actionTarget(p: ActionProposal): string | null {
  return p.kind === 'channel_open' || p.kind === 'saturation_guard' || p.kind === 'saturation_release' ? p.target : null;
}

/** The effect an approved proposal turns into. */
export function approvedEffect(action_id: string, p: ActionProposal, amountSat: number | undefined): PlannerEffect {
  switch (p.kind) {
    case 'channel_open':
      return { type: 'open_channel', action_id, target: p.target, amount_sat: amountSat ?? p.amount_sat };
    case 'saturation_guard':
    case 'saturation_release':
      return { type: 'clboss_command', action_id, command: p.command, peer_id: p.target, tags: 'lnfee' };
    case 'push_rebalance':
      return { type: 'rebalance', action_id, proposal: { ...p, amount_sat: amountSat ?? p.amount_sat } };
    case 'splice_reallocation':
      return { type: 'splice', action_id, proposal: { ...p, amount_sat: amountSat ?? p.amount_sat } };
  }
}

/**
 * Apply the operator's decision at `now_s`. Approve → the action's effect (amount override allowed for
 * opens, pushes and splices, never above the proposed amount); saturation approvals also update the
 * guarded set. Reject → per-target backoff. The action leaves the pending list either way.
 */
export function decideAction(state: PlannerState, d: ActionDecision, now_s: UnixSeconds): Result<{ state: PlannerState; effects: PlannerEffect[] }, ActionDecisionError> {
  const action = state.pending.find((a) => a.action_id === d.action_id);
  if (!action) return err({ kind: 'UnknownAction', action_id: d.action_id });
  if (now_s >= action.expires_at) return err({ kind: 'ActionExpired', action_id: d.action_id, expired_at: action.expires_at });
  const pending = state.pending.filter((a) => a !== action);
  const p = action.proposal;
  const target = actionTarget(p);
  if (d.decision === 'reject') {
    const rejections = target === null ? state.rejections : { ...state.rejections, [target]: now_s };
    return ok({ state: { ...state, pending, rejections }, effects: [] });
  }
  if (d.amount_sat !== undefined) {
    if (!('amount_sat' in p)) return err({ kind: 'BadAmount', action_id: d.action_id, reason: 'this action has no amount' });
    if (!Number.isInteger(d.amount_sat) || d.amount_sat <= 0 || d.amount_sat > p.amount_sat) {
      return err({ kind: 'BadAmount', action_id: d.action_id, reason: `must be a whole number of sat in 1..${p.amount_sat}` });
    }
  }
  let guarded = state.guarded;
  if (p.kind === 'saturation_guard') guarded = { ...guarded, [p.target]: { since: now_s, hive_share: p.hive_share } };
  if (p.kind === 'saturation_release') {
    const { [p.target]: _released, ...rest } = guarded;
    guarded = rest;
  }
  return ok({ state: { ...state, pending, guarded }, effects: [approvedEffect(d.action_id, p, d.amount_sat)] });
}

/** Drop actions whose time ran out at `now_s`; returns the remaining list and the expired ones. */
export function expireActions(pending: readonly PendingAction[], now_s: UnixSeconds): { pending: PendingAction[]; expired: PendingAction[] } {
  const keep: PendingAction[] = [];
  const expired: PendingAction[] = [];
  for (const a of pending) (now_s >= a.expires_at ? expired : keep).push(a);
  return { pending: keep, expired };
}
