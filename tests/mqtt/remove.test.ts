/**
 * `hivebox mqtt remove` against a real mosquitto (tests/mqtt/broker.ts): a node's retained
 * discovery, state and availability disappear for late subscribers and Home Assistant, another
 * node's stay; no broker configured, a bad node id and an unreachable broker are refused with their
 * exit codes and delete nothing.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { join } from 'node:path';
import { parseMqttConfig } from '../../services/mqtt/config.ts';
import { startStatusPublisher } from '../../services/mqtt/publisher.ts';
import { retainedTopics, statusTopics } from '../../services/mqtt/topics.ts';
import { brokerEnv, freePort, startBroker, type TestBroker } from './broker.ts';
import { NODE_ID, SNAPSHOT } from './fixtures/snapshot.ts';
import { subscribe } from './subscriber.ts';
import { waitUntil } from '../cln/fixtures/recording-engine.ts';

const CLI = join(import.meta.dir, '../../runtime/cli/main.ts');
const OTHER = `02${'ab'.repeat(32)}`;
let broker: TestBroker;

beforeAll(async () => {
  broker = await startBroker();
});
afterAll(async () => {
  await broker.dispose();
});

/** Publish a node's retained topics as the daemon does, then stop it cleanly (availability stays, `offline`). */
async function publishAndStop(nodeId: string): Promise<void> {
  const cfg = parseMqttConfig({ url: broker.url, username: broker.username, password: broker.password, client_id: `pub_${nodeId.slice(0, 8)}` });
  if (!cfg.ok) throw new Error(cfg.error);
  const pub = await startStatusPublisher({ config: cfg.value, device: { nodeId, swVersion: 't' }, snapshot: () => SNAPSHOT, log: () => {} });
  await waitUntil(() => pub.connected(), 'publisher connected');
  await pub.publishState();
  await pub.close();
}

function cli(args: string[], env: Record<string, string> = {}) {
  const r = Bun.spawnSync([process.execPath, CLI, 'mqtt', 'remove', ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env }, stdout: 'pipe', stderr: 'pipe' });
  return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
}

async function retained(nodeId: string): Promise<string[]> {
  const sub = await subscribe(broker, [...retainedTopics(statusTopics(nodeId))]);
  await Bun.sleep(300);
  await sub.close();
  return sub.messages.map((m) => m.topic).sort();
}

test('removes the node from the broker and Home Assistant; other nodes keep theirs', async () => {
  await publishAndStop(NODE_ID);
  await publishAndStop(OTHER);
  expect(await retained(NODE_ID)).toHaveLength(3);

  const r = cli(['--node-id', NODE_ID, '--json'], brokerEnv(broker));
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  expect(JSON.parse(r.out)).toEqual({ node_id: NODE_ID, removed: [...retainedTopics(statusTopics(NODE_ID))] });
  expect(await retained(NODE_ID)).toEqual([]);
  expect(await retained(OTHER)).toHaveLength(3);
});

test('refusals: no broker configured (64), bad node id (64), broker unreachable (69); nothing deleted', async () => {
  await publishAndStop(OTHER);
  expect(cli(['--node-id', OTHER])).toMatchObject({ code: 64, err: expect.stringContaining('[mqtt] url') });
  expect(cli(['--node-id', 'zz'], brokerEnv(broker))).toMatchObject({ code: 64, err: expect.stringContaining('66-hex') });
  const down = cli(['--node-id', OTHER], { ...brokerEnv(broker), HIVEBOX_MQTT_URL: `mqtt://127.0.0.1:${await freePort()}` });
  expect(down).toMatchObject({ code: 69, err: expect.stringContaining('BrokerUnreachable') });
  const noLightningd = cli([], { ...brokerEnv(broker), HIVEBOX_LIGHTNING_RPC_FILE: '/nonexistent/lightning-rpc' });
  expect(noLightningd).toMatchObject({ code: 69, err: expect.stringContaining('getinfo') });
  expect(await retained(OTHER)).toHaveLength(3);
});
