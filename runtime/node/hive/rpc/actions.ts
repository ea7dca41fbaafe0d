/**
 * `hive-pending-actions [all]`, `hive-approve-action action_id [amount_sats]`,
 * `hive-reject-action action_id [reason]` (clhive-protocol.md §6.7 advisor mode): the one queue
 * of pending actions — planner proposals and fleet intent actions, one id space
 * (runtime/node/planner/action-queue.ts) — and the operator's decisions on them, carried out by the
 * planner loop (approve a channel open → the fleet's Intent Lock Protocol → `fundchannel`;
 * reject → 24 h backoff and INTENT_ABORT). `action_id` "all" decides every pending action.
 */
import { z } from 'zod';
import { lazy } from '../../../core/lazy.ts';
import type { ActionView } from '../../planner/action-queue.ts';
import type { EngineCore } from '../engine-core.ts';
import type { DecisionError, DecisionOutcome, OperatorDecision } from '../../planner/planner-decisions.ts';
import { RPC_ERROR, rpcFailure } from './errors.ts';
import { flag, parseParams } from './params.ts';

const actionId = lazy(() => z.string().min(1).max(64));
const sats = lazy(() => z.union([z.number(), z.string().regex(/^\d{1,15}$/).transform(Number)]).pipe(z.number().int().positive()));

/** `hive-pending-actions [all]`. */
export const PendingActionsParams = lazy(() => z.object({ all: flag().optional() }).strict());
/** `hive-approve-action action_id [amount_sats]`. */
export const ApproveActionParams = lazy(() => z.object({ action_id: actionId(), amount_sats: sats().optional() }).strict());
/** `hive-reject-action action_id [reason]`. */
export const RejectActionParams = lazy(() => z.object({ action_id: actionId(), reason: z.string().max(500).optional() }).strict());

/** Result of `hive-pending-actions`. */
export interface PendingActionsResult {
  readonly actions: readonly ActionView[];
}

/** Result of a decision: one outcome, or with "all" every outcome and every refusal. */
export interface DecideResult {
  readonly decided: readonly DecisionOutcome[];
  readonly refused: readonly { readonly action_id: string; readonly error: string }[];
}

function describe(e: DecisionError): string {
  switch (e.kind) {
    case 'unknown_action':
      return `no pending action ${e.action_id}`;
    case 'action_not_pending':
      return `action ${e.action_id} is ${e.status}`;
    case 'bad_amount':
      return `amount for ${e.action_id}: ${e.reason}`;
    case 'refused':
      return `the fleet refused ${e.action_id}: ${e.reason}`;
    case 'store_failed':
      return `could not record the decision: ${e.reason}`;
  }
}

function failureOf(e: DecisionError) {
  const code =
    e.kind === 'unknown_action' ? RPC_ERROR.unknownAction
    : e.kind === 'action_not_pending' ? RPC_ERROR.actionNotPending
    : e.kind === 'bad_amount' ? RPC_ERROR.invalidParams
    : e.kind === 'refused' ? RPC_ERROR.actionRefused
    : RPC_ERROR.storeError;
  return rpcFailure(code, describe(e));
}

async function decide(core: EngineCore, base: Omit<OperatorDecision, 'action_id'>, id: string): Promise<DecideResult> {
  if (id !== 'all') {
    const r = await core.planner.decide({ ...base, action_id: id });
    if (!r.ok) throw failureOf(r.error);
    return { decided: [r.value], refused: [] };
  }
  const decided: DecisionOutcome[] = [];
  const refused: { action_id: string; error: string }[] = [];
  for (const a of core.planner.actions().filter((x) => x.status === 'pending')) {
    const r = await core.planner.decide({ ...base, action_id: a.action_id });
    if (r.ok) decided.push(r.value);
    else refused.push({ action_id: a.action_id, error: describe(r.error) });
  }
  return { decided, refused };
}

/** Run `hive-pending-actions`. @throws RpcFailure (invalidParams). */
export function pendingActionsCommand(core: EngineCore, params: Record<string, unknown>): PendingActionsResult {
  const p = parseParams('hive-pending-actions', PendingActionsParams, params);
  if (!p.ok) throw p.error;
  return { actions: core.planner.actions(p.value.all === true) };
}

/** Run `hive-approve-action`. @throws RpcFailure (invalidParams, unknownAction, actionNotPending, actionRefused, storeError). */
export async function approveActionCommand(core: EngineCore, params: Record<string, unknown>): Promise<DecideResult> {
  const p = parseParams('hive-approve-action', ApproveActionParams, params);
  if (!p.ok) throw p.error;
  if (p.value.action_id === 'all' && p.value.amount_sats !== undefined) throw rpcFailure(RPC_ERROR.invalidParams, 'hive-approve-action: amount_sats needs one action_id, not "all"');
  return decide(core, { decision: 'approve', ...(p.value.amount_sats === undefined ? {} : { amount_sat: p.value.amount_sats }) }, p.value.action_id);
}

/** Run `hive-reject-action`. @throws RpcFailure (as approve). */
export async function rejectActionCommand(core: EngineCore, params: Record<string, unknown>): Promise<DecideResult> {
  const p = parseParams('hive-reject-action', RejectActionParams, params);
  if (!p.ok) throw p.error;
  return decide(core, { decision: 'reject', reason: p.value.reason ?? '' }, p.value.action_id);
}
