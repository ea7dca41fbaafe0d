/**
 * `hivebox approve ACTION_ID [--store FILE]`: approve a pending action (clhive-protocol.md §6.7
 * `hive-approve-action`). The decision is recorded in the store's inbox; the daemon commits the
 * intent (after its hold) on its next tick. Exit codes as `hivebox actions`.
 */
import type { Command } from 'commander';
import { decideAndExit, NOW_OPTION, STORE_OPTION } from './actions.ts';

/** Register `hivebox approve`. */
export function registerApprove(program: Command): void {
  program
    .command('approve')
    .description('approve a pending action (the daemon commits it on its next tick)')
    .argument('<action_id>', 'id from `hivebox actions`')
    .option(...STORE_OPTION)
    .option(...NOW_OPTION)
    .action((action_id: string, opts: { store?: string; now?: string }) => decideAndExit(opts, action_id, 'approve', ''));
}
