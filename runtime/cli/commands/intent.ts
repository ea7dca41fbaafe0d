/**
 * Operator intents through the fleet's Intent Lock Protocol (daemon commands in
 * runtime/node/hive/rpc/intent.ts; the same operations are `lightning-cli hive-intent|hive-intents`):
 *   hivebox intent channel_open NODE_ID --amount SAT   claim a channel open to NODE_ID; fundchannel after the hold
 *   hivebox intent rebalance TARGET                    claim a rebalance target
 *   hivebox intents                                    our intents and the members' live locks
 * When two members claim the same target, the lower node id wins on every member; the other side's
 * intent ends `aborted` (`tie_breaker_loss`).
 */
import type { Command } from 'commander';
import type { IntentsResult, IntentView } from '../../node/hive/rpc/intent.ts';
import { runDaemonCommand, withDaemonOptions, type DaemonCliOptions } from '../daemon-rpc.ts';

const iso = (s: number) => new Date(s * 1000).toISOString();

function renderIntent(r: IntentView): string {
  const amount = r.amount_sats === null ? '' : ` ${r.amount_sats} sat`;
  const why = r.reason ? ` (${r.reason})` : '';
  return `${r.intent_id}  ${r.status.padEnd(9)}  ${r.intent_type} ${r.target}${amount}; announced ${iso(r.timestamp)}, lock ends ${iso(r.expires_at)}${why}`;
}

function renderIntents(r: IntentsResult): string {
  const lines = [r.intents.length ? `our intents (held ${r.hold_s} s before they commit):` : 'no intents of ours', ...r.intents.map((i) => `  ${renderIntent(i)}`)];
  lines.push(r.remote.length ? "members' intents:" : "no members' intents", ...r.remote.map((i) => `  ${i.status.padEnd(9)}  ${i.intent_type} ${i.target} by ${i.initiator.slice(0, 16)}…, lock ends ${iso(i.expires_at)}`));
  return lines.join('\n');
}

/** Register `hivebox intent`. */
export function registerIntent(program: Command): void {
  withDaemonOptions(
    program
      .command('intent')
      .description('announce an intent through the fleet intent lock (carried out after the hold unless a member with a lower node id claims the same target)')
      .argument('<intent_type>', 'channel_open | rebalance')
      .argument('<target>', 'the node id (channel_open) or rebalance target')
      .option('--amount <sat>', 'channel size for channel_open, sat'),
  ).action((intent_type: string, target: string, opts: DaemonCliOptions & { amount?: string }) =>
    runDaemonCommand('intent', opts, (d) => d.call<IntentView>('hive-intent', { intent_type, target, ...(opts.amount === undefined ? {} : { amount_sats: opts.amount }) }), renderIntent),
  );
}

/** Register `hivebox intents`. */
export function registerIntents(program: Command): void {
  withDaemonOptions(program.command('intents').description("our intents and the members' live intent locks")).action((opts: DaemonCliOptions) =>
    runDaemonCommand('intents', opts, (d) => d.call<IntentsResult>('hive-intents', {}), renderIntents),
  );
}
