/**
 * MQTT 5 where supported, 3.1.1 otherwise: against aedes 1.2 (a real MQTT 3.1.1-only broker that
 * answers a v5 CONNECT with "Unacceptable protocol version", bun-platform-probe.md §4) the publisher
 * falls back to 3.1.1 and still delivers retained state and discovery with credentials checked.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { parseMqttConfig } from '../../services/mqtt/config.ts';
import { startStatusPublisher } from '../../services/mqtt/publisher.ts';
import { statusTopics } from '../../services/mqtt/topics.ts';
import { NODE_ID, SNAPSHOT } from './fixtures/snapshot.ts';
import { waitUntil } from '../cln/fixtures/recording-engine.ts';

let broker: Aedes;
let server: Server;
let url: string;
beforeAll(async () => {
  broker = await Aedes.createBroker();
  broker.authenticate = (_client, username, password, done) => done(null, username === 'hivebox' && password?.toString() === 'pw');
  server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  url = `mqtt://127.0.0.1:${addr && typeof addr === 'object' ? addr.port : 0}`;
});
afterAll(async () => {
  server.close();
  await new Promise<void>((resolve) => broker.close(() => resolve()));
});

test('a 3.1.1-only broker refuses MQTT 5; the publisher falls back and publishes retained state', async () => {
  const logs: string[] = [];
  const cfg = parseMqttConfig({ url, username: 'hivebox', password: 'pw' });
  if (!cfg.ok) throw new Error(cfg.error);
  const pub = await startStatusPublisher({ config: cfg.value, device: { nodeId: NODE_ID, swVersion: '0.1.0' }, snapshot: () => SNAPSHOT, log: (l) => logs.push(l) });
  await waitUntil(() => pub.connected(), 'the publisher connected over 3.1.1');
  expect(pub.protocolVersion()).toBe(4);
  expect(logs).toContain('mqtt: broker refused MQTT 5, falling back to 3.1.1');
  expect((await pub.publishState()).ok).toBe(true);

  const topics = statusTopics(NODE_ID);
  const sub = await mqtt.connectAsync(url, { protocolVersion: 4, username: 'hivebox', password: 'pw' });
  const got = new Map<string, string>();
  sub.on('message', (t, p) => got.set(t, p.toString()));
  await sub.subscribeAsync([topics.state, topics.availability, topics.discovery], { qos: 1 });
  await waitUntil(() => got.size >= 3, 'three retained topics');
  expect(got.get(topics.availability)).toBe('online');
  expect(JSON.parse(got.get(topics.state)!).members_count).toBe(3);
  expect(JSON.parse(got.get(topics.discovery)!).device.identifiers).toEqual(['hivebox_03864ef025fd']);
  await sub.endAsync();
  await pub.close();
});

test('protocol "5" forced: no fallback, never connects to a 3.1.1-only broker', async () => {
  const cfg = parseMqttConfig({ url, username: 'hivebox', password: 'pw', protocol: '5' });
  if (!cfg.ok) throw new Error(cfg.error);
  const logs: string[] = [];
  const pub = await startStatusPublisher({ config: cfg.value, device: { nodeId: NODE_ID, swVersion: '0.1.0' }, snapshot: () => SNAPSHOT, log: (l) => logs.push(l) });
  await waitUntil(() => /Unacceptable protocol version/.test(logs.join('\n')), 'the broker refusing MQTT 5');
  expect(pub.connected()).toBe(false);
  expect(pub.protocolVersion()).toBe(5);
  await pub.close(200);
});
