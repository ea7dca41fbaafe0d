/**
 * `hivebox approve ACTION_ID [--amount SAT]`: approve a pending action (clhive-protocol.md §6.7
 * `hive-approve-action`) — a planner proposal or a fleet intent action, by the id `hivebox
 * actions` shows ("all" for every one). Through the daemon it takes effect at once (a channel
 * open goes through the intent lock, then `fundchannel`); with `--store FILE` the decision is
 * recorded in the store's inbox for the daemon's next tick. Exit codes as `hivebox actions`.
 */
import type { Command } from 'commander';
import { withDaemonOptions } from '../daemon-rpc.ts';
import { EXIT } from '../exit-codes.ts';
import { decide, NOW_OPTION, STORE_OPTION, type ActionCliOptions } from './actions.ts';

/** Register `hivebox approve`. */
export function registerApprove(program: Command): void {
  withDaemonOptions(program.command('approve').description('approve a pending action (a channel open then goes through the intent lock and fundchannel)'))
    .argument('<action_id>', 'id from `hivebox actions`, or "all"')
    .option('--amount <sat>', 'lower the proposed amount (channel open, push, splice)')
    .option(...STORE_OPTION)
    .option(...NOW_OPTION)
    .action(async (action_id: string, opts: ActionCliOptions & { amount?: string }) => {
      const amount = opts.amount === undefined ? null : Number(opts.amount);
      if (amount !== null && !(Number.isSafeInteger(amount) && amount > 0)) {
        console.error(`hivebox: --amount: "${opts.amount}" is not a whole number of sat`);
        process.exit(EXIT.usage);
      }
      await decide(opts, action_id, 'approve', '', amount);
    });
}
