/**
 * `hivebox watch` (wired as `hivebox status --watch`): subscribes to the box's MQTT status topics
 * and shows the live state in the terminal, redrawn on every update. `--once` prints the first
 * complete (retained) state and exits, for scripts. Read-only: it never publishes.
 */
import type { Command } from 'commander';
import type { NodeView } from '../../../services/mqtt/status-watcher.ts';
import { EXIT } from '../exit-codes.ts';

/** Options of `hivebox watch`. */
export interface WatchCliOptions {
  url: string;
  username?: string;
  password?: string;
  ca?: string;
  prefix: string;
  node: string;
  once?: boolean;
  timeout: string;
}

const yesNo = (b: boolean) => (b ? 'yes' : 'NO');

/** Render the views as plain text (pure; `now` in unix seconds for ages). */
export function renderNodes(nodes: ReadonlyMap<string, NodeView>, now: number): string {
  if (!nodes.size) return 'waiting for hivebox status…';
  const out: string[] = [];
  for (const v of [...nodes.values()].sort((a, b) => a.nodeIdPrefix.localeCompare(b.nodeIdPrefix))) {
    const s = v.state;
    out.push(`hivebox ${v.nodeIdPrefix}  ${v.availability ?? 'unknown'}  ${s ? s.health.toUpperCase() : '(no state)'}`);
    if (s) {
      for (const r of s.health_reasons) out.push(`  ! ${r}`);
      out.push(
        `  hive ${s.hive_id ?? '-'}  tier ${s.tier ?? '-'}  members ${s.members_count}  fleet ${s.fleet_hash ? s.fleet_hash.slice(0, 16) : '-'}`,
        `  lightningd ${yesNo(s.lightningd_up)}  signer ${yesNo(s.signer_connected)}  pending approvals ${s.pending_approvals}  last gossip ${s.last_gossip_age_s === null ? '-' : `${s.last_gossip_age_s} s ago`}`,
      );
      for (const t of s.top_hive_share_targets) out.push(`  target ${t.alias ?? t.node_id.slice(0, 16)}  hive_share ${(t.hive_share * 100).toFixed(1)} %`);
      out.push(`  updated ${Math.max(0, now - s.updated_at)} s ago  (hivebox ${s.sw_version})`);
    }
    if (v.rejected) out.push(`  ${v.rejected} malformed state message(s) ignored`);
    for (const e of v.events.slice(0, 5)) out.push(`  event ${e.kind} ${e.payload}`);
  }
  return out.join('\n');
}

/**
 * Follow the status topics and render them (`--once`: print the first complete state and end;
 * exit code 69 when none arrives within `timeout` seconds). Resolves when done or on Ctrl-C.
 */
export async function watchAction(o: WatchCliOptions): Promise<void> {
  const { watchStatus } = await import('../../../services/mqtt/status-watcher.ts');
  const password = o.password ?? process.env.HIVEBOX_MQTT_PASSWORD;
  const ca = o.ca ? await Bun.file(o.ca).text() : undefined;
  const tty = process.stdout.isTTY && !o.once;
  await new Promise<void>((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const watch = watchStatus({
      url: o.url,
      ...(o.username ? { username: o.username } : {}),
      ...(password ? { password } : {}),
      ...(ca ? { ca } : {}),
      prefix: o.prefix,
      node: o.node,
      onError: (m) => console.error(`hivebox watch: ${m}`),
      onChange: (nodes) => {
        const text = renderNodes(nodes, Math.floor(Date.now() / 1000));
        if (o.once) {
          if (![...nodes.values()].some((v) => v.state && v.availability)) return;
          console.log(text);
          clearTimeout(timer);
          void watch.stop().then(resolve);
          return;
        }
        process.stdout.write(tty ? `\x1b[2J\x1b[H${text}\n` : `${text}\n\n`);
      },
    });
    if (o.once) {
      timer = setTimeout(() => {
        console.error('hivebox watch: no status received');
        process.exitCode = EXIT.unavailable;
        void watch.stop().then(resolve);
      }, Number(o.timeout) * 1000);
    }
    process.once('SIGINT', () => void watch.stop().then(resolve));
  });
}

/** Register `hivebox watch`. */
export function registerWatch(program: Command): void {
  program
    .command('watch')
    .description('show the live status published over MQTT (hivebox status --watch)')
    .option('--url <url>', 'broker URL', 'mqtt://127.0.0.1:1883')
    .option('--username <name>', 'broker user')
    .option('--password <password>', 'broker password (default: $HIVEBOX_MQTT_PASSWORD)')
    .option('--ca <file>', 'PEM CA of the broker (mqtts://)')
    .option('--prefix <level>', 'topic prefix', 'hivebox')
    .option('--node <prefix>', 'node id prefix (12 hex) or + for all', '+')
    .option('--once', 'print the first complete state and exit')
    .option('--timeout <s>', 'with --once: give up after this many seconds', '10')
    .action((o: WatchCliOptions) => watchAction(o));
}
