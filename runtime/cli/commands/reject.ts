/**
 * `hivebox reject ACTION_ID [--reason TEXT] [--store FILE]`: reject a pending action
 * (clhive-protocol.md §6.7 `hive-reject-action`); the daemon aborts its intent and releases the
 * target for the fleet on its next tick. Exit codes as `hivebox actions`.
 */
import type { Command } from 'commander';
import { decideAndExit, NOW_OPTION, STORE_OPTION } from './actions.ts';

/** Register `hivebox reject`. */
export function registerReject(program: Command): void {
  program
    .command('reject')
    .description('reject a pending action (the daemon aborts its intent on its next tick)')
    .argument('<action_id>', 'id from `hivebox actions`')
    .option('--reason <text>', 'why (kept with the action)', '')
    .option(...STORE_OPTION)
    .option(...NOW_OPTION)
    .action((action_id: string, opts: { store?: string; now?: string; reason: string }) => decideAndExit(opts, action_id, 'reject', opts.reason));
}
