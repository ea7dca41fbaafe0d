/**
 * `hivebox invite [--valid-hours N] [--req-splice] [--req-dual-fund] [--req-version X] [--clhive]`: issue an
 * invite ticket (daemon command `hive-invite`). While the daemon waits for the fleet signer, the
 * command shows "Press the button on your Hivebox signer to approve: invite to <hive>, valid 24 h,
 * requires splice" with a live countdown (read from `hive-status`), then prints the ticket.
 * `--clhive` prints a ticket in cl-hive's form and the `hive-join` command the cl-hive node runs.
 */
import type { Command } from 'commander';
import type { InviteResult } from '../../node/hive/rpc/invite.ts';
import type { ClhiveInviteResult } from '../../node/hive/rpc/invite-clhive.ts';
import { runDaemonCommand, whileRunning, withDaemonOptions, type DaemonCliOptions, type DaemonConnection } from '../daemon-rpc.ts';

interface InviteOptions extends DaemonCliOptions {
  validHours?: string;
  reqSplice?: boolean;
  reqDualFund?: boolean;
  reqVersion?: string;
  clhive?: boolean;
}

/** How long the CLI waits for the daemon's answer (the button may take the signer's whole timeout). */
export const INVITE_TIMEOUT_MS = 300_000;

/** Show the signer prompt and its countdown on stderr until `done` settles (invite, revoke). */
export async function showPrompt(d: DaemonConnection, done: Promise<unknown>): Promise<void> {
  const tty = process.stderr.isTTY === true;
  let shown = false;
  await whileRunning(d, done, (s) => {
    const pending = s.pending_approval;
    if (!pending) return;
    if (!shown) process.stderr.write(tty ? `${pending.prompt}\n` : `${pending.prompt} (${pending.seconds_left} s)\n`);
    if (tty) process.stderr.write(`\r  ${String(pending.seconds_left).padStart(3)} s left `);
    shown = true;
  });
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
      .option('--req-version <x>', 'lowest Hivebox version the joiner may run, e.g. 0.2 (semver against its manifest "hivebox vX.Y.Z"; other implementations are refused)')
      .option('--clhive', "a ticket in cl-hive's form for a cl-hive node (needs [hive] accept_clhive_channel_join; no signer button)"),
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
          ...(opts.clhive ? { clhive: true } : {}),
        };
        const result = d.call<InviteResult | ClhiveInviteResult>('hive-invite', params, INVITE_TIMEOUT_MS);
        await showPrompt(d, result);
        return result;
      },
      (r) => {
        if ('format' in r) return `cl-hive ticket for ${r.hive_id}, valid ${r.valid_hours} h; on the cl-hive node run (naming this node as the peer):\n${r.command}\nNote: ${r.note}.`;
        const req = r.requires.length ? `, requires ${r.requires.join(', ')}` : '';
        return `Invite to ${r.hive_id}, valid ${r.valid_hours} h${req} (ticket ${r.ticket_id}):\n${r.ticket}`;
      },
    ),
  );
}
