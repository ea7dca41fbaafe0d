/**
 * `hivebox invite [--valid-hours N] [--req-splice] [--req-dual-fund] [--req-version X]`: issue an
 * invite ticket (daemon command `hive-invite`). While the daemon waits for the fleet signer, the
 * command shows "Press the button on your Hivebox signer to approve: invite to <hive>, valid 24 h,
 * requires splice" with a live countdown (read from `hive-status`), then prints the ticket.
 */
import type { Command } from 'commander';
import type { InviteResult } from '../../engine/rpc/invite.ts';
import type { StatusResult } from '../../engine/rpc/status.ts';
import { runDaemonCommand, withDaemonOptions, type DaemonCliOptions, type DaemonConnection } from '../daemon-rpc.ts';

interface InviteOptions extends DaemonCliOptions {
  validHours?: string;
  reqSplice?: boolean;
  reqDualFund?: boolean;
  reqVersion?: string;
}

/** How often the countdown is refreshed from `hive-status`, ms. */
const POLL_MS = 250;
/** How long the CLI waits for the daemon's answer (the button may take the signer's whole timeout). */
const INVITE_TIMEOUT_MS = 300_000;

/** Show the signer prompt and its countdown on stderr until `done` settles. */
async function showPrompt(d: DaemonConnection, done: Promise<unknown>): Promise<void> {
  let finished = false;
  const finish = () => {
    finished = true;
  };
  done.then(finish, finish);
  const tty = process.stderr.isTTY === true;
  let shown = false;
  while (!finished) {
    const s = await d.request('hive-status', {}, 5_000);
    const pending = 'result' in s ? (s.result as StatusResult).pending_approval : null;
    if (pending && !finished) {
      if (!shown) process.stderr.write(tty ? `${pending.prompt}\n` : `${pending.prompt} (${pending.seconds_left} s)\n`);
      if (tty) process.stderr.write(`\r  ${String(pending.seconds_left).padStart(3)} s left `);
      shown = true;
    }
    await Promise.race([done.catch(() => {}), Bun.sleep(POLL_MS)]);
  }
  if (shown && tty) process.stderr.write('\r\x1b[K');
}

/** Register `hivebox invite`. */
export function registerInvite(program: Command): void {
  withDaemonOptions(
    program
      .command('invite')
      .description('issue an invite ticket for one node to join this hive (approve it on the signer)')
      .option('--valid-hours <n>', 'hours the ticket stays valid (1-168)', '24')
      .option('--req-splice', 'the joiner must have negotiated splicing')
      .option('--req-dual-fund', 'the joiner must have negotiated dual funding')
      .option('--req-version <x>', 'lowest hivebox version the joiner may run, e.g. 0.2'),
  ).action((opts: InviteOptions) =>
    runDaemonCommand(
      'invite',
      opts,
      async (d) => {
        const params = {
          ...(opts.validHours === undefined ? {} : { valid_hours: opts.validHours }),
          ...(opts.reqSplice ? { req_splice: true } : {}),
          ...(opts.reqDualFund ? { req_dual_fund: true } : {}),
          ...(opts.reqVersion === undefined ? {} : { req_version: opts.reqVersion }),
        };
        const result = d.call<InviteResult>('hive-invite', params, INVITE_TIMEOUT_MS);
        await showPrompt(d, result);
        return result;
      },
      (r) => {
        const req = r.requires.length ? `, requires ${r.requires.join(', ')}` : '';
        return `Invite to ${r.hive_id}, valid ${r.valid_hours} h${req} (ticket ${r.ticket_id}):\n${r.ticket}`;
      },
    ),
  );
}
