/**
 * `hivebox join TICKET [--peer NODE_ID]`: join a hive with an invite ticket (daemon command
 * `hive-join`): HELLO to the member (or every connected peer), then CHALLENGE, ATTEST, WELCOME.
 * A ticket printed by cl-hive's `hive-invite` runs cl-hive's ticketless join in cl-hive framing
 * (to `--peer`, default the ticket's admin_pubkey). Each phase the join reaches is shown on stderr
 * (read from `hive-status` while the daemon works).
 */
import type { Command } from 'commander';
import type { JoinResult } from '../../node/hive/rpc/join.ts';
import { runDaemonCommand, whileRunning, withDaemonOptions, type DaemonCliOptions, type DaemonConnection } from '../daemon-rpc.ts';

/** The CLI waits longer than the daemon's `join_wait_s` (max 600 s) so the daemon's answer arrives. */
const JOIN_TIMEOUT_MS = 610_000;
/** Print each new phase of the joins in progress on stderr until `done` settles. */
function showProgress(d: DaemonConnection, done: Promise<unknown>): Promise<void> {
  const seen = new Set<string>();
  return whileRunning(d, done, (s) => {
    for (const j of s.joins) {
      const key = `${j.member_id}:${j.phase}`;
      if (seen.has(key)) continue;
      seen.add(key);
      process.stderr.write(`join ${j.member_id.slice(0, 16)}…: ${j.phase}\n`);
    }
  });
}

/** Register `hivebox join`. */
export function registerJoin(program: Command): void {
  withDaemonOptions(
    program
      .command('join')
      .description('join a hive with an invite ticket')
      .argument('<ticket>', "the ticket from `hivebox invite` on a member, or from cl-hive's `hive-invite`")
      .option('--peer <node_id>', "the member to ask (default: every connected peer; for a cl-hive ticket, its admin_pubkey)"),
  ).action((ticket: string, opts: DaemonCliOptions & { peer?: string }) =>
    runDaemonCommand(
      'join',
      opts,
      async (d) => {
        const result = d.call<JoinResult>('hive-join', { ticket, ...(opts.peer === undefined ? {} : { peer_id: opts.peer }) }, JOIN_TIMEOUT_MS);
        await showProgress(d, result);
        return result;
      },
      (r) =>
        `Joined ${r.hive_id} as neophyte${r.ticket_format === 'clhive' ? ' (cl-hive ticket, cl-hive framing)' : ''}, welcomed by ${r.member_id}; ${r.members.length} members, membership hash ${r.membership_hash}.`,
    ),
  );
}
