/**
 * The operator's one queue of pending actions (advisor mode; clhive-protocol.md §6.7
 * `hive-pending-actions`): the planner's proposals (channel opens, CLBoss guards, push
 * rebalances, splices; ids `pa-<cycle>-<n>`) joined with the fleet's intent actions (ready
 * intents waiting for approval; 12-hex ids). A planner channel open and the fleet action of the
 * intent it requested are ONE entry under the planner's id (the fleet's id is shown with it and
 * accepted as an alias), so every action has one id and is decided once. Pure: reads the planner
 * record and the fleet tables; the CLI uses it offline on a store file, the daemon live.
 */
import type { ActionRow, FleetTables, IntentRow, IntentType } from '../../core/fleet/index.ts';
import { actionTarget, type ActionProposal, type PendingAction } from '../../core/planner/actions.ts';
import type { PlannerRecord } from './planner-record.ts';

/** One entry of the queue. Amounts in sat, times unix seconds. */
export interface ActionView {
  readonly action_id: string;
  /** Who proposed it: the planner, the fleet (intent), or an advisor through remote management. */
  readonly source: 'planner' | 'fleet' | 'mgmt';
  /** Planner proposal kind, the fleet intent type, or a management action kind. */
  readonly kind: ActionProposal['kind'] | IntentType | 'performance_payout';
  /** The intent type this action goes through (channel opens), else null. */
  readonly intent_type: IntentType | null;
  readonly target: string | null;
  readonly amount_sats: number | null;
  readonly status: string;
  readonly created_at: number;
  readonly expires_at: number | null;
  readonly decided_at: number | null;
  readonly reason: string;
  /** The fleet intent behind it, if any: its id, status and the fleet's own action id (an alias of this one). */
  readonly intent: { readonly intent_id: string; readonly status: string; readonly fleet_action_id: string | null } | null;
  /** Why the planner proposed it (the decision log's rule), when known. */
  readonly rule?: string;
  /** The planner's numbers (channel size, shares, push route, splice yields). */
  readonly proposal?: ActionProposal;
}

/** An id resolved to what it names. */
export type ResolvedAction =
  | { readonly source: 'planner'; readonly action: PendingAction; readonly fleet: ActionRow | null }
  | { readonly source: 'fleet'; readonly row: ActionRow };

/** The fleet's pending action for a channel open to `target`, if any (newest). */
export function pendingOpenAction(tables: FleetTables, target: string): ActionRow | null {
  let best: ActionRow | null = null;
  for (const a of tables.actions.values()) if (a.status === 'pending' && a.intent_type === 'channel_open' && a.target === target && (!best || a.created_at > best.created_at)) best = a;
  return best;
}

/** Our newest channel_open intent on `target`, if any. */
export function latestOpenIntent(tables: FleetTables, target: string): IntentRow | null {
  let best: IntentRow | null = null;
  for (const r of tables.intents.values()) if (r.intent_type === 'channel_open' && r.target === target && (!best || r.timestamp >= best.timestamp)) best = r;
  return best;
}

function plannerOpenTarget(p: PendingAction): string | null {
  return p.proposal.kind === 'channel_open' ? p.proposal.target : null;
}

/** What `id` names: a planner action (with its linked fleet action), a fleet action, or nothing. */
export function resolveAction(record: PlannerRecord, tables: FleetTables, id: string): ResolvedAction | null {
  const own = record.planner.pending.find((a) => a.action_id === id);
  if (own) {
    const t = plannerOpenTarget(own);
    return { source: 'planner', action: own, fleet: t === null ? null : pendingOpenAction(tables, t) };
  }
  const row = tables.actions.get(id);
  if (!row) return null;
  if (row.intent_type === 'channel_open' && row.status === 'pending') {
    const linked = record.planner.pending.find((a) => plannerOpenTarget(a) === row.target);
    if (linked) return { source: 'planner', action: linked, fleet: row };
  }
  return { source: 'fleet', row };
}

function ruleOf(record: PlannerRecord, a: PendingAction): string | undefined {
  const log = record.planner.last_log;
  if (!log) return undefined;
  const target = actionTarget(a.proposal);
  if (target !== null) return log.targets.find((t) => t.node_id === target && t.action_id === a.action_id)?.rule;
  return log.liquidity.find((l) => l.action_id === a.action_id)?.rule;
}

function amountOf(p: ActionProposal): number | null {
  return 'amount_sat' in p ? p.amount_sat : null;
}

function intentView(tables: FleetTables, fleet: ActionRow | null, target: string | null): ActionView['intent'] {
  if (fleet) return { intent_id: fleet.intent_id, status: tables.intents.get(fleet.intent_id)?.status ?? 'gone', fleet_action_id: fleet.action_id };
  const intent = target === null ? null : latestOpenIntent(tables, target);
  return intent && intent.status === 'pending' ? { intent_id: intent.intent_id, status: intent.status, fleet_action_id: null } : null;
}

/**
 * The queue: pending actions first, newest first. With `all`, decided fleet actions and the
 * planner's decision history follow.
 */
export function actionQueue(record: PlannerRecord, tables: FleetTables, opts: { readonly all?: boolean } = {}): ActionView[] {
  const linked = new Set<string>();
  const out: ActionView[] = [];
  for (const a of record.planner.pending) {
    const target = plannerOpenTarget(a);
    const fleet = target === null ? null : pendingOpenAction(tables, target);
    if (fleet) linked.add(fleet.action_id);
    const rule = ruleOf(record, a);
    out.push({
      action_id: a.action_id,
      source: 'planner',
      kind: a.proposal.kind,
      intent_type: target === null ? null : 'channel_open',
      target: actionTarget(a.proposal),
      amount_sats: amountOf(a.proposal),
      status: 'pending',
      created_at: a.created_at,
      expires_at: a.expires_at,
      decided_at: null,
      reason: '',
      intent: target === null ? null : intentView(tables, fleet, target),
      ...(rule === undefined ? {} : { rule }),
      proposal: a.proposal,
    });
  }
  for (const r of tables.actions.values()) {
    if (linked.has(r.action_id) || (!opts.all && r.status !== 'pending')) continue;
    const intent = tables.intents.get(r.intent_id);
    out.push({
      action_id: r.action_id,
      source: 'fleet',
      kind: r.intent_type,
      intent_type: r.intent_type,
      target: r.target,
      amount_sats: r.amount_sats,
      status: r.status,
      created_at: r.created_at,
      expires_at: r.expires_at,
      decided_at: r.decided_at,
      reason: r.reason,
      intent: { intent_id: r.intent_id, status: intent?.status ?? 'gone', fleet_action_id: r.action_id },
    });
  }
  if (opts.all) {
    for (const d of record.decided) {
      out.push({
        action_id: d.action_id,
        source: 'planner',
        kind: (d.proposal?.kind ?? d.kind) as ActionView['kind'],
        intent_type: d.kind === 'channel_open' ? 'channel_open' : null,
        target: d.target,
        amount_sats: d.amount_sats,
        status: d.status,
        created_at: d.decided_at,
        expires_at: null,
        decided_at: d.decided_at,
        reason: d.reason,
        intent: null,
        ...(d.proposal ? { proposal: d.proposal } : {}),
      });
    }
  }
  const rank = (v: ActionView) => (v.status === 'pending' ? 0 : 1);
  return out.sort((x, y) => rank(x) - rank(y) || (y.decided_at ?? y.created_at) - (x.decided_at ?? x.created_at));
}
