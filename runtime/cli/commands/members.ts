/**
 * `hivebox members`: the hive's members (node_id, tier, joined_at, who admitted them and how), each
 * neophyte's vouches against the promotion quorum, and the membership hash every node of a
 * consistent fleet shares (daemon command `hive-members`).
 */
import type { Command } from 'commander';
import type { MembersResult } from '../../node/hive/rpc/status.ts';
import { runDaemonCommand, withDaemonOptions, type DaemonCliOptions } from '../daemon-rpc.ts';

/** The text form of a member list. */
export function renderMembers(r: MembersResult): string {
  if (r.hive_id === null) return 'not in a hive';
  const admitted = (m: MembersResult['members'][number]) => (m.admitted_by === null ? '-' : `${m.via} by ${m.admitted_by.slice(0, 16)}…`);
  const promotion = new Map(r.promotions.map((p) => [p.node_id, p]));
  const vouches = (id: string) => {
    const p = promotion.get(id);
    if (!p) return '';
    return p.request_id === null ? '  no promotion request yet' : `  vouches ${p.vouchers.length}/${p.quorum}`;
  };
  const rows = r.members.map((m) => `  ${m.node_id}  ${m.tier.padEnd(8)}  ${new Date(m.joined_at * 1000).toISOString()}  ${admitted(m)}${vouches(m.node_id)}`);
  return [`${r.hive_id}: ${r.members.length} members, membership hash ${r.membership_hash}`, `  ${'node_id'.padEnd(66)}  ${'tier'.padEnd(8)}  ${'joined_at'.padEnd(24)}  admitted`, ...rows].join('\n');
}

/** Register `hivebox members`. */
export function registerMembers(program: Command): void {
  withDaemonOptions(program.command('members').description('list the hive members with tier, join time and the membership hash')).action((opts: DaemonCliOptions) =>
    runDaemonCommand('members', opts, (d) => d.call<MembersResult>('hive-members', {}), renderMembers),
  );
}
