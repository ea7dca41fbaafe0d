/**
 * The real `hivebox run` publishing to a real mosquitto (loopback, password auth) while a
 * two-node fleet forms over simnet through it: retained `state` with the fleet's data for a late
 * subscriber, `event/invite_approved` and `event/member_joined` from the engine, `hivebox status
 * --watch --once` rendering it with the broker taken from the configuration, `offline` on SIGTERM,
 * `online` again after a restart, and the last will `offline` after `kill -9`.
 */
import { afterEach, expect, test } from 'bun:test';
import { join } from 'node:path';
import type { PublishedState } from '../../services/mqtt/snapshot.ts';
import { statusTopics } from '../../services/mqtt/topics.ts';
import { createLightningBackend } from '../../services/lightning-rpc/index.ts';
import { callDaemon, collectLines, signedPair, spawnRun } from '../systemd/fixtures/run-daemon.ts';
import { brokerEnv, startBroker, type TestBroker } from './broker.ts';
import { subscribe } from './subscriber.ts';

const MAIN = join(import.meta.dir, '../../runtime/cli/main.ts');
let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

/** The retained state a fresh subscriber receives, once it satisfies `want` (polled up to 15 s). */
async function retainedState(broker: TestBroker, topic: string, want: (s: PublishedState) => boolean): Promise<PublishedState> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const late = await subscribe(broker, [topic]);
    const msg = await late.waitFor((m) => m.retain, 5_000).finally(() => late.close());
    const state = JSON.parse(msg.payload) as PublishedState;
    if (want(state) || Date.now() > deadline) return state;
    await Bun.sleep(200);
  }
}

test('retained state with the fleet, engine events, status --watch, offline on SIGTERM, last will after kill -9', async () => {
  const broker = await startBroker();
  cleanup.push(() => broker.dispose());
  const { a, b } = await signedPair(cleanup);
  const mqttEnv = brokerEnv(broker);
  const start = () => {
    const p = spawnRun(a, ['mqtt.state_interval_s=5'], mqttEnv);
    cleanup.push(() => p.kill('SIGKILL'));
    return { proc: p, stderr: collectLines(p.stderr) };
  };
  let daemonA = start();
  const daemonB = spawnRun(b);
  cleanup.push(() => daemonB.kill('SIGKILL'));

  const topics = statusTopics(a.node.nodeId);
  const events = await subscribe(broker, [`${topics.base}/event/#`, topics.availability]);
  cleanup.push(() => events.close());
  const cliA = createLightningBackend({ socketPath: a.node.rpcPath, idPrefix: 'cli' }).client;
  const cliB = createLightningBackend({ socketPath: b.node.rpcPath, idPrefix: 'cli' }).client;
  cleanup.push(() => (cliA.close(), cliB.close()));

  const { hive_id } = await callDaemon<{ hive_id: string }>(cliA, 'hive-genesis');
  const { ticket } = await callDaemon<{ ticket: string }>(cliA, 'hive-invite', { valid_hours: 2 });
  await callDaemon(cliB, 'hive-join', { ticket, peer_id: a.node.nodeId });
  await events.waitFor((m) => m.topic === topics.event('invite_approved'), 10_000);
  const joined = await events.waitFor((m) => m.topic === topics.event('member_joined'), 10_000);
  expect(JSON.parse(joined.payload)).toMatchObject({ kind: 'member_joined', node_id: b.node.nodeId, via: 'ticket' });

  // A late subscriber gets the retained state with the fleet's data (once the daemon republished it after the join).
  const state = await retainedState(broker, topics.state, (s) => s.members_count === 2);
  expect(state).toMatchObject({ health: 'healthy', health_reasons: [], node_id: a.node.nodeId, hive_id, tier: 'member', members_count: 2, signer_connected: true, lightningd_up: true, pending_approvals: 0 });
  expect(state.fleet_hash).toMatch(/^[0-9a-f]{64}$/);

  // `hivebox status --watch --once`, broker and credentials from the configuration (HIVEBOX_MQTT_*).
  const watch = Bun.spawnSync([process.execPath, MAIN, 'status', '--watch', '--once', '--node', topics.nodeIdPrefix], { env: { ...process.env, ...mqttEnv }, stdout: 'pipe', stderr: 'pipe' });
  expect(watch.exitCode).toBe(0);
  expect(watch.stdout.toString()).toContain(`hivebox ${topics.nodeIdPrefix}  online  HEALTHY`);
  expect(watch.stdout.toString()).toContain(`hive ${hive_id}  tier member  members 2`);

  // SIGTERM: offline (retained) and exit 0; a restart says online again.
  let from = events.messages.length;
  daemonA.proc.kill('SIGTERM');
  expect(await daemonA.proc.exited).toBe(0);
  await events.waitFor((m) => m.topic === topics.availability && m.payload === 'offline', 5_000, from);
  daemonA = start();
  from = events.messages.length;
  await events.waitFor((m) => m.topic === topics.availability && m.payload === 'online', 15_000, from);

  // kill -9: the broker publishes the last will.
  from = events.messages.length;
  daemonA.proc.kill('SIGKILL');
  await daemonA.proc.exited;
  await events.waitFor((m) => m.topic === topics.availability && m.payload === 'offline', 5_000, from);
  expect(daemonA.stderr.filter((l) => l.includes('"level":"error"'))).toEqual([]);
}, 90_000);
