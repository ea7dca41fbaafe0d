/**
 * Pending actions: advisor mode's operator queue (clhive-protocol.md §6.7 `pending_actions`;
 * spec 003 §2.2 "Governance Mode", §3). A ready intent waits here for `hivebox approve ID` or
 * `hivebox reject ID` (24 h, then `expired`).
 *
 * - approve, intent still pending: it commits at once if its hold has passed, else when it does;
 * - approve, intent expired meanwhile: a fresh intent is announced, pre-approved, so it still holds
 *   60 s before committing (cl-hive opened at once without a hold; Hivebox never skips the lock);
 *   refused with `target_locked` when another member holds the target now;
 * - reject: the intent is aborted (INTENT_ABORT releases the target for the fleet).
 * Deciding an unknown, decided or expired action is a typed reject that changes nothing.
 */
import { Change, refuse } from '../fleet/change.ts';
import { FLEET_LIMITS } from '../fleet/config.ts';
import { keyOf } from '../fleet/tables.ts';
import type { FleetState, FleetStep } from '../fleet/types.ts';
import { abortIntent, announce, commitIntent, localPending, remotePending } from './intent-lock.ts';
import type { UnixSeconds } from '../types.ts';

/** Apply the operator's decision on `action_id`. */
export function onOperatorDecision(s: FleetState, action_id: string, decision: 'approve' | 'reject', now_s: UnixSeconds, reason = ''): FleetStep {
  const action = s.tables.actions.get(keyOf(action_id));
  const rej = (r: 'unknown_action' | 'action_not_pending' | 'action_expired' | 'target_locked', fields: Record<string, unknown> = {}) =>
    refuse(s, { reason: r, fields: { action_id, ...fields } });
  if (!action) return rej('unknown_action');
  if (action.status !== 'pending') return rej('action_not_pending', { status: action.status });
  if (now_s >= action.expires_at) return rej('action_expired', { expires_at: action.expires_at });
  const intent = s.tables.intents.get(keyOf(action.intent_id)) ?? null;
  const c = new Change(s);
  if (decision === 'reject') {
    c.put('actions', { ...action, status: 'rejected', decided_at: now_s, reason });
    if (intent?.status === 'pending') abortIntent(c, intent, 'operator_rejected', now_s);
    return c.done();
  }
  if (intent?.status === 'pending' && intent.expires_at > now_s) {
    c.put('actions', { ...action, status: 'approved', decided_at: now_s, reason });
    if (now_s - intent.timestamp >= s.config.intent_hold_s) commitIntent(c, intent, now_s);
    else c.put('intents', { ...intent, approved: 1, updated_at: now_s });
    return c.done();
  }
  const holder = remotePending(s, action.intent_type, action.target, now_s);
  if (holder) return rej('target_locked', { holder: holder.initiator });
  c.put('actions', { ...action, status: 'approved', decided_at: now_s, reason });
  if (!localPending(s, action.intent_type, action.target, now_s)) announce(c, action.intent_type, action.target, action.amount_sats, true, now_s);
  return c.done();
}

/** Timer: expire undecided actions; delete decided ones after the retention. */
export function actionsTick(c: Change, now_s: UnixSeconds): void {
  for (const a of c.state.tables.actions.values()) {
    if (a.status === 'pending' && now_s >= a.expires_at) c.put('actions', { ...a, status: 'expired', decided_at: now_s });
    else if (a.status !== 'pending' && a.decided_at !== null && now_s - a.decided_at > FLEET_LIMITS.terminalRetention_s) c.del('actions', keyOf(a.action_id));
  }
}
