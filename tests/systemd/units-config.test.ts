/**
 * The configuration files shipped next to the units, exercised for real: the polkit rule is run
 * with polkit's rule API (it is plain ES5, as polkit's duktape engine runs it) and must allow the
 * hivebox user to (re)start only the supervised units; the mosquitto conf is loaded by a real
 * mosquitto (port and password file moved to a temp folder) and must refuse anonymous clients.
 */
import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { freePort } from '../mqtt/broker.ts';

const SYSTEMD = join(import.meta.dir, '../../systemd');
const YES = 'yes';
const NOT_HANDLED = 'not_handled';

function polkitDecide(user: string, actionId: string, unit: string, verb: string): string {
  const rules: ((action: unknown, subject: unknown) => string)[] = [];
  const polkit = { Result: { YES, NO: 'no', NOT_HANDLED }, addRule: (f: (a: unknown, s: unknown) => string) => rules.push(f) };
  new Function('polkit', readFileSync(join(SYSTEMD, '50-hivebox-units.rules'), 'utf8'))(polkit);
  const action = { id: actionId, lookup: (k: string) => ({ unit, verb })[k] };
  return rules[0]!(action, { user });
}

test('polkit: hivebox may start/restart the supervised units and nothing else', () => {
  const manage = 'org.freedesktop.systemd1.manage-units';
  for (const unit of ['mosquitto.service', 'hivebox-lightningd.service', 'hivebox-swarm.service']) {
    expect(polkitDecide('hivebox', manage, unit, 'restart')).toBe(YES);
    expect(polkitDecide('hivebox', manage, unit, 'start')).toBe(YES);
    expect(polkitDecide('hivebox', manage, unit, 'stop')).toBe(NOT_HANDLED);
  }
  expect(polkitDecide('hivebox', manage, 'ssh.service', 'restart')).toBe(NOT_HANDLED);
  expect(polkitDecide('hivebox', manage, 'hivebox.service', 'restart')).toBe(NOT_HANDLED);
  expect(polkitDecide('mallory', manage, 'mosquitto.service', 'restart')).toBe(NOT_HANDLED);
  expect(polkitDecide('hivebox', 'org.freedesktop.systemd1.manage-unit-files', 'mosquitto.service', 'restart')).toBe(NOT_HANDLED);
});

const dir = mkdtempSync(join(tmpdir(), 'hb-mosq-conf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('mosquitto-hivebox.conf: a real mosquitto accepts it, refuses anonymous clients and admits the password-file user', async () => {
  const port = await freePort();
  const shipped = readFileSync(join(SYSTEMD, 'mosquitto-hivebox.conf'), 'utf8');
  expect(shipped).toMatch(/^listener 1883$/m);
  expect(shipped).toMatch(/^allow_anonymous false$/m);
  const passwd = join(dir, 'hivebox.passwd');
  const conf = shipped
    .replace(/^listener 1883$/m, `listener ${port} 127.0.0.1`)
    .replace(/^password_file .*$/m, `password_file ${passwd}`);
  writeFileSync(join(dir, 'mosquitto.conf'), `${conf}${process.getuid?.() === 0 ? 'user root\n' : ''}`);
  expect(Bun.spawnSync(['mosquitto_passwd', '-c', '-b', passwd, 'homeassistant', 'lan-secret']).exitCode).toBe(0);
  const broker = Bun.spawn(['mosquitto', '-c', join(dir, 'mosquitto.conf')], { stdout: 'ignore', stderr: 'pipe' });
  try {
    const url = `mqtt://127.0.0.1:${port}`;
    let anon: unknown;
    for (let i = 0; i < 100; i++) {
      anon = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 2000 }).then((c) => c.endAsync().then(() => 'connected'), (e: Error) => e.message);
      if (typeof anon === 'string' && !anon.includes('ECONNREFUSED')) break;
      await Bun.sleep(20);
    }
    expect(anon).toMatch(/Not authorized/i);
    const ha = await mqtt.connectAsync(url, { username: 'homeassistant', password: 'lan-secret', reconnectPeriod: 0 });
    expect(ha.connected).toBe(true);
    await ha.endAsync();
  } finally {
    broker.kill('SIGTERM');
    await broker.exited;
  }
});
