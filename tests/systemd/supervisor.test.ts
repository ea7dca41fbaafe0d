/**
 * The supervisor (services/systemd/supervisor.ts) driving real processes with an injected clock:
 * a crashed CLN plugin is restarted with `plugin start`, lightningd going down degrades with the
 * reason and recovers, a real mosquitto killed and restarted, the restart budget ends in `failed`,
 * and probes that hang are bounded.
 */
import { Database } from 'bun:sqlite';
import { afterEach, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HealthEffect } from '../../runtime/core/health/health-machine.ts';
import { lightningdComponent, pluginComponent, unitComponent } from '../../services/systemd/components.ts';
import { createSupervisor, type SupervisedComponent, type SupervisorEvent } from '../../services/systemd/supervisor.ts';
import { systemctl } from '../../services/systemd/systemctl.ts';
import { startBroker } from '../mqtt/broker.ts';
import { PluginHost } from './fixtures/plugin-host.ts';

const PLUGIN = '/usr/lib/hivebox/hivebox-plugin';
let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

/** A manual clock (unix seconds). */
function clock(start = 1_700_000_000) {
  let t = start;
  return { now: () => t, advance: (s: number) => void (t += s) };
}

/** The store component: a real SQLite file in WAL mode, probed with `SELECT 1`. */
function storeComponent(): SupervisedComponent {
  const dir = mkdtempSync(join(tmpdir(), 'hb-store-'));
  const db = new Database(join(dir, 'hivebox.db'));
  db.run('PRAGMA journal_mode = WAL');
  cleanup.push(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { name: 'store', required_for_ready: true, critical: true, probe: async () => (db.query('SELECT 1 AS one').get() ? { up: true } : { up: false, reason: 'no row' }) };
}

function recorder() {
  const transitions: string[] = [];
  const events: SupervisorEvent[] = [];
  let ready = 0;
  return {
    transitions,
    events,
    ready: () => ready,
    onTransition: (t: Extract<HealthEffect, { kind: 'transition' }>) => transitions.push(`${t.from}->${t.to}${t.reasons.map((r) => ` [${r.component}: ${r.reason}]`).join('')}`),
    onReady: () => void ready++,
    onEvent: (e: SupervisorEvent) => void events.push(e),
  };
}

test('crashed plugin → degraded with the reason → restarted with `plugin start` → healthy', async () => {
  const host = new PluginHost(() => ['sleep', '600']);
  cleanup.push(() => host.stopAll());
  await host.pluginStart(PLUGIN);
  const c = clock();
  const rec = recorder();
  const sup = createSupervisor({
    components: [storeComponent(), lightningdComponent(host, undefined, { required_for_ready: true, critical: true }), pluginComponent(host, PLUGIN)],
    startup_timeout_s: 60,
    now: c.now,
    ...rec,
  });
  expect((await sup.checkOnce()).status).toBe('healthy');
  expect(rec.ready()).toBe(1);

  await host.crash(PLUGIN);
  c.advance(10);
  expect((await sup.checkOnce()).reasons).toEqual([{ component: 'plugin', reason: `${PLUGIN} not in plugin list` }]);
  c.advance(1);
  await sup.checkOnce(); // backoff (2 s) not yet elapsed: no restart
  expect(host.starts).toBe(1);
  c.advance(1);
  await sup.checkOnce();
  expect(host.starts).toBe(2);
  expect(rec.events).toEqual([{ kind: 'restart', component: 'plugin', attempt: 1, restarts_in_window: 1, outcome: { ok: true, value: undefined } }]);
  c.advance(5);
  expect((await sup.checkOnce()).status).toBe('healthy');
  expect(rec.transitions).toEqual([
    'starting->healthy',
    `healthy->degraded [plugin: ${PLUGIN} not in plugin list]`,
    'degraded->healthy',
  ]);
  expect(rec.ready()).toBe(1);
});

test('lightningd down → degraded naming getinfo and the plugin; back up → healthy', async () => {
  const host = new PluginHost(() => ['sleep', '600']);
  cleanup.push(() => host.stopAll());
  await host.pluginStart(PLUGIN);
  const c = clock();
  const rec = recorder();
  const sup = createSupervisor({ components: [lightningdComponent(host), pluginComponent(host, PLUGIN)], startup_timeout_s: 60, now: c.now, ...rec });
  await sup.checkOnce();
  host.up = false;
  c.advance(5);
  const s = await sup.checkOnce();
  expect(s.status).toBe('degraded');
  expect(s.reasons).toEqual([
    { component: 'lightningd', reason: 'getinfo: Connection refused (lightning-rpc)' },
    { component: 'plugin', reason: 'plugin list: Connection refused (lightning-rpc)' },
  ]);
  host.up = true;
  c.advance(5);
  expect((await sup.checkOnce()).status).toBe('healthy');
});

test('a real mosquitto stopped under the supervisor is restarted by its restart action', async () => {
  const broker = await startBroker();
  cleanup.push(() => broker.dispose());
  const mosquitto: SupervisedComponent = {
    name: 'mosquitto',
    required_for_ready: false,
    critical: false,
    async probe() {
      try {
        const s = await Bun.connect({ hostname: '127.0.0.1', port: broker.port, socket: { data() {} } });
        s.end();
        return { up: true };
      } catch (e) {
        return { up: false, reason: `port ${broker.port}: ${(e as Error).message}` };
      }
    },
    async restart() {
      await broker.restart();
      return { ok: true, value: undefined };
    },
    policy: { base_backoff_s: 1, max_backoff_s: 4, budget: 3, window_s: 60 },
  };
  const c = clock();
  const rec = recorder();
  const sup = createSupervisor({ components: [mosquitto], startup_timeout_s: 60, now: c.now, ...rec });
  expect((await sup.checkOnce()).status).toBe('healthy');
  await broker.stop();
  c.advance(1);
  expect((await sup.checkOnce()).status).toBe('degraded');
  c.advance(1);
  await sup.checkOnce(); // restart due
  c.advance(1);
  expect((await sup.checkOnce()).status).toBe('healthy');
  expect(rec.events.map((e) => e.kind)).toEqual(['restart']);
});

test('restart budget spent on a critical component → gave_up → failed (the daemon exits; systemd takes over)', async () => {
  const c = clock();
  const rec = recorder();
  let restarts = 0;
  const flaky: SupervisedComponent = {
    name: 'backend',
    required_for_ready: false,
    critical: true,
    probe: async () => ({ up: false, reason: 'getinfo: Connection refused' }),
    restart: async () => (restarts++, { ok: false, error: 'Job for lightningd.service failed' }),
    policy: { base_backoff_s: 1, max_backoff_s: 2, budget: 2, window_s: 300 },
  };
  const sup = createSupervisor({ components: [flaky], startup_timeout_s: 600, now: c.now, ...rec });
  for (let i = 0; i < 10; i++) {
    await sup.checkOnce();
    c.advance(1);
  }
  expect(restarts).toBe(2);
  expect(rec.events.map((e) => e.kind)).toEqual(['restart', 'restart', 'gave_up']);
  expect(rec.events[0]).toMatchObject({ outcome: { ok: false, error: 'Job for lightningd.service failed' } });
  expect(sup.health().status).toBe('failed');
  expect(sup.health().reasons).toEqual([{ component: 'backend', reason: 'gave up after 2 restarts in 300 s: getinfo: Connection refused' }]);
  expect(rec.transitions.at(-1)).toStartWith('degraded->failed');
});

test('a hung probe counts as down after probe_timeout_ms; a throwing probe reports its message', async () => {
  const c = clock();
  const sup = createSupervisor({
    components: [
      { name: 'signer', required_for_ready: false, critical: false, probe: () => new Promise(() => {}) },
      { name: 'swarm', required_for_ready: false, critical: false, probe: async () => { throw new Error('sidecar socket missing'); } },
    ],
    startup_timeout_s: 0,
    probe_timeout_ms: 50,
    now: c.now,
  });
  const s = await sup.checkOnce();
  expect(s.reasons).toEqual([
    { component: 'signer', reason: 'probe timed out after 50 ms' },
    { component: 'swarm', reason: 'sidecar socket missing' },
  ]);
});

test('rounds never overlap; duplicate component names are a wiring error', async () => {
  let probes = 0;
  const sup = createSupervisor({
    components: [{ name: 'store', required_for_ready: true, critical: true, probe: async () => (probes++, await Bun.sleep(20), { up: true }) }],
    startup_timeout_s: 60,
    now: () => 0,
  });
  const [a, b] = [sup.checkOnce(), sup.checkOnce()];
  expect(a).toBe(b);
  await a;
  expect(probes).toBe(1);
  const comp = { name: 'x', required_for_ready: false, critical: false, probe: async () => ({ up: true as const }) };
  expect(() => createSupervisor({ components: [comp, comp], startup_timeout_s: 1, now: () => 0 })).toThrow('duplicate');
});

test('unit components through the real systemctl: without systemd as PID 1 the probe is down with systemctl’s own message', async () => {
  const unit = unitComponent('mosquitto', 'mosquitto.service', systemctl());
  const r = await unit.probe();
  if (r.up) return; // a machine booted with systemd and a running mosquitto
  expect(r.reason).toMatch(/^(systemctl: |mosquitto\.service )/);
  const bad = unitComponent('x', '--force.service', systemctl());
  expect(await bad.probe()).toEqual({ up: false, reason: 'bad unit name --force.service' });
});
