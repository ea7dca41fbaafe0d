/**
 * One fleet member for the node --test fleet suite (tests-node/swarm/fleet.test.mjs): a Bun
 * process running the production SwarmTransport (which spawns the real Node sidecar), with a
 * software node key that signs exactly as lightningd's `signmessage` (lnsign.ts) and an engine
 * sink that reports every admitted Hive frame. It stands in for the hivebox daemon minus CLN:
 * there is no Lightning connection, so everything travels over the swarm.
 *
 * Run: `bun tests/swarm/fleet-member.ts '{"hive_id","sk_hex","bootstrap","echo"}'`.
 * stdin commands (JSON lines): start {members, banned} · members {members, banned} · send {node_id, hex}
 * · dial {swarm_key} · pid · stop. stdout events: hello {node_id} · status · binding · bound · reject
 * · delivered {from, hex} · sent {route} · pid {pid}.
 */
import { createInterface } from 'node:readline';
import { nobleScheme } from '../../runtime/core/crypto/noble-scheme.ts';
import { signMessage } from '../../runtime/core/crypto/lnsign.ts';
import type { SwarmKey } from '../../runtime/core/swarm/binding.ts';
import { fromHex, toHex, type NodeId } from '../../runtime/core/types.ts';
import type { HiveEngine } from '../../runtime/node/engine.ts';
import { sendHiveMessage } from '../../services/swarm/hive-sender.ts';
import { InboundDedup } from '../../services/swarm/inbound-dedup.ts';
import { SwarmTransport } from '../../services/swarm/transport.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as { hive_id: string; sk_hex: string; bootstrap: string; echo?: boolean };
const sk = fromHex(config.sk_hex)!;
const node_id = toHex(nobleScheme.publicKey(sk)) as NodeId;
const emit = (ev: Record<string, unknown>) => process.stdout.write(JSON.stringify(ev) + '\n');

/** Ping frames (`payload.ping`) are answered with `payload.pong` when echo is on. */
function echoReply(hex: string): string | null {
  const text = Buffer.from(hex, 'hex').subarray(4).toString('utf8');
  const env = JSON.parse(text) as { type: number; version: number; payload: { ping?: number } };
  if (!config.echo || env.payload.ping === undefined) return null;
  return '48495645' + Buffer.from(JSON.stringify({ ...env, payload: { pong: env.payload.ping } })).toString('hex');
}

let transport: SwarmTransport;
const dedup = new InboundDedup();
const sink: HiveEngine = {
  async onCustomMsg(peerId, payloadHex, via) {
    if (!dedup.admit(peerId, payloadHex, via)) return;
    emit({ ev: 'delivered', from: peerId, hex: payloadHex });
    const reply = echoReply(payloadHex);
    if (reply) transport.send(peerId as NodeId, reply);
  },
  onPeerConnected: async () => {},
  onPeerDisconnected: async () => {},
  onTick: async () => {},
  rpc: async () => null,
};

transport = new SwarmTransport({
  hive_id: config.hive_id,
  node_id,
  signText: async (text) => signMessage(text, sk),
  engine: sink,
  sidecar: { kind: 'spawn', args: ['--host', '127.0.0.1', '--bootstrap', config.bootstrap, '--refresh-s', '2'] },
  backoff: { initial_ms: 100, max_ms: 2_000, stable_ms: 60_000 },
  onStatus: (s) => emit({ ev: 'status', ...s }),
  onBinding: (statement) => emit({ ev: 'binding', statement }),
  onPeer: (p) => emit({ ev: 'bound', ...p }),
  onReject: (r) => emit({ ev: 'reject', ...r }),
  log: (line) => process.stderr.write(line + '\n'),
});
const tick = setInterval(() => transport.tick(), 1_000);

emit({ ev: 'hello', node_id });
for await (const line of createInterface({ input: process.stdin })) {
  const c = JSON.parse(line) as { cmd: string; members?: NodeId[]; banned?: NodeId[]; node_id?: NodeId; hex?: string; swarm_key?: SwarmKey };
  if (c.cmd === 'start' || c.cmd === 'members') transport.setMembership(c.members ?? [], c.banned ?? []);
  if (c.cmd === 'start') transport.start();
  if (c.cmd === 'send') emit({ ev: 'sent', route: await sendHiveMessage(transport, async () => false, c.node_id!, c.hex!) });
  if (c.cmd === 'dial') transport.dial(c.swarm_key!);
  if (c.cmd === 'pid') emit({ ev: 'pid', pid: transport.sidecarPid });
  if (c.cmd === 'stop') break;
}
clearInterval(tick);
await transport.stop();
process.exit(0);
