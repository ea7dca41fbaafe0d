/**
 * `hivebox actions [--store FILE] [--all] [--json]`: the operator's queue of pending actions
 * (advisor mode, spec 003 §2.2, §3; clhive-protocol.md §6.7 `hive-pending-actions`), read
 * straight from the node store (services/store/fleet-store.ts), so it works with or without a
 * running daemon. Also the shared store access of `hivebox approve` / `hivebox reject`, which
 * record the decision in the store's inbox; the daemon applies it on its next tick.
 *
 * Exit codes: 0 ok; 1 the decision cannot be recorded (unknown, decided or expired action);
 * 64 no store given; 69 the store cannot be opened.
 */
import type { Command } from 'commander';
import type { ActionRow } from '../../core/fleet/tables.ts';
import { openFleetStore, type FleetStore } from '../../../services/store/fleet-store.ts';
import { EXIT } from '../exit-codes.ts';

/** Store option shared by the action commands. */
export const STORE_OPTION = ['--store <file>', 'node store (SQLite file; default: $HIVEBOX_STORE)'] as const;

/** Clock override of approve / reject (default: the system clock). */
export const NOW_OPTION = ['--now <unix_seconds>', 'judge expiry at this time instead of now'] as const;

/** Open the store named by `--store` or `$HIVEBOX_STORE`, or exit with a message. */
export function openStoreOrExit(path: string | undefined): FleetStore {
  const file = path ?? process.env.HIVEBOX_STORE;
  if (!file) {
    console.error('hivebox: no store: pass --store FILE or set HIVEBOX_STORE');
    process.exit(EXIT.usage);
  }
  const s = openFleetStore(file, Math.floor(Date.now() / 1000));
  if (!s.ok) {
    console.error(`hivebox: cannot open store ${file}: ${JSON.stringify(s.error)}`);
    process.exit(EXIT.unavailable);
  }
  return s.value;
}

/** Record the operator's decision on `action_id`; prints the outcome and exits. */
export function decideAndExit(opts: { store?: string; now?: string }, action_id: string, decision: 'approve' | 'reject', reason: string): never {
  const now = opts.now === undefined ? Math.floor(Date.now() / 1000) : Number(opts.now);
  if (!Number.isSafeInteger(now) || now <= 0) {
    console.error('hivebox: --now must be unix seconds');
    process.exit(EXIT.usage);
  }
  const store = openStoreOrExit(opts.store);
  const r = store.recordDecision(action_id, decision, reason, now);
  store.close();
  if (!r.ok) {
    const why = r.error.kind === 'action_not_pending' ? `it is already ${r.error.status}` : r.error.kind === 'action_expired' ? 'it expired' : 'no such action';
    console.error(`hivebox: cannot ${decision} ${action_id}: ${why}`);
    process.exit(EXIT.failure);
  }
  console.log(`${decision} ${action_id} recorded (inbox #${r.seq}); the daemon applies it on its next tick`);
  process.exit(EXIT.ok);
}

function line(a: ActionRow): string {
  const expires = new Date(a.expires_at * 1000).toISOString().replace('.000Z', 'Z');
  return [a.action_id, a.status.padEnd(10), a.intent_type.padEnd(12), a.target, String(a.amount_sats ?? '-').padStart(12), expires].join('  ');
}

/** Register `hivebox actions`. */
export function registerActions(program: Command): void {
  program
    .command('actions')
    .description('list the pending actions waiting for approve / reject (advisor mode)')
    .option(...STORE_OPTION)
    .option('--all', 'also list decided and expired actions')
    .option('--json', 'print a JSON array')
    .action((opts: { store?: string; all?: boolean; json?: boolean }) => {
      const store = openStoreOrExit(opts.store);
      const rows = store.actions().filter((a) => opts.all || a.status === 'pending');
      store.close();
      if (opts.json) console.log(JSON.stringify(rows));
      else if (rows.length === 0) console.log('no pending actions');
      else for (const a of rows) console.log(line(a));
    });
}
