/**
 * The Intent Lock Protocol (spec 003 §4; spec 001 §3.3; clhive-protocol.md §5).
 *
 * ANNOUNCE an INTENT (type, target, initiator, timestamp, expires_at = timestamp + TTL 300 s) to
 * every member → HOLD 60 s (10–600) → COMMIT if no conflict. On a conflict (another member's
 * pending intent on the same type and target) the lexicographically lowest initiator node id wins;
 * the loser marks its intent aborted and sends a signed INTENT_ABORT. States:
 * pending → committed | aborted | expired, committed → done | failed; any other transition is a
 * `bad_transition` reject.
 *
 * Storm guards (spec 003 §2.3): at most one pending intent of ours per (type, target); none while
 * a remote member holds a live pending intent on it; at most one planner intent per planner
 * interval, which is never below 300 s; remote intents capped at 200 in memory (oldest evicted);
 * planner `channel_open` intents refused unless `planner_enable_expansions`.
 *
 * Governance (spec 003 §3; clhive-protocol.md §6.7): a ready intent commits by itself only when
 * it was approved beforehand or the node runs in `autonomous` mode; in `advisor` mode (default) it
 * becomes a pending action for the operator (machines/pending-actions.ts).
 */
import { Change, refuse } from '../fleet/change.ts';
import { effectivePlannerInterval, FLEET_LIMITS } from '../fleet/config.ts';
import { deliver, requestSignature } from '../fleet/outgoing.ts';
import { broadcastRecipients, isCertified } from '../fleet/roster.ts';
import { keyOf, type IntentRow, type IntentStatus, type IntentType } from '../fleet/tables.ts';
import type { FleetCommand, FleetState, FleetStep, RemoteIntent } from '../fleet/types.ts';
import { isNodeId, type NodeId, type UnixSeconds } from '../types.ts';
import { sha256Hex } from '../wire/signing/py-format.ts';
import type { Admitted } from './admit.ts';

/** Allowed transitions (clhive-protocol.md §5 "States"). */
export const INTENT_TRANSITIONS: Readonly<Record<IntentStatus, readonly IntentStatus[]>> = {
  pending: ['committed', 'aborted', 'expired'],
  committed: ['done', 'failed'],
  aborted: [],
  expired: [],
  done: [],
  failed: [],
};

/** Intent types INTENT_ABORT may name (cl-hive's validator, §15 item 10). */
const ABORTABLE: ReadonlySet<string> = new Set(['channel_open', 'rebalance']);

/**
 * Move `row` to `to`, validated.
 * @returns the updated row, or null for a transition the table does not allow.
 */
export function transition(row: IntentRow, to: IntentStatus, now_s: UnixSeconds, reason = row.reason): IntentRow | null {
  return INTENT_TRANSITIONS[row.status].includes(to) ? { ...row, status: to, updated_at: now_s, reason } : null;
}

function remoteKey(type: string, target: string, initiator: string): string {
  return `${type}:${target}:${initiator}`;
}

/** Our live pending intent on (type, target), if any. */
export function localPending(s: FleetState, type: IntentType, target: string, now_s: UnixSeconds): IntentRow | null {
  for (const r of s.tables.intents.values()) if (r.status === 'pending' && r.intent_type === type && r.target === target && r.expires_at > now_s) return r;
  return null;
}

/** A live pending remote intent on (type, target), if any. */
export function remotePending(s: FleetState, type: IntentType, target: string, now_s: UnixSeconds): RemoteIntent | null {
  for (const r of s.remote_intents.values()) if (r.status === 'pending' && r.intent_type === type && r.target === target && r.expires_at > now_s) return r;
  return null;
}

/** Targets any member (us included) holds a live pending intent on: the planner skips them. */
export function lockedTargets(s: FleetState, now_s: UnixSeconds): string[] {
  const out = new Set<string>();
  for (const r of s.tables.intents.values()) if (r.status === 'pending' && r.expires_at > now_s) out.add(r.target);
  for (const r of s.remote_intents.values()) if (r.status === 'pending' && r.expires_at > now_s) out.add(r.target);
  return [...out].sort();
}

/** Announce a new intent of ours (checks done by the caller). */
export function announce(c: Change, type: IntentType, target: string, amount: number | null, approved: boolean, now_s: UnixSeconds): IntentRow {
  const us = c.state.config.our_node_id;
  const intent_id = sha256Hex(`${us}:${type}:${target}:${now_s}:${c.seq()}`).slice(0, 32);
  const row: IntentRow = {
    intent_id,
    intent_type: type,
    target,
    initiator: us,
    timestamp: now_s,
    expires_at: now_s + c.state.config.intent_ttl_s,
    status: 'pending',
    amount_sats: amount,
    approved: approved ? 1 : 0,
    reason: '',
    updated_at: now_s,
  };
  c.put('intents', row);
  const payload = {
    intent_type: type,
    target,
    initiator: us,
    timestamp: now_s,
    expires_at: row.expires_at,
    ...(amount === null ? {} : { amount_sats: amount }),
  };
  deliver(c, 'INTENT', payload, broadcastRecipients(c.state, now_s), now_s, false);
  c.log('info', 'intent_announced', { intent_id, intent_type: type, target });
  return row;
}

/** Abort our intent (validated) and, where cl-hive accepts it, send a signed INTENT_ABORT. */
export function abortIntent(c: Change, row: IntentRow, reason: string, now_s: UnixSeconds): void {
  const next = transition(row, 'aborted', now_s, reason);
  if (!next) return;
  c.put('intents', next);
  for (const a of c.state.tables.actions.values()) {
    if (a.intent_id === row.intent_id && a.status === 'pending') c.put('actions', { ...a, status: 'superseded', decided_at: now_s, reason });
  }
  c.emit({ kind: 'event', name: 'intent_aborted', fields: { intent_id: row.intent_id, target: row.target, reason } });
  if (!ABORTABLE.has(row.intent_type) || !isNodeId(row.target)) return;
  const payload = { intent_type: row.intent_type, target: row.target, initiator: row.initiator, timestamp: now_s, reason };
  requestSignature(c, { type: 'INTENT_ABORT', payload, purpose: 'intent_abort', recipients: broadcastRecipients(c.state, now_s) });
}

/** Commit our intent: the driver executes it. */
export function commitIntent(c: Change, row: IntentRow, now_s: UnixSeconds): void {
  const next = transition(row, 'committed', now_s);
  if (!next) return;
  c.put('intents', next);
  c.emit(
    { kind: 'execute_intent', intent_id: row.intent_id, intent_type: row.intent_type, target: row.target, amount_sats: row.amount_sats },
    { kind: 'event', name: 'intent_committed', fields: { intent_id: row.intent_id, target: row.target } },
  );
}

/** Command `propose_intent`: storm guards, then announce. */
export function proposeIntent(s: FleetState, cmd: Extract<FleetCommand, { name: 'propose_intent' }>, now_s: UnixSeconds): FleetStep {
  const us = s.config.our_node_id;
  const rej = (reason: Parameters<typeof refuse>[1]['reason'], fields?: Record<string, unknown>) => refuse(s, { reason, msg_type: 'INTENT', ...(fields ? { fields } : {}) });
  if (!isCertified(s, us, now_s)) return rej('not_in_hive');
  const amount = cmd.amount_sats ?? null;
  if (cmd.target.length === 0 || cmd.target.length > 128 || (cmd.intent_type !== 'rebalance' && !isNodeId(cmd.target))) return rej('bad_command', { field: 'target' });
  if (amount !== null && !(Number.isSafeInteger(amount) && amount > 0)) return rej('bad_command', { field: 'amount_sats' });
  if (cmd.source === 'planner' && cmd.intent_type === 'channel_open' && !s.config.planner_enable_expansions) return rej('expansions_disabled');
  if (localPending(s, cmd.intent_type, cmd.target, now_s)) return rej('intent_pending', { target: cmd.target });
  const remote = remotePending(s, cmd.intent_type, cmd.target, now_s);
  if (remote) return rej('target_locked', { target: cmd.target, holder: remote.initiator });
  if (cmd.source === 'planner') {
    const last = Math.max(-Infinity, ...[...s.tables.intents.values()].map((r) => r.timestamp));
    const interval = effectivePlannerInterval(s.config);
    if (now_s - last < interval) return rej('intent_rate_limited', { last_intent_at: last, interval_s: interval });
  }
  const c = new Change(s);
  announce(c, cmd.intent_type, cmd.target, amount, cmd.approved === true, now_s);
  return c.done();
}

/** INTENT from a member: cache it (cap 200), then tie-break against our own pending intent. */
export function onIntent(s: FleetState, a: Admitted<'INTENT'>, now_s: UnixSeconds): FleetStep {
  const p = a.message.payload;
  if (p.expires_at <= p.timestamp || p.expires_at - p.timestamp > FLEET_LIMITS.maxIntentTtl_s || p.expires_at <= now_s) {
    return refuse(s, { reason: 'bad_intent_window', peer_id: a.peer_id, msg_type: 'INTENT', fields: { timestamp: p.timestamp, expires_at: p.expires_at } });
  }
  const c = new Change(s);
  const key = remoteKey(p.intent_type, p.target, p.initiator);
  const remote = new Map(s.remote_intents);
  remote.delete(key);
  remote.set(key, { intent_type: p.intent_type, target: p.target, initiator: p.initiator as NodeId, timestamp: p.timestamp, expires_at: p.expires_at, status: 'pending', seq: c.seq() });
  while (remote.size > FLEET_LIMITS.maxRemoteIntents) remote.delete(remote.keys().next().value!);
  c.set({ remote_intents: remote });
  const ours = localPending(s, p.intent_type, p.target, now_s);
  if (!ours) return c.done();
  if (s.config.our_node_id < p.initiator) return c.log('info', 'intent_conflict_won', { intent_id: ours.intent_id, other: p.initiator }).done();
  abortIntent(c, ours, 'tie_breaker_loss', now_s);
  return c.done();
}

/** INTENT_ABORT: the initiator yields; forget its lock. */
export function onIntentAbort(s: FleetState, a: Admitted<'INTENT_ABORT'>): FleetStep {
  const p = a.message.payload;
  const key = remoteKey(p.intent_type, p.target, p.initiator);
  const r = s.remote_intents.get(key);
  if (!r || r.status !== 'pending') return refuse(s, { reason: 'unknown_intent', peer_id: a.peer_id, msg_type: 'INTENT_ABORT', fields: { key } });
  return new Change(s).set({ remote_intents: new Map(s.remote_intents).set(key, { ...r, status: 'aborted' }) }).done();
}

/** Outcome of an `execute_intent`: committed → done | failed. */
export function onIntentResult(s: FleetState, intent_id: string, success: boolean, now_s: UnixSeconds, detail = ''): FleetStep {
  const row = s.tables.intents.get(keyOf(intent_id));
  const next = row ? transition(row, success ? 'done' : 'failed', now_s, detail) : null;
  if (!row || !next) return refuse(s, { reason: row ? 'bad_transition' : 'unknown_intent', fields: { intent_id, status: row?.status ?? null } });
  return new Change(s).put('intents', next).done();
}

/** Timer: expire, commit or queue ready intents; fail stuck commits; purge old rows and remote locks. */
export function intentTick(c: Change, now_s: UnixSeconds): void {
  const cfg = c.state.config;
  for (const row of c.state.tables.intents.values()) {
    if (row.status === 'pending' && now_s >= row.expires_at) {
      c.put('intents', transition(row, 'expired', now_s)!);
    } else if (row.status === 'pending' && now_s - row.timestamp >= cfg.intent_hold_s) {
      if (row.approved === 1 || cfg.governance_mode === 'autonomous') commitIntent(c, row, now_s);
      else queueAction(c, row, now_s);
    } else if (row.status === 'committed' && now_s - row.updated_at > FLEET_LIMITS.committedTimeout_s) {
      c.put('intents', transition(row, 'failed', now_s, 'commit_timeout')!);
    } else if (INTENT_TRANSITIONS[row.status].length === 0 && now_s - row.updated_at > FLEET_LIMITS.terminalRetention_s) {
      c.del('intents', keyOf(row.intent_id));
    }
  }
  const remote = [...c.state.remote_intents].filter(([, r]) => now_s <= r.expires_at + FLEET_LIMITS.remoteIntentRetention_s);
  if (remote.length !== c.state.remote_intents.size) c.set({ remote_intents: new Map(remote) });
}

/** Advisor mode: a ready intent becomes one pending action (once). */
function queueAction(c: Change, row: IntentRow, now_s: UnixSeconds): void {
  for (const a of c.state.tables.actions.values()) if (a.intent_id === row.intent_id) return;
  const action_id = row.intent_id.slice(0, 12);
  c.put('actions', {
    action_id,
    intent_id: row.intent_id,
    intent_type: row.intent_type,
    target: row.target,
    amount_sats: row.amount_sats,
    created_at: now_s,
    expires_at: now_s + FLEET_LIMITS.actionTtl_s,
    status: 'pending',
    decided_at: null,
    reason: '',
  });
  c.emit({ kind: 'event', name: 'action_pending', fields: { action_id, intent_type: row.intent_type, target: row.target, amount_sats: row.amount_sats } });
}
