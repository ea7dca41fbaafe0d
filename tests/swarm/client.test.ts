/**
 * SwarmClient supervising the real Node sidecar (spawned as a child process; hyperswarm is never
 * loaded into Bun). A standalone DHT (`--bootstrap ''`) is enough: these tests are about the
 * process, not the network.
 */
import { afterEach, expect, test } from 'bun:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SwarmClient, type SwarmClientStatus } from '../../services/swarm/client.ts';
import type { SidecarEvent } from '../../services/swarm/sidecar-events.ts';
import { SIDECAR_MAIN, type SidecarTarget } from '../../services/swarm/sidecar-link.ts';
import { StatusLog } from './status-log.ts';

const STANDALONE = ['--bootstrap', '', '--host', '127.0.0.1'];
const FAST = { initial_ms: 50, max_ms: 400, stable_ms: 60_000 };
const TOPIC = 'ab'.repeat(32);
const clients: SwarmClient[] = [];
const children: { kill(): void }[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.stop()));
  for (const child of children.splice(0)) child.kill();
});

function client(sidecar: SidecarTarget, ready_timeout_ms?: number) {
  const status = new StatusLog<SwarmClientStatus>();
  const events = new StatusLog<SidecarEvent>();
  const c = new SwarmClient({ sidecar, backoff: FAST, ...(ready_timeout_ms ? { ready_timeout_ms } : {}), onEvent: events.push, onStatus: status.push });
  clients.push(c);
  return { c, status, events };
}

test('starts the sidecar, joins topics, answers stats, and stops it cleanly', async () => {
  const { c, status, events } = client({ kind: 'spawn', args: STANDALONE });
  c.join(TOPIC);
  c.start();
  const up = await status.waitFor((s) => s.state === 'up');
  expect(up.state === 'up' && up.public_key).toBe(c.publicKey!);
  await events.waitFor((e) => e.event === 'joined' && e.topic === TOPIC);
  const stats = await c.stats();
  expect(stats?.connections).toBe(0);
  await c.stop();
  expect(status.items.at(-1)).toEqual({ state: 'stopped' });
  expect(c.send(c.publicKey ?? ('00'.repeat(32) as never), new Uint8Array([1]))).toBe(false);
});

test('a crashed sidecar is restarted with backoff; topics are re-joined; commands fail while it is down', async () => {
  const { c, status, events } = client({ kind: 'spawn', args: STANDALONE });
  c.join(TOPIC);
  c.start();
  await status.waitFor((s) => s.state === 'up');
  const firstKey = c.publicKey;
  const since = status.items.length;
  const sinceEv = events.items.length;
  process.kill(c.pid!, 'SIGKILL');
  const down = await status.waitFor((s) => s.state === 'down', since);
  expect(down).toEqual({ state: 'down', reason: 'killed by SIGKILL', restart_in_ms: 50 });
  expect(c.connect('cd'.repeat(32) as never)).toBe(false);
  expect(await c.stats()).toBeNull();
  await status.waitFor((s) => s.state === 'up', since);
  expect(c.publicKey).not.toBe(firstKey);
  await events.waitFor((e) => e.event === 'joined' && e.topic === TOPIC, sinceEv);
});

test('a sidecar that keeps failing is retried with doubling delays up to the cap', async () => {
  const { c, status } = client({ kind: 'spawn', args: ['--max-peers', '0'] });
  c.start();
  await status.waitFor((s) => s.state === 'down' && s.restart_in_ms === 400, 0, 15_000);
  const delays = status.items.flatMap((s) => (s.state === 'down' ? [s.restart_in_ms] : []));
  expect(delays.slice(0, 4)).toEqual([50, 100, 200, 400]);
  expect(status.items.find((s) => s.state === 'down')).toMatchObject({ reason: 'exited with code 2' });
});

test('a process that never says ready is killed after ready_timeout_ms and restarted', async () => {
  // `tail <sidecar> -f` prints the file forever and never a `ready` line.
  const { c, status } = client({ kind: 'spawn', node: 'tail', args: ['-f'] }, 300);
  c.start();
  const down = await status.waitFor((s) => s.state === 'down');
  expect(down).toMatchObject({ reason: 'killed by SIGTERM' });
  expect(SIDECAR_MAIN.endsWith('services/swarm/sidecar/main.mjs')).toBe(true);
});

test('socket mode: retries while the systemd-run sidecar is absent, attaches once it listens', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'hivebox-swarm-')), 'swarm.sock');
  const { c, status } = client({ kind: 'socket', path });
  c.start();
  await status.waitFor((s) => s.state === 'down' && s.reason.startsWith('socket'));
  const sidecar = Bun.spawn(['node', SIDECAR_MAIN, '--socket', path, ...STANDALONE], { stdout: 'ignore', stderr: 'ignore' });
  children.push(sidecar);
  await status.waitFor((s) => s.state === 'up');
  expect((await c.stats())?.connections).toBe(0);
  await c.stop();
  expect(await sidecar.exited).toBe(0);
});
