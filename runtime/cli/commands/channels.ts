/**
 * `hivebox channels [--json]` (spec 004 "Channel Health Monitoring"): the running daemon reads
 * lightningd now (`hive-channels refresh`) and shows one line per channel — liquidity ratio, the
 * alert in force (low outbound < 0.2, low inbound > 0.8, cleared with hysteresis), forwards out,
 * forward success rate and fees earned over the health window — then the node-wide summary.
 */
import type { Command } from 'commander';
import type { ChannelsResult, ChannelView } from '../../node/hive/channel-monitor.ts';
import { runDaemonCommand, withDaemonOptions, type DaemonCliOptions } from '../daemon-rpc.ts';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);

function line(c: ChannelView): string {
  return [
    c.short_channel_id.padEnd(16),
    `${c.peer_id.slice(0, 16)}…`,
    `${String(Math.round(c.local_sat)).padStart(11)} / ${String(Math.round(c.capacity_sat)).padEnd(11)} sat`,
    `ratio ${c.liquidity_ratio.toFixed(2)}`,
    (c.alert ?? 'ok').padEnd(12),
    `out ${String(c.forwards_out).padStart(4)}/${String(c.forwards_out_attempted).padEnd(4)}`,
    `success ${pct(c.success_rate).padStart(7)}`,
    `fees ${Math.floor(c.fees_earned_msat / 1000)} sat`,
  ].join('  ');
}

/** The table and summary of a reading. */
export function renderChannels(r: ChannelsResult): string {
  if (r.read_at === null || r.summary === null) return `no channel reading yet${r.error ? `: ${r.error}` : ''}`;
  const s = r.summary;
  const rows = r.channels.length === 0 ? ['no normal channels'] : r.channels.map(line);
  const summary = `${s.channels} channel(s), ${s.channels_in_alert} in alert (${s.low_outbound} low outbound, ${s.low_inbound} low inbound); worst ratio ${s.worst_liquidity_ratio === null ? '—' : s.worst_liquidity_ratio.toFixed(2)}${s.worst_short_channel_id ? ` (${s.worst_short_channel_id})` : ''}; success ${pct(s.forward_success_rate)}; fees ${Math.floor(s.fees_earned_msat / 1000)} sat over ${s.window_days.toFixed(1)} days`;
  return [...rows, summary, ...(r.error ? [`last reading failed: ${r.error}`] : [])].join('\n');
}

/** Register `hivebox channels`. */
export function registerChannels(program: Command): void {
  withDaemonOptions(program.command('channels').description('channel health: liquidity ratio, alerts (< 0.2 low outbound, > 0.8 low inbound), success rate, fees earned')).action(async (opts: DaemonCliOptions) => {
    await runDaemonCommand('channels', opts, (d) => d.call<ChannelsResult>('hive-channels', { refresh: true }), renderChannels);
  });
}
