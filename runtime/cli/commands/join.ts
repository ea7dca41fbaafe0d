/**
 * `hivebox join TICKET [--peer NODE_ID]`: join a hive with an invite ticket (daemon command
 * `hive-join`): HELLO to the member (or every connected peer), then CHALLENGE, ATTEST, WELCOME.
 */
import type { Command } from 'commander';
import type { JoinResult } from '../../engine/rpc/join.ts';
import { runDaemonCommand, withDaemonOptions, type DaemonCliOptions } from '../daemon-rpc.ts';

/** The CLI waits longer than the daemon's `join_wait_s` (max 600 s) so the daemon's answer arrives. */
const JOIN_TIMEOUT_MS = 610_000;

/** Register `hivebox join`. */
export function registerJoin(program: Command): void {
  withDaemonOptions(
    program
      .command('join')
      .description('join a hive with an invite ticket')
      .argument('<ticket>', 'the ticket from `hivebox invite` on a member')
      .option('--peer <node_id>', 'the member to ask (default: every connected peer)'),
  ).action((ticket: string, opts: DaemonCliOptions & { peer?: string }) =>
    runDaemonCommand(
      'join',
      opts,
      (d) => d.call<JoinResult>('hive-join', { ticket, ...(opts.peer === undefined ? {} : { peer_id: opts.peer }) }, JOIN_TIMEOUT_MS),
      (r) => `Joined ${r.hive_id} as neophyte, welcomed by ${r.member_id}; ${r.members.length} members, membership hash ${r.membership_hash}.`,
    ),
  );
}
