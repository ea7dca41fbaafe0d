/**
 * `hivebox status`: this node's hive, tier, members, joins in progress, open challenges, the
 * planner's summary with its top hive_share targets, and the approval waiting on the signer
 * button (daemon command `hive-status`). `--watch` follows the live state the daemon publishes
 * over MQTT instead (`hivebox watch`, broker from `[mqtt]`).
 */
import type { InboundStatus } from '../../../services/daemon-ipc/inbound-budget.ts';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import type { StatusResult } from '../../node/hive/rpc/status.ts';
import { runDaemonCommand, withDaemonOptions, type DaemonCliOptions } from '../daemon-rpc.ts';
import { EXIT } from '../exit-codes.ts';
import { watchAction } from './watch.ts';

/** Options of `hivebox status`. */
interface StatusCliOptions extends DaemonCliOptions {
  watch?: boolean;
  url?: string;
  node: string;
  once?: boolean;
  timeout: string;
}

/** Inbound budget lines: queue, admitted, drops per reason, then the peers with most drops. */
function renderInbound(i: InboundStatus): string[] {
  const reasons = Object.entries(i.dropped).map(([r, n]) => `${r} ${n}`).join(', ');
  const lines = [`inbound   ${i.queued}/${i.queue_max} queued, ${i.admitted} admitted, ${i.dropped_total} dropped${reasons ? ` (${reasons})` : ''}`];
  for (const p of i.top_droppers) lines.push(`  dropped ${p.peer_id} ${p.member ? 'member    ' : 'non-member'} ${p.dropped}: ${Object.entries(p.reasons).map(([r, n]) => `${r} ${n}`).join(', ')}`);
  return lines;
}

/** The text form of a status. */
export function renderStatus(s: StatusResult): string {
  const lines = [`node      ${s.node_id} (${s.version})`];
  if (s.hive_id === null) lines.push('hive      none (run `hivebox genesis` or `hivebox join TICKET`)');
  else if (s.tier === null) lines.push(`hive      ${s.hive_id}: this node left it or was removed (its member-channel fees are restored)`);
  else {
    lines.push(`hive      ${s.hive_id}`, `tier      ${s.tier}`, `members   ${s.member_count}, membership hash ${s.membership_hash}`, `fleet     hash ${s.fleet_hash} over ${s.fleet_states} states${s.pending_gossip ? ` (${s.pending_gossip} GOSSIP waiting)` : ''}, ${s.pending_actions} actions pending`);
  }
  const p = s.planner;
  const last = p.last_cycle ? `last ${p.last_cycle.cycle_id ?? '-'} ${p.last_cycle.outcome}` : 'no cycle yet';
  lines.push(`planner   ${p.governance_mode}, expansions ${p.expansions_enabled ? 'on' : 'off'}; ${last}; next ${new Date(p.next_run_at * 1000).toISOString()}; ${p.guarded_targets} guarded, ${p.mass_saturation_events} mass-saturation events`);
  if (p.unsafe_floors.length > 0) lines.push(`UNSAFE    planner floors of spec 003 lowered by unsafe_ keys: ${p.unsafe_floors.join(', ')}`);
  for (const t of p.top_targets) lines.push(`  top     ${t.node_id} ${(t.alias || '-').slice(0, 20).padEnd(20)} hive_share ${(t.hive_share * 100).toFixed(1)} %`);
  if (s.ignored_peers.length > 0) lines.push(`ignored   ${s.ignored_peers.join(', ')}`);
  const unhandled = Object.entries(s.unhandled_types);
  if (unhandled.length > 0) lines.push(`unhandled ${unhandled.map(([t, n]) => `${t} ×${n}`).join(', ')} (types Hivebox does not implement; not answered)`);
  if (s.inbound) lines.push(...renderInbound(s.inbound));
  for (const j of s.joins) lines.push(`joining   via ${j.member_id}: ${j.phase} since ${new Date(j.started_at * 1000).toISOString()}`);
  if (s.open_challenges > 0) lines.push(`challenges open: ${s.open_challenges}`);
  lines.push(s.pending_approval ? `signer    waiting: ${s.pending_approval.prompt} (${s.pending_approval.seconds_left} s left)` : 'signer    no approval pending');
  return lines.join('\n');
}

/** `--watch`: the broker, credentials and topic prefix from `[mqtt]`, `--url` overriding the URL. */
async function watchFromConfig(opts: StatusCliOptions): Promise<void> {
  const cfg = loadConfig({ file: opts.config, env: process.env, home: process.env.HOME });
  if (!cfg.ok) {
    console.error(`hivebox status: ${cfg.error.message}`);
    process.exit(EXIT.usage);
  }
  const m = cfg.value.mqtt;
  const url = opts.url ?? m.url;
  if (url === undefined) {
    console.error('hivebox status --watch: no MQTT broker: set [mqtt] url in the configuration or pass --url');
    process.exit(EXIT.usage);
  }
  await watchAction({
    url,
    ...(m.username !== undefined ? { username: m.username } : {}),
    ...(m.password !== undefined ? { password: m.password } : {}),
    ...(m.ca_file !== undefined ? { ca: m.ca_file } : {}),
    prefix: m.topic_prefix,
    node: opts.node,
    ...(opts.once ? { once: true } : {}),
    timeout: opts.timeout,
  });
}

/** Register `hivebox status`. */
export function registerStatus(program: Command): void {
  withDaemonOptions(program.command('status').description("show this node's hive membership, joins in progress and pending signer approvals"))
    .option('--watch', 'follow the live status published over MQTT (broker from [mqtt] in the configuration)')
    .option('--url <url>', 'with --watch: broker URL instead of [mqtt] url')
    .option('--node <prefix>', 'with --watch: node id prefix (12 hex) or + for all', '+')
    .option('--once', 'with --watch: print the first complete state and exit')
    .option('--timeout <s>', 'with --watch --once: give up after this many seconds', '10')
    .action((opts: StatusCliOptions) => (opts.watch ? watchFromConfig(opts) : runDaemonCommand('status', opts, (d) => d.call<StatusResult>('hive-status', {}), renderStatus)));
}
