/**
 * `hivebox watch --once` (status --watch) as a real CLI process against a real mosquitto: it
 * renders the retained state the publisher left, and shows a malformed state as ignored rather
 * than rendering it.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { join } from 'node:path';
import { parseMqttConfig } from '../../services/mqtt/config.ts';
import { startStatusPublisher } from '../../services/mqtt/publisher.ts';
import { renderNodes } from '../../runtime/cli/commands/watch.ts';
import { startBroker, type TestBroker } from './broker.ts';
import { NODE_ID, SNAPSHOT } from './fixtures/snapshot.ts';
import { subscribe } from './subscriber.ts';

const MAIN = join(import.meta.dir, '../../runtime/cli/main.ts');
let broker: TestBroker;
beforeAll(async () => {
  broker = await startBroker();
});
afterAll(async () => {
  await broker.dispose();
});

function watchOnce(timeout_s: number, ...extra: string[]) {
  return Bun.spawnSync([process.execPath, MAIN, 'watch', '--url', broker.url, '--username', broker.username, '--once', '--timeout', String(timeout_s), ...extra], {
    env: { ...process.env, HIVEBOX_MQTT_PASSWORD: broker.password },
    stdout: 'pipe',
    stderr: 'pipe',
  });
}

test('renders the live retained state of the box', async () => {
  const cfg = parseMqttConfig({ url: broker.url, username: broker.username, password: broker.password });
  if (!cfg.ok) throw new Error(cfg.error);
  const pub = await startStatusPublisher({ config: cfg.value, device: { nodeId: NODE_ID, swVersion: '0.1.0' }, snapshot: () => ({ ...SNAPSHOT, health: 'degraded', health_reasons: ['plugin: not in plugin list'] }), log: () => {} });
  while (!pub.connected()) await Bun.sleep(20);
  await pub.publishState();
  const r = watchOnce(5, '--node', '03864ef025fd');
  const out = r.stdout.toString();
  expect(r.exitCode).toBe(0);
  expect(out).toContain('hivebox 03864ef025fd  online  DEGRADED');
  expect(out).toContain('  ! plugin: not in plugin list');
  expect(out).toContain('members 3');
  expect(out).toContain('target Kraken  hive_share 3.0 %');
  await pub.close();
});

test('a malformed state from the LAN is counted, not rendered; no state at all → exit 69', async () => {
  const sub = await subscribe(broker, []);
  await sub.client.publishAsync('hivebox/0299aa99aa99/availability', 'online', { qos: 1, retain: true });
  await sub.client.publishAsync('hivebox/0299aa99aa99/state', JSON.stringify({ health: 'pwned', members_count: 'lots' }), { qos: 1, retain: true });
  const r = watchOnce(1, '--node', '0299aa99aa99');
  expect(r.exitCode).toBe(69);
  expect(r.stderr.toString()).toContain('no status received');
  const view = { nodeIdPrefix: '0299aa99aa99', availability: 'online', state: null, events: [], rejected: 1 };
  expect(renderNodes(new Map([[view.nodeIdPrefix, view]]), 0)).toBe('hivebox 0299aa99aa99  online  (no state)\n  1 malformed state message(s) ignored');
  await sub.client.publishAsync('hivebox/0299aa99aa99/state', '', { qos: 1, retain: true });
  await sub.client.publishAsync('hivebox/0299aa99aa99/availability', '', { qos: 1, retain: true });
  await sub.close();
});
