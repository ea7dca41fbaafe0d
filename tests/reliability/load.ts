/**
 * `bun run load [--peers 50] [--rate 5000] [--seconds 60] [--members 3]`: the daemon's inbound path
 * under a flood. A real daemon (`startDaemon`: IPC server, inbound budgets, bounded queue) in this
 * process; a separate sender process runs the real plugin (`HiveboxPlugin`) and feeds it `custommsg`
 * hook frames as lightningd would, `rate` messages/s from
 * `peers` peers, `members` of which are hive members sending signed GOSSIP at 20 msg/s each, the
 * rest non-members sending junk Hive traffic. The engine behind the daemon decodes every message with
 * the real codec (`decodeHiveHex`, the engine's first stage) and records member latency from the
 * send time the sender appends (8 bytes, stripped before decoding). Prints one JSON line:
 * offered, admitted/dropped per reason (plugin and daemon together), handled, member messages sent vs
 * handled and their p50/p99 latency, RSS at start/max/end. Exits 1 when a member message was lost,
 * a message went uncounted, or RSS grew past 256 MiB. CI runs a short pass (load.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_SCHEMA } from '../../runtime/config/schema.ts';
import type { PyJson } from '../../runtime/core/canonical/python-json.ts';
import { toHex } from '../../runtime/core/types.ts';
import { decodeHiveHex } from '../../runtime/core/wire/decode.ts';
import { encodeHiveMessage } from '../../runtime/core/wire/encode.ts';
import { startDaemon } from '../../runtime/daemon/daemon.ts';
import type { HiveEngine } from '../../runtime/node/engine.ts';
import type { InboundStatus } from '../../services/daemon-ipc/inbound-budget.ts';
import { HiveboxPlugin } from '../../services/cln-plugin/plugin.ts';
import { signed } from '../sim/craft.ts';
import vectors from '../vectors/clhive-signing-strings.json' with { type: 'json' };

/** Load parameters. */
export interface LoadOptions {
  readonly peers: number;
  readonly members: number;
  /** Offered messages per second, all peers together. */
  readonly rate: number;
  readonly seconds: number;
  /** Member messages per second, each. */
  readonly member_rate?: number;
}

/** The figures of one load run. */
export interface LoadFigures {
  readonly offered: number;
  /** The daemon's counters, including the drops the plugin reported (`inbound_drops`). */
  readonly inbound: InboundStatus;
  readonly handled: number;
  readonly member_sent: number;
  readonly member_handled: number;
  readonly member_latency_ms_p50: number;
  readonly member_latency_ms_p99: number;
  readonly rss_mb_start: number;
  readonly rss_mb_max: number;
  readonly rss_mb_end: number;
  /** Messages neither handled, nor dropped and counted anywhere (0 expected). */
  readonly uncounted: number;
}

const peerId = (i: number) => `02${i.toString(16).padStart(64, '0')}`;
const MEMBER_MSG = (() => {
  const c = vectors.cases.find((v) => v.type === 'GOSSIP')!;
  const e = encodeHiveMessage('GOSSIP', signed('GOSSIP', c.payload as unknown as Record<string, PyJson>, new Uint8Array(32).fill(7)), 'spec');
  if (!e.ok) throw new Error('GOSSIP seed');
  return toHex(e.value);
})();
/** Junk Hive traffic: the magic, then bytes the decoder must refuse. */
const JUNK_MSG = `80014849564500${'ff'.repeat(120)}`;

/**
 * The sender process: the real `HiveboxPlugin` fed `custommsg` hook frames as lightningd writes them
 * (its daemon link is the real `IpcClient`), so the plugin's own budgets apply before the socket.
 * Prints `{offered, member_sent}` once the daemon has read everything (a passthrough command answered).
 */
async function sender(path: string, o: LoadOptions): Promise<void> {
  let out = '';
  const plugin = new HiveboxPlugin({ write: (t) => void (out += t.length < 4096 ? t : ''), stderr: () => {}, exit: () => {} }, 'load');
  const frame = (id: number | null, method: string, params: unknown) => plugin.onFrame(JSON.stringify({ jsonrpc: '2.0', ...(id === null ? {} : { id }), method, params }));
  frame(0, 'init', { options: { 'hivebox-socket': path }, configuration: { 'lightning-dir': '', 'rpc-file': '', network: 'regtest' } });
  while (!out.includes('fleet ignore list')) await Bun.sleep(10);
  const memberRate = o.member_rate ?? 20;
  const total = Math.round(o.rate * o.seconds);
  const memberEvery = Math.max(1, Math.round(o.rate / (memberRate * o.members)));
  let memberSent = 0;
  const t0 = Date.now();
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / o.rate;
    if (due > Date.now() + 5) await Bun.sleep(due - Date.now());
    const member = o.members > 0 && i % memberEvery === 0;
    const peer = member ? peerId(memberSent % o.members) : peerId(o.members + (i % (o.peers - o.members)));
    const stamp = Date.now().toString(16).padStart(16, '0');
    frame(i + 1, 'custommsg', { peer_id: peer, payload: `${member ? MEMBER_MSG : JUNK_MSG}${stamp}` });
    if (member) memberSent++;
    if (i % 1000 === 999) out = out.slice(-8192);
  }
  plugin.reportDrops();
  // The daemon answers a command only after reading every line before it: the load and the drop report have arrived.
  frame(total + 1, 'hive-status', {});
  while (!out.includes(`"id":${total + 1},`)) await Bun.sleep(10);
  plugin.onFrame(JSON.stringify({ jsonrpc: '2.0', method: 'shutdown', params: {} }));
  console.log(JSON.stringify({ offered: total, member_sent: memberSent }));
}

/** Run the load against a fresh daemon and return its figures. */
export async function runLoad(o: LoadOptions): Promise<LoadFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'hbx-load-'));
  const members = new Set(Array.from({ length: o.members }, (_, i) => peerId(i)));
  let handled = 0;
  const latencies: number[] = [];
  const engine: HiveEngine = {
    isMember: (p) => members.has(p),
    memberIds: () => [...members],
    onCustomMsg: async (p, hex) => {
      handled++;
      decodeHiveHex(hex.slice(0, -16));
      if (members.has(p)) latencies.push(Date.now() - Number.parseInt(hex.slice(-16), 16));
    },
    onPeerConnected: async () => {},
    onPeerDisconnected: async () => {},
    onTick: async () => {},
    rpc: async () => ({}),
  };
  const config = CONFIG_SCHEMA.parse({ lightning: { rpc_file: join(dir, 'none') }, daemon: { ipc_socket: join(dir, 'd.sock'), tick_ms: 1000 } });
  const daemon = await startDaemon({ config, engineFactory: async () => engine, backend: {} as never, log: () => {} });
  const rss = () => Math.round(process.memoryUsage().rss / 2 ** 20);
  const rssStart = rss();
  let rssMax = rssStart;
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, rss())), 250);
  try {
    const child = Bun.spawn([process.execPath, import.meta.path, '--sender', daemon.ipcPath, JSON.stringify(o)], { stdout: 'pipe', stderr: 'inherit' });
    const out = JSON.parse((await new Response(child.stdout).text()).trim().split('\n').at(-1)!) as { member_sent: number; offered: number };
    await child.exited;
    await daemon.idle();
    const inbound = daemon.stats().inbound;
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
    return {
      offered: out.offered,
      inbound,
      handled,
      member_sent: out.member_sent,
      member_handled: latencies.length,
      member_latency_ms_p50: q(0.5),
      member_latency_ms_p99: q(0.99),
      rss_mb_start: rssStart,
      rss_mb_max: rssMax,
      rss_mb_end: rss(),
      uncounted: out.offered - inbound.dropped_total - handled,
    };
  } finally {
    clearInterval(sampler);
    await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  if (process.argv[2] === '--sender') await sender(process.argv[3]!, JSON.parse(process.argv[4]!) as LoadOptions);
  else {
    const arg = (name: string, dflt: number) => {
      const i = process.argv.indexOf(name);
      return i > 0 ? Number(process.argv[i + 1]) : dflt;
    };
    const f = await runLoad({ peers: arg('--peers', 50), members: arg('--members', 3), rate: arg('--rate', 5_000), seconds: arg('--seconds', 60) });
    const { top_droppers: _top, ...inbound } = f.inbound;
    console.log(JSON.stringify({ ...f, inbound }));
    process.exit(f.member_handled === f.member_sent && f.uncounted === 0 && f.rss_mb_max - f.rss_mb_start < 256 ? 0 : 1);
  }
}
