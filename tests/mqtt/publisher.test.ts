/**
 * MQTT status against a real mosquitto (tests/mqtt/broker.ts): retained state for late
 * subscribers, the last will after kill -9, reconnect + republish after a broker restart,
 * an event queued while the session is down, Home Assistant's birth message, read-only by default,
 * uninstall, MQTT 5 and TLS with a CA.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { type MqttConfigInput, parseMqttConfig } from '../../services/mqtt/config.ts';
import { type StatusPublisher, startStatusPublisher } from '../../services/mqtt/publisher.ts';
import type { StatusSnapshot } from '../../services/mqtt/snapshot.ts';
import { statusTopics } from '../../services/mqtt/topics.ts';
import { startBroker, type TestBroker } from './broker.ts';
import { NODE_ID, SNAPSHOT } from './fixtures/snapshot.ts';
import { subscribe } from './subscriber.ts';
import { waitUntil } from '../cln/fixtures/recording-engine.ts';

const topics = statusTopics(NODE_ID);
let broker: TestBroker;
beforeAll(async () => {
  broker = await startBroker();
});
afterAll(async () => {
  await broker.dispose();
});

function config(extra: Partial<MqttConfigInput> = {}, b: TestBroker = broker) {
  const r = parseMqttConfig({ url: b.url, username: b.username, password: b.password, ...extra });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

async function publisher(extra: Partial<MqttConfigInput> = {}, snapshot: () => StatusSnapshot = () => SNAPSHOT, b = broker): Promise<StatusPublisher> {
  const pub = await startStatusPublisher({ config: config(extra, b), device: { nodeId: NODE_ID, swVersion: '0.1.0-test' }, snapshot, now: () => 1_700_000_000, log: () => {} });
  await waitUntil(() => pub.connected(), 'publisher connected');
  return pub;
}

test('a late subscriber sees retained availability and the full state JSON', async () => {
  const pub = await publisher();
  await pub.publishState();
  expect(pub.protocolVersion()).toBe(5);
  const sub = await subscribe(broker, [topics.availability, topics.state]);
  const avail = await sub.waitFor((m) => m.topic === topics.availability);
  expect(avail).toEqual({ topic: 'hivebox/03864ef025fd/availability', payload: 'online', retain: true });
  const state = await sub.waitFor((m) => m.topic === topics.state);
  expect(state.retain).toBe(true);
  expect(JSON.parse(state.payload)).toEqual({ ...SNAPSHOT, updated_at: 1_700_000_000, sw_version: '0.1.0-test' });
  await sub.close();
  await pub.close();
});

test('kill -9 of the publishing process → the broker publishes the retained last will "offline"', async () => {
  const child = Bun.spawn([process.execPath, join(import.meta.dir, 'fixtures/publisher-child.ts'), JSON.stringify({ url: broker.url, username: broker.username, password: broker.password, client_id: 'hivebox_lwt_test' })], { stdout: 'pipe', stderr: 'inherit' });
  const reader = child.stdout.getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toContain('connected');
  const sub = await subscribe(broker, [topics.availability]);
  await sub.waitFor((m) => m.payload === 'online');
  child.kill('SIGKILL');
  await child.exited;
  const will = await sub.waitFor((m) => m.payload === 'offline', 5000);
  expect(will.topic).toBe(topics.availability);
  await sub.close();
  const late = await subscribe(broker, [topics.availability]);
  expect(await late.waitFor(() => true)).toEqual({ topic: topics.availability, payload: 'offline', retain: true });
  await late.close();
});

test('graceful close publishes "offline" itself (a clean DISCONNECT suppresses the will)', async () => {
  const pub = await publisher();
  const sub = await subscribe(broker, [topics.availability]);
  await sub.waitFor((m) => m.payload === 'online');
  const from = sub.messages.length;
  await pub.close();
  expect((await sub.waitFor((m) => m.topic === topics.availability, 3000, from)).payload).toBe('offline');
  expect(await pub.publishState()).toEqual({ ok: false, error: { kind: 'Closed' } });
  await sub.close();
});

test('broker restart → the publisher reconnects and republishes availability, discovery and state within 10 s', async () => {
  const own = await startBroker();
  try {
    const pub = await publisher({}, () => SNAPSHOT, own);
    await own.stop();
    await waitUntil(() => !pub.connected(), 'the publisher notices the broker is gone');
    expect(await pub.publishState()).toEqual({ ok: false, error: { kind: 'NotConnected' } });
    const t0 = performance.now();
    await own.restart();
    // persistence is off: anything retained now was republished by the reconnected publisher
    const sub = await subscribe(own, [topics.availability, topics.state, topics.discovery]);
    await sub.waitFor((m) => m.topic === topics.state, 10_000);
    await sub.waitFor((m) => m.topic === topics.discovery, 10_000);
    expect((await sub.waitFor((m) => m.topic === topics.availability, 10_000)).payload).toBe('online');
    expect(performance.now() - t0).toBeLessThan(10_000);
    await sub.close();
    await pub.close();
  } finally {
    await own.dispose();
  }
}, 120_000);

test('an event published while the session is down waits in memory and goes out on the reconnect; one still waiting at close() fails', async () => {
  const pub = await publisher();
  const sub = await subscribe(broker, [topics.event('member_joined')]);
  // Another client with the publisher's client id takes its session over: the broker drops the publisher.
  const intruder = await mqtt.connectAsync(broker.url, { clientId: `hivebox_${topics.nodeIdPrefix}`, username: broker.username, password: broker.password, reconnectPeriod: 0 });
  await waitUntil(() => !pub.connected(), 'the publisher lost its session');
  let settled = false;
  const queued = pub.publishEvent('member_joined', { peer_id: NODE_ID }).finally(() => (settled = true));
  await intruder.endAsync();
  expect(settled).toBe(false);
  expect(await queued).toEqual({ ok: true, value: undefined });
  expect(JSON.parse((await sub.waitFor((m) => m.topic === topics.event('member_joined'), 10_000)).payload).peer_id).toBe(NODE_ID);
  await sub.close();

  const own = await startBroker();
  try {
    const offline = await publisher({}, () => SNAPSHOT, own);
    await own.stop();
    await waitUntil(() => !offline.connected(), 'the publisher notices the broker is gone');
    const waiting = offline.publishEvent('member_joined', { peer_id: NODE_ID });
    await offline.close(200);
    expect(await waiting).toMatchObject({ ok: false, error: { kind: 'PublishFailed' } });
  } finally {
    await own.dispose();
  }
  await pub.close();
}, 120_000);

test('homeassistant/status "online" → discovery is published again', async () => {
  const pub = await publisher();
  const sub = await subscribe(broker, [topics.discovery]);
  await sub.waitFor((m) => m.topic === topics.discovery);
  const from = sub.messages.length;
  await sub.client.publishAsync(topics.haStatus, 'offline', { qos: 1 });
  await sub.client.publishAsync(topics.haStatus, 'online', { qos: 1 });
  const again = await sub.waitFor((m) => m.topic === topics.discovery, 5000, from);
  expect(again.retain).toBe(false); // a live republish, not the retained copy replayed on subscribe
  expect(JSON.parse(again.payload).device.identifiers).toEqual(['hivebox_03864ef025fd']);
  await sub.close();
  await pub.close();
});

test('events go to event/<kind> at QoS 1; unknown kinds and oversize payloads are refused', async () => {
  const pub = await publisher();
  const sub = await subscribe(broker, [`${topics.base}/event/#`]);
  expect(await pub.publishEvent('member_joined', { peer_id: SNAPSHOT.top_hive_share_targets[0]!.node_id, tier: 'neophyte' })).toEqual({ ok: true, value: undefined });
  const m = await sub.waitFor((x) => x.topic === topics.event('member_joined'));
  expect(m.retain).toBe(false);
  expect(JSON.parse(m.payload)).toEqual({ kind: 'member_joined', timestamp: 1_700_000_000, peer_id: SNAPSHOT.top_hive_share_targets[0]!.node_id, tier: 'neophyte' });
  expect(await pub.publishEvent('format_disk' as never, {})).toEqual({ ok: false, error: { kind: 'BadEvent', reason: 'unknown event kind format_disk' } });
  const big = await pub.publishEvent('ban', { reason: 'x'.repeat(5000) });
  expect(big.ok ? null : big.error.kind).toBe('BadEvent');
  await Bun.sleep(100);
  expect(sub.messages.map((x) => x.topic)).toEqual([topics.event('member_joined')]);
  await sub.close();
  await pub.close();
});

test('an invalid snapshot is not published: the last good retained state stays', async () => {
  let snap: StatusSnapshot = SNAPSHOT;
  const pub = await publisher({}, () => snap);
  await pub.publishState();
  snap = { ...SNAPSHOT, members_count: -1, fleet_hash: 'not-hex' };
  const r = await pub.publishState();
  expect(r.ok ? null : r.error.kind).toBe('BadSnapshot');
  const sub = await subscribe(broker, [topics.state]);
  expect(JSON.parse((await sub.waitFor((m) => m.topic === topics.state)).payload).members_count).toBe(3);
  await sub.close();
  await pub.close();
});

test('read-only by default: a command message does nothing; with commands enabled only refresh is accepted', async () => {
  let calls = 0;
  const ro = await publisher({}, () => (calls++, SNAPSHOT));
  const sub = await subscribe(broker, [topics.discovery, topics.state]);
  const discovery = JSON.parse((await sub.waitFor((m) => m.topic === topics.discovery)).payload);
  await sub.waitFor((m) => m.topic === topics.state);
  expect(Object.values(discovery.components).some((c) => (c as { platform: string }).platform === 'button')).toBe(false);
  const before = calls;
  await sub.client.publishAsync(topics.command('refresh'), 'PRESS', { qos: 1 });
  await Bun.sleep(200);
  expect(calls).toBe(before);
  await ro.close();

  const commanded: string[] = [];
  const rw = await startStatusPublisher({
    config: config({ commands: true }),
    device: { nodeId: NODE_ID, swVersion: '0.1.0-test' },
    snapshot: () => SNAPSHOT,
    log: () => {},
    onCommand: (c) => commanded.push(c),
  });
  const from = sub.messages.length;
  const withButtons = JSON.parse((await sub.waitFor((m) => m.topic === topics.discovery, 5000, from)).payload);
  expect(withButtons.components.hivebox_03864ef025fd_cmd_refresh).toMatchObject({ platform: 'button', command_topic: topics.command('refresh') });
  await Bun.sleep(100);
  await sub.client.publishAsync(topics.command('format'), 'PRESS', { qos: 1 });
  await sub.client.publishAsync(topics.command('refresh'), 'PRESS', { qos: 1 });
  await waitUntil(() => commanded.length > 0, 'the refresh command handled');
  expect(commanded).toEqual(['refresh']);
  await sub.close();
  await rw.close();
});

test('uninstall clears discovery, state and availability (empty retained payloads)', async () => {
  const pub = await publisher();
  await pub.uninstall();
  const sub = await subscribe(broker, [topics.discovery, topics.state, topics.availability]);
  await Bun.sleep(300);
  expect(sub.messages).toEqual([]);
  await sub.close();
});

test('TLS: mqtts with the broker CA connects; without the CA the certificate is rejected', async () => {
  const tls = await startBroker({ tls: true });
  try {
    const pub = await publisher({ ca_file: tls.caFile }, () => SNAPSHOT, tls);
    const sub = await subscribe(tls, [topics.state]);
    expect(JSON.parse((await sub.waitFor((m) => m.topic === topics.state)).payload).hive_id).toBe('hive_1a2b3c4d');
    await sub.close();
    await pub.close();
    const errors: string[] = [];
    const untrusted = await startStatusPublisher({ config: config({}, tls), device: { nodeId: NODE_ID, swVersion: 't' }, snapshot: () => SNAPSHOT, log: (l) => errors.push(l) });
    await waitUntil(() => /certificate/i.test(errors.join('\n')), 'a certificate error');
    expect(untrusted.connected()).toBe(false);
    await untrusted.close(200);
  } finally {
    await tls.dispose();
  }
});

test('wrong password: not authorised, never connected', async () => {
  const errors: string[] = [];
  const pub = await startStatusPublisher({ config: config({ password: 'wrong' }), device: { nodeId: NODE_ID, swVersion: 't' }, snapshot: () => SNAPSHOT, log: (l) => errors.push(l) });
  await waitUntil(() => /not authori[sz]ed|bad user name or password/i.test(errors.join('\n')), 'the broker refusing the password');
  expect(pub.connected()).toBe(false);
  await pub.close(200);
});
