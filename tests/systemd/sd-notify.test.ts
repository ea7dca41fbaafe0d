/**
 * sd_notify over a real NOTIFY_SOCKET: a child process using services/systemd/sd-notify.ts sends
 * through libsystemd to a datagram socket this test binds, exactly as PID 1 would receive them.
 */
import { afterEach, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openNotifier, statusLine, watchdogIntervalMs } from '../../services/systemd/sd-notify.ts';
import { listenNotify, type NotifyListener } from './notify-listener.ts';
import { waitUntil } from '../cln/fixtures/recording-engine.ts';

const CHILD = join(import.meta.dir, 'fixtures/notify-child.ts');
let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.reverse()) f();
  cleanup = [];
});

function listener(): NotifyListener {
  const dir = mkdtempSync(join(tmpdir(), 'hb-notify-'));
  const l = listenNotify(join(dir, 'notify.sock'));
  cleanup.push(() => {
    l.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return l;
}

test('READY=1, STATUS= and periodic WATCHDOG=1 datagrams reach the socket; SIGTERM sends STOPPING=1', async () => {
  const l = listener();
  const child = Bun.spawn([process.execPath, CHILD], {
    env: { ...process.env, NOTIFY_SOCKET: l.path, WATCHDOG_USEC: '100000' },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  cleanup.push(() => child.kill('SIGKILL'));
  expect(await l.waitFor('READY=1')).toEqual(['READY=1', 'STATUS=healthy: store open, signer checked, backend up']);
  expect(l.datagrams[0]).toEqual(['STATUS=starting: opening store']);
  // A newline in status text must not smuggle a second assignment (READY=1) into the datagram.
  expect(l.datagrams[1]).toEqual(['STATUS=starting: line one READY=1']);
  await l.waitFor('WATCHDOG=1');
  const before = l.count('WATCHDOG=1');
  await waitUntil(() => l.count('WATCHDOG=1') > before, 'another watchdog ping');
  child.kill('SIGTERM');
  expect(await l.waitFor('STOPPING=1')).toEqual(['STOPPING=1', 'STATUS=stopping: SIGTERM']);
  expect(await child.exited).toBe(0);
  const out = JSON.parse((await new Response(child.stdout).text()).trim());
  expect(out).toEqual({ enabled: true, watchdogIntervalMs: 50, ready: { ok: true, sent: true } });
  expect(await new Response(child.stderr).text()).toBe('');
});

test('without NOTIFY_SOCKET every call is a no-op that says so', () => {
  const n = openNotifier({});
  expect(n.enabled).toBe(false);
  expect(n.ready('x')).toEqual({ ok: true, sent: false });
  expect(n.watchdog()).toEqual({ ok: true, sent: false });
  expect(n.watchdogIntervalMs).toBeNull();
});

test('a socket path nobody listens on gives a typed SendFailed, not a throw', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hb-notify-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const child = Bun.spawnSync([process.execPath, '-e', `
    const { openNotifier } = await import(${JSON.stringify(join(import.meta.dir, '../../services/systemd/sd-notify.ts'))});
    console.log(JSON.stringify(openNotifier().ready()));`], { env: { ...process.env, NOTIFY_SOCKET: join(dir, 'absent.sock') } });
  expect(JSON.parse(child.stdout.toString())).toEqual({ ok: false, error: { kind: 'SendFailed', errno: 2 } });
});

test('watchdog interval is half of WATCHDOG_USEC and honours WATCHDOG_PID', () => {
  expect(watchdogIntervalMs({ WATCHDOG_USEC: '30000000' }, 42)).toBe(15000);
  expect(watchdogIntervalMs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '42' }, 42)).toBe(15000);
  expect(watchdogIntervalMs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '7' }, 42)).toBeNull();
  expect(watchdogIntervalMs({ WATCHDOG_USEC: 'soon' }, 42)).toBeNull();
  expect(watchdogIntervalMs({}, 42)).toBeNull();
});

test('status lines flatten control characters and are bounded', () => {
  expect(statusLine('a\nMAINPID=1\r\tb')).toBe('a MAINPID=1 b');
  expect(statusLine('x'.repeat(500))).toHaveLength(200);
});
