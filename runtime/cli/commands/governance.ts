/**
 * Fleet governance commands (daemon commands in runtime/node/hive/rpc/governance.ts; the same
 * operations are `lightning-cli hive-*`):
 *   hivebox promote                              as a neophyte: ask the members to vouch (hive-promote)
 *   hivebox vouch NODE_ID                        vouch for a neophyte's request (hive-vouch)
 *   hivebox ban list                             ban proposals with votes, and the ignore list (hive-bans)
 *   hivebox ban propose NODE_ID --reason TEXT    propose banning a member (hive-ban-propose)
 *   hivebox ban vote PROPOSAL_ID approve|reject  vote on a proposal (hive-ban-vote)
 *   hivebox ban-peer NODE_ID --reason TEXT       external node → fleet ignore list (hive-ban-peer)
 *   hivebox revoke NODE_ID [--reason TEXT]       revoke a member with the admin key; press the signer button (hive-revoke)
 *   hivebox leave [--reason TEXT]                leave the hive; member-channel fees are restored (hive-leave)
 */
import type { Command } from 'commander';
import type { BanPeerResult, BanProposalView, BansResult, LeaveResult, PromoteResult, RevokeResult } from '../../node/hive/rpc/governance.ts';
import { runDaemonCommand, withDaemonOptions, type DaemonCliOptions } from '../daemon-rpc.ts';
import { INVITE_TIMEOUT_MS, showPrompt } from './invite.ts';

interface ReasonOptions extends DaemonCliOptions {
  reason?: string;
}

const iso = (s: number) => new Date(s * 1000).toISOString();

/** One line per promotion: who, how many vouches of the quorum. */
export function renderPromotion(r: PromoteResult): string {
  const who = r.vouchers.length ? ` (${r.vouchers.map((v) => v.slice(0, 16)).join(', ')})` : '';
  if (r.tier === 'member') return `${r.node_id}: promoted to member; vouched by ${r.vouchers.length}${who}`;
  if (r.request_id === null) return `${r.node_id}: no promotion request yet; quorum ${r.quorum}`;
  return `${r.node_id}: neophyte, request ${r.request_id}; vouches ${r.vouchers.length}/${r.quorum}${who}`;
}

/** One ban proposal as a line. */
export function renderProposal(p: BanProposalView): string {
  return `${p.proposal_id}  ${p.status.padEnd(8)}  target ${p.target}  approve ${p.approvals}/${p.threshold}, reject ${p.rejections}; your vote ${p.our_vote ?? '-'}; "${p.reason}" (expires ${iso(p.expires_at)})`;
}

function renderBans(r: BansResult): string {
  const lines = [r.proposals.length ? 'ban proposals:' : 'no ban proposals', ...r.proposals.map((p) => `  ${renderProposal(p)}`)];
  lines.push(r.peer_bans.length ? 'ignored external peers:' : 'no ignored external peers', ...r.peer_bans.map((b) => `  ${b.node_id}  by ${b.reporter_id.slice(0, 16)}…  ${iso(b.banned_at)}  "${b.reason}"`));
  return lines.join('\n');
}

/** Register `hivebox promote`. */
export function registerPromote(program: Command): void {
  withDaemonOptions(program.command('promote').description('as a neophyte: ask the full members to vouch for your promotion')).action((opts: DaemonCliOptions) =>
    runDaemonCommand('promote', opts, (d) => d.call<PromoteResult>('hive-promote', {}), renderPromotion),
  );
}

/** Register `hivebox vouch`. */
export function registerVouch(program: Command): void {
  withDaemonOptions(program.command('vouch').description("vouch for a neophyte's promotion request (it becomes a member at the quorum)").argument('<node_id>', 'the neophyte (see `hivebox members`)')).action(
    (node_id: string, opts: DaemonCliOptions) => runDaemonCommand('vouch', opts, (d) => d.call<PromoteResult>('hive-vouch', { node_id }), renderPromotion),
  );
}

/** Register `hivebox ban list|propose|vote`. */
export function registerBan(program: Command): void {
  const ban = program.command('ban').description('ban a member by vote of the full members');
  withDaemonOptions(ban.command('list').description('ban proposals with their votes, and the ignored external peers')).action((opts: DaemonCliOptions) =>
    runDaemonCommand('ban list', opts, (d) => d.call<BansResult>('hive-bans', {}), renderBans),
  );
  withDaemonOptions(ban.command('propose').description('propose banning a member; your approve vote is cast').argument('<node_id>', 'the member').requiredOption('--reason <text>', 'why (shown to every member)')).action(
    (node_id: string, opts: ReasonOptions) => runDaemonCommand('ban propose', opts, (d) => d.call<BanProposalView>('hive-ban-propose', { node_id, reason: opts.reason }), renderProposal),
  );
  withDaemonOptions(ban.command('vote').description('vote on a ban proposal').argument('<proposal_id>', 'id from `hivebox ban list`').argument('<vote>', 'approve | reject')).action(
    (proposal_id: string, vote: string, opts: DaemonCliOptions) => runDaemonCommand('ban vote', opts, (d) => d.call<BanProposalView>('hive-ban-vote', { proposal_id, vote }), renderProposal),
  );
}

/** Register `hivebox ban-peer`. */
export function registerBanPeer(program: Command): void {
  withDaemonOptions(
    program
      .command('ban-peer')
      .description('put an external (non-member) node on the fleet ignore list: every member refuses its channels')
      .argument('<node_id>', 'the external node')
      .requiredOption('--reason <text>', 'why')
      .option('--evidence <text>', 'evidence (repeatable)', (v: string, acc: string[]) => [...acc, v], []),
  ).action((node_id: string, opts: ReasonOptions & { evidence: string[] }) =>
    runDaemonCommand('ban-peer', opts, (d) => d.call<BanPeerResult>('hive-ban-peer', { node_id, reason: opts.reason, evidence: opts.evidence }), (r) => `${r.node_id} is on the fleet ignore list (ban ${r.ban_id}); ${r.ignored_peers.length} ignored peer(s).`),
  );
}

/** Register `hivebox revoke`. */
export function registerRevoke(program: Command): void {
  withDaemonOptions(program.command('revoke').description('revoke a member with the fleet admin key (press the signer button)').argument('<node_id>', 'the member').option('--reason <text>', 'why')).action(
    (node_id: string, opts: ReasonOptions) =>
      runDaemonCommand(
        'revoke',
        opts,
        async (d) => {
          const result = d.call<RevokeResult>('hive-revoke', { node_id, ...(opts.reason === undefined ? {} : { reason: opts.reason }) }, INVITE_TIMEOUT_MS);
          await showPrompt(d, result);
          return result;
        },
        (r) => `Revoked ${r.node_id} (revocation ${r.revocation_id}, admin key ${r.admin_pubkey}); ${r.member_count} members remain.`,
      ),
  );
}

/** Register `hivebox leave`. */
export function registerLeave(program: Command): void {
  withDaemonOptions(program.command('leave').description('leave the hive: every member is told, 0-fee member channels get their fees back').option('--reason <text>', 'why')).action((opts: ReasonOptions) =>
    runDaemonCommand('leave', opts, (d) => d.call<LeaveResult>('hive-leave', opts.reason === undefined ? {} : { reason: opts.reason }), (r) => `Left ${r.hive_id}; fees restored on ${r.fees_restored} channel(s).`),
  );
}
