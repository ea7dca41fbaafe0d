/**
 * `hivebox reject ACTION_ID [--reason TEXT]`: reject a pending action (clhive-protocol.md §6.7
 * `hive-reject-action`; "all" for every one): the planner does not propose the target again for
 * 24 h and the fleet aborts its intent (INTENT_ABORT releases the target). Through the daemon at
 * once, or with `--store FILE` on the daemon's next tick. Exit codes as `hivebox actions`.
 */
import type { Command } from 'commander';
import { withDaemonOptions } from '../daemon-rpc.ts';
import { decide, NOW_OPTION, STORE_OPTION, type ActionCliOptions } from './actions.ts';

/** Register `hivebox reject`. */
export function registerReject(program: Command): void {
  withDaemonOptions(program.command('reject').description('reject a pending action (24 h backoff for its target; the intent is aborted)'))
    .argument('<action_id>', 'id from `hivebox actions`, or "all"')
    .option('--reason <text>', 'why (kept with the action)', '')
    .option(...STORE_OPTION)
    .option(...NOW_OPTION)
    .action((action_id: string, opts: ActionCliOptions & { reason: string }) => decide(opts, action_id, 'reject', opts.reason, null));
}
