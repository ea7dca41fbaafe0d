/**
 * `hivebox actions [--all] [--json]`: the operator's one queue of pending actions (advisor mode,
 * spec 003 §2.2, §3; clhive-protocol.md §6.7 `hive-pending-actions`) — the planner's proposals
 * and the fleet's intent actions under one id space (runtime/node/planner/action-queue.ts). By default
 * it asks the running daemon; with `--store FILE` (or $HIVEBOX_STORE) it reads the node store
 * directly, so it also works without a daemon. Also the shared plumbing of `hivebox approve` /
 * `hivebox reject`: through the daemon they take effect at once; with `--store` the decision goes
 * into the store's inbox and the daemon applies it on its next tick.
 *
 * Exit codes: 0 ok; 1 the decision cannot be recorded (unknown, decided or expired action);
 * 64 bad usage; 69 the store or the daemon cannot be reached.
 */
import type { Command } from 'commander';
import type { ActionView } from '../../node/planner/action-queue.ts';
import { actionQueue, resolveAction } from '../../node/planner/action-queue.ts';
import { INITIAL_PLANNER_RECORD, parsePlannerRecord, type PlannerRecord } from '../../node/planner/planner-record.ts';
import type { DecideResult, PendingActionsResult } from '../../node/hive/rpc/actions.ts';
import { openFleetStore, type FleetStore } from '../../../services/store/fleet-store.ts';
import { openPlannerStore, type PlannerStore } from '../../../services/store/planner-store.ts';
import { runDaemonCommand, withDaemonOptions, type DaemonCliOptions } from '../daemon-rpc.ts';
import { EXIT } from '../exit-codes.ts';

/** Store option shared by the action commands (offline mode). */
export const STORE_OPTION = ['--store <file>', 'read/write the node store file directly instead of asking the daemon (default: $HIVEBOX_STORE)'] as const;

/** Clock override of offline approve / reject (default: the system clock). */
export const NOW_OPTION = ['--now <unix_seconds>', 'with --store: judge expiry at this time instead of now'] as const;

/** Options of the action commands. */
export interface ActionCliOptions extends DaemonCliOptions {
  store?: string;
  now?: string;
}

/** The store file of offline mode, or null for daemon mode. */
function storePath(opts: ActionCliOptions): string | null {
  return opts.store ?? (process.env.HIVEBOX_STORE || null);
}

/** Both views of one node store file, or exit with a message. */
function openStoresOrExit(file: string): { fleet: FleetStore; planner: PlannerStore; record: PlannerRecord } {
  const now = Math.floor(Date.now() / 1000);
  const fleet = openFleetStore(file, now);
  const planner = fleet.ok ? openPlannerStore(file, now) : null;
  if (!fleet.ok || !planner?.ok) {
    console.error(`hivebox: cannot open store ${file}: ${JSON.stringify(!fleet.ok ? fleet.error : planner && !planner.ok ? planner.error : null)}`);
    process.exit(EXIT.unavailable);
  }
  const stored = planner.value.load();
  const record = (stored && parsePlannerRecord(stored.format, stored.record)) ?? INITIAL_PLANNER_RECORD;
  return { fleet: fleet.value, planner: planner.value, record };
}

function nowOrExit(opts: ActionCliOptions): number {
  const now = opts.now === undefined ? Math.floor(Date.now() / 1000) : Number(opts.now);
  if (!Number.isSafeInteger(now) || now <= 0) {
    console.error('hivebox: --now must be unix seconds');
    process.exit(EXIT.usage);
  }
  return now;
}

/**
 * Record the operator's decision on `action_id` in the store's inbox (offline mode): planner
 * actions (and fleet actions that belong to one) in the planner's inbox, other fleet actions in
 * the fleet's. Prints the outcome and exits.
 */
function decideOffline(file: string, opts: ActionCliOptions, action_id: string, decision: 'approve' | 'reject', reason: string, amount: number | null): never {
  const now = nowOrExit(opts);
  const { fleet, planner, record } = openStoresOrExit(file);
  const resolved = resolveAction(record, fleet.loadTables(), action_id);
  let outcome: { ok: true; seq: number; id: string } | { ok: false; why: string };
  if (resolved?.source === 'planner') {
    const a = resolved.action;
    if (now >= a.expires_at) outcome = { ok: false, why: 'it expired' };
    else {
      const r = planner.recordDecision(a.action_id, decision, reason, amount, now);
      outcome = r.ok ? { ok: true, seq: r.seq, id: a.action_id } : { ok: false, why: r.error.kind };
    }
  } else if (amount !== null) outcome = { ok: false, why: 'a fleet intent action keeps its announced amount' };
  else {
    const r = fleet.recordDecision(action_id, decision, reason, now);
    outcome = r.ok
      ? { ok: true, seq: r.seq, id: action_id }
      : { ok: false, why: r.error.kind === 'action_not_pending' ? `it is already ${r.error.status}` : r.error.kind === 'action_expired' ? 'it expired' : 'no such action' };
  }
  fleet.close();
  planner.close();
  if (!outcome.ok) {
    console.error(`hivebox: cannot ${decision} ${action_id}: ${outcome.why}`);
    process.exit(EXIT.failure);
  }
  console.log(`${decision} ${outcome.id} recorded (inbox #${outcome.seq}); the daemon applies it on its next tick`);
  process.exit(EXIT.ok);
}

/** `hivebox approve|reject`: through the daemon, or with `--store` into the inbox. */
export async function decide(opts: ActionCliOptions, action_id: string, decision: 'approve' | 'reject', reason: string, amount: number | null): Promise<void> {
  const file = storePath(opts);
  if (file !== null) decideOffline(file, opts, action_id, decision, reason, amount);
  const method = decision === 'approve' ? 'hive-approve-action' : 'hive-reject-action';
  const params = decision === 'approve' ? { action_id, ...(amount === null ? {} : { amount_sats: amount }) } : { action_id, reason };
  await runDaemonCommand(decision, opts, (d) => d.call<DecideResult>(method, params), (r) =>
    [...r.decided.map((o) => `${o.decision} ${o.action_id} (${o.kind}${o.target ? ` ${o.target}` : ''}): ${o.outcome}`), ...r.refused.map((f) => `refused ${f.action_id}: ${f.error}`)].join('\n') || 'nothing pending',
  );
}

function line(a: ActionView): string {
  const expires = a.expires_at === null ? '-' : new Date(a.expires_at * 1000).toISOString().replace('.000Z', 'Z');
  const head = [a.action_id.padEnd(12), a.status.padEnd(10), a.kind.padEnd(19), a.target ?? '-', String(a.amount_sats ?? '-').padStart(12), expires].join('  ');
  const intent = a.intent ? `\n    intent ${a.intent.intent_id} ${a.intent.status}${a.intent.fleet_action_id ? ` (fleet action ${a.intent.fleet_action_id})` : ''}` : '';
  return `${head}${intent}${a.rule ? `\n    ${a.rule}` : ''}`;
}

/** The queue as text. */
export function renderActions(actions: readonly ActionView[]): string {
  return actions.length === 0 ? 'no pending actions' : actions.map(line).join('\n');
}

/** Register `hivebox actions`. */
export function registerActions(program: Command): void {
  withDaemonOptions(program.command('actions').description('list the pending actions waiting for approve / reject (planner proposals and fleet intents, advisor mode)'))
    .option(...STORE_OPTION)
    .option('--all', 'also list decided and expired actions')
    .action(async (opts: ActionCliOptions & { all?: boolean }) => {
      const file = storePath(opts);
      if (file === null) {
        await runDaemonCommand('actions', opts, async (d) => (await d.call<PendingActionsResult>('hive-pending-actions', { all: opts.all === true })).actions, renderActions);
        return;
      }
      const { fleet, planner, record } = openStoresOrExit(file);
      const rows = actionQueue(record, fleet.loadTables(), { all: opts.all === true });
      fleet.close();
      planner.close();
      console.log(opts.json ? JSON.stringify(rows) : renderActions(rows));
    });
}
