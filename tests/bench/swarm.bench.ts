/**
 * Swarm figures (issue 10 §4): the pure gate (binding verification, frame admission, dedup) and,
 * live, discovery time and frame round trip between two real Node sidecars on a local hyperswarm
 * testnet (127.0.0.1), driven through SwarmClient exactly as the daemon drives them.
 */
import { createInterface } from 'node:readline';
import { spawn } from 'node:child_process';
import { signMessage } from '../../runtime/core/crypto/lnsign.ts';
import { bindingSignedText, verifyBinding, type SwarmKey } from '../../runtime/core/swarm/binding.ts';
import { SWARM_LIMITS } from '../../runtime/core/swarm/limits.ts';
import { deliveryDigest, SeenSet } from '../../runtime/core/swarm/seen-set.ts';
import { stepGate } from '../../runtime/core/swarm/gate.ts';
import { SwarmClient } from '../../services/swarm/client.ts';
import type { SidecarEvent } from '../../services/swarm/sidecar-events.ts';
import { GateDriver, B, hiveFrame } from '../swarm/gate-driver.ts';
import { HIVE_ID, NOW_S, statement } from '../swarm/fleet-keys.ts';
import { median, opsPerSecond, report } from './harness.ts';

const st = statement(B);
await opsPerSecond('swarm.binding_verify', 500, () => verifyBinding(st, HIVE_ID, NOW_S, SWARM_LIMITS));
await opsPerSecond('swarm.binding_sign', 500, (i) => signMessage(bindingSignedText({ ...st, issued_at: NOW_S + i }), new Uint8Array(32).fill(2)));

const g = new GateDriver();
g.bind(B);
const frame = { kind: 'frame' as const, swarm_key: B.swarm_key, bytes: hiveFrame(2_000) };
let t_ms = g.now_ms;
await opsPerSecond('swarm.gate_admit_2kb_frame', 20_000, () => {
  t_ms += 100;
  stepGate(g.state, frame, t_ms);
});
const seen = new SeenSet();
await opsPerSecond('swarm.seen_set_check', 20_000, (i) => seen.check(deliveryDigest(B.node_id, i.toString(16).padStart(8, '0')), i, 'lightning'));

/** Start the Node testnet fixture; resolves with its bootstrap list and a stop function. */
async function testnet(): Promise<{ bootstrap: string; stop: () => void }> {
  const child = spawn('node', [new URL('../../tests-node/swarm/fixtures/testnet.mjs', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
  const { bootstrap } = JSON.parse(line) as { bootstrap: { host: string; port: number }[] };
  return { bootstrap: bootstrap.map((b) => `${b.host}:${b.port}`).join(','), stop: () => child.stdin.end() };
}

/** A started SwarmClient whose events are observable. */
async function sidecar(bootstrap: string) {
  const waiters: ((ev: SidecarEvent) => void)[] = [];
  let up: () => void = () => {};
  const ready = new Promise<void>((r) => (up = r));
  const client = new SwarmClient({
    sidecar: { kind: 'spawn', args: ['--host', '127.0.0.1', '--bootstrap', bootstrap, '--refresh-s', '1'] },
    onEvent: (ev) => waiters.forEach((w) => w(ev)),
    onStatus: (s) => s.state === 'up' && up(),
  });
  client.start();
  await ready;
  /** The next event matching `pred`, or null after `timeout_ms`. */
  const next = (pred: (ev: SidecarEvent) => boolean, timeout_ms = 30_000) =>
    new Promise<SidecarEvent | null>((resolve) => {
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(w), 1);
        resolve(null);
      }, timeout_ms);
      const w = (ev: SidecarEvent) => {
        if (!pred(ev)) return;
        clearTimeout(timer);
        waiters.splice(waiters.indexOf(w), 1);
        resolve(ev);
      };
      waiters.push(w);
    });
  return { client, next };
}

/**
 * One measured pair: fresh sidecars, B joins and announces, then the time from A's join to both
 * `peer_up`, then 20 round trips of a 2 kB frame. A frame lost to a connection hyperswarm replaces
 * is retried (not timed). @returns null when the pair never met within 30 s.
 */
async function measurePair(bootstrap: string, rtts: number[]): Promise<number | null> {
  const [a, b] = await Promise.all([sidecar(bootstrap), sidecar(bootstrap)]);
  try {
    const topic = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex');
    const joined = b.next((e) => e.event === 'joined');
    b.client.join(topic);
    if (!(await joined)) return null;
    const t0 = Bun.nanoseconds();
    const upA = a.next((e) => e.event === 'peer_up');
    const upB = b.next((e) => e.event === 'peer_up');
    a.client.join(topic);
    if ((await Promise.all([upA, upB])).includes(null)) return null;
    const discovery_ms = (Bun.nanoseconds() - t0) / 1e6;
    const keyA = a.client.publicKey as SwarmKey;
    const keyB = b.client.publicKey as SwarmKey;
    for (let i = 0, tries = 0; i < 20 && tries < 40; tries++) {
      const atB = b.next((e) => e.event === 'frame', 3_000);
      const back = a.next((e) => e.event === 'frame', 3_000);
      const t1 = Bun.nanoseconds();
      a.client.send(keyB, hiveFrame(2_000));
      const got = await atB;
      if (got?.event === 'frame') b.client.send(keyA, Buffer.from(got.data, 'base64'));
      if (!got || !(await back)) continue;
      rtts.push((Bun.nanoseconds() - t1) / 1e6);
      i++;
    }
    return discovery_ms;
  } finally {
    await Promise.all([a.client.stop(), b.client.stop()]);
  }
}

const net = await testnet();
const discovery: number[] = [];
const rtts: number[] = [];
let missed = 0;
for (let run = 0; run < 5; run++) {
  const ms = await measurePair(net.bootstrap, rtts);
  if (ms === null) missed++;
  else discovery.push(ms);
}
net.stop();
if (discovery.length) report('swarm.discovery_two_sidecars', median(discovery), 'ms', discovery.length);
if (rtts.length) report('swarm.frame_rtt_2kb', median(rtts), 'ms', rtts.length);
report('swarm.discovery_missed_30s', missed, 'pairs', 5);
