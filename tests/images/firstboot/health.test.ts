/**
 * The firstboot status as the daemon's health sees it: a clean run is up; problems, a missing or
 * unreadable status file are down with the reason the MQTT state will carry.
 */
import { afterEach, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initialHealth, stepHealth } from '../../../runtime/core/health/health-machine.ts';
import { firstbootComponent } from '../../../runtime/firstboot/health-component.ts';
import { FIRSTBOOT_STATUS_VERSION, type FirstbootStatus } from '../../../runtime/firstboot/status.ts';

const dir = mkdtempSync(join(tmpdir(), 'hb-fb-health-'));
afterEach(() => rmSync(join(dir, 'status.json'), { force: true }));

const status = (over: Partial<FirstbootStatus>): string =>
  JSON.stringify({ version: FIRSTBOOT_STATUS_VERSION, ok: true, at: 1, source: 'imported', problems: [], imported: [], generated: [], redacted: [], ...over });

test('clean run: up', async () => {
  writeFileSync(join(dir, 'status.json'), status({}));
  expect(await firstbootComponent(join(dir, 'status.json')).probe()).toEqual({ up: true });
});

test('problems: down with every problem in the reason, and the box degrades', async () => {
  writeFileSync(join(dir, 'status.json'), status({ ok: false, problems: [{ key: 'bitcoind.rpc_host', reason: 'missing: lightningd cannot reach bitcoind' }, { key: 'hive.role', reason: 'missing' }] }));
  const c = firstbootComponent(join(dir, 'status.json'));
  const p = await c.probe();
  expect(p).toEqual({ up: false, reason: 'bitcoind.rpc_host: missing: lightningd cannot reach bitcoind; hive.role: missing' });
  const spec = { components: [c, { name: 'store', required_for_ready: true, critical: true }], startup_timeout_s: 60 };
  const r = stepHealth(spec, initialHealth(spec, 0), { kind: 'observed', observations: [{ component: 'store', up: true }, { component: 'firstboot', ...p }] }, 1);
  expect(r.ok && r.value.state.status).toBe('degraded');
  expect(r.ok && r.value.state.reasons[0]!.reason).toStartWith('bitcoind.rpc_host: missing');
});

test('missing or garbled status file: down, with a plain reason', async () => {
  expect(await firstbootComponent(join(dir, 'status.json')).probe()).toEqual({ up: false, reason: 'firstboot has not run (no status file)' });
  writeFileSync(join(dir, 'status.json'), '{"version": 1, "ok": "yes"}');
  expect(await firstbootComponent(join(dir, 'status.json')).probe()).toEqual({ up: false, reason: 'firstboot status file unreadable' });
});
