/**
 * `[lnd]`: typed config errors (a bad key or value names it; an unreadable or malformed certificate
 * or macaroon names key and file, nothing is connected), and the supervisor on LND watching
 * `lnd.service` with a GetInfo probe instead of lightningd and the plugin.
 */
import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../runtime/config/load.ts';
import { CONFIG_SCHEMA } from '../../runtime/config/schema.ts';
import { applianceComponents } from '../../runtime/daemon/appliance-components.ts';
import { openNodeBackend } from '../../runtime/daemon/node-backend.ts';
import type { NodeResult } from '../../runtime/core/ports.ts';
import { connectLnd } from '../../services/lnd/client.ts';
import { lndTlsPair } from '../../runtime/sim/simlnd/tls.ts';
import type { UnitState } from '../../services/systemd/systemctl.ts';

const dir = mkdtempSync(join(tmpdir(), 'hbx-lnd-cfg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, body: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, body);
  return p;
};

test('[lnd] keys: defaults, unknown key, bad port and an IP host are errors naming the key', () => {
  const d = CONFIG_SCHEMA.parse({}).lnd;
  expect(d).toMatchObject({ enabled: false, host: 'localhost', port: 10_009, service: 'lnd.service' });
  for (const [text, key] of [
    ['[lnd]\nmacaroon = "x"\n', 'macaroon'],
    ['[lnd]\nport = 70000\n', 'lnd.port'],
    ['[lnd]\nhost = "127.0.0.1"\n', 'lnd.host'],
    ['[lnd]\nservice = "lnd"\n', 'lnd.service'],
  ] as const) {
    const r = loadConfig({ file: file('c.toml', text) });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain(key);
  }
});

test('certificate and macaroon files: unreadable or malformed is a typed error naming key and file', async () => {
  const cert = lndTlsPair(dir).certPath;
  const mac = file('admin.macaroon', Uint8Array.from([2, ...new Uint8Array(40)]));
  const base = { host: 'localhost', port: 10_009, tls_cert_path: cert, macaroon_path: mac };
  const kind = (s: typeof base) => {
    const r = connectLnd(s);
    if (r.ok) r.value.close();
    return r.ok ? 'ok' : r.error.kind;
  };
  expect(kind(base)).toBe('ok');
  expect(kind({ ...base, tls_cert_path: join(dir, 'missing.cert') })).toBe('tls_cert_unreadable');
  expect(kind({ ...base, tls_cert_path: file('bad.cert', 'hello') })).toBe('tls_cert_invalid');
  expect(kind({ ...base, tls_cert_path: file('garbled.cert', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n') })).toBe('tls_cert_invalid');
  expect(kind({ ...base, macaroon_path: join(dir, 'missing.macaroon') })).toBe('macaroon_unreadable');
  expect(kind({ ...base, macaroon_path: file('hex.macaroon', '0201036c6e64') })).toBe('macaroon_invalid');
  const config = CONFIG_SCHEMA.parse({ lnd: { enabled: true, tls_cert_path: join(dir, 'missing.cert'), macaroon_path: mac } });
  await expect(openNodeBackend(config)).rejects.toThrow(`lnd.tls_cert_path ${join(dir, 'missing.cert')}`);
});

test('on LND the supervisor watches lnd.service and GetInfo, not lightningd or the plugin', async () => {
  const config = CONFIG_SCHEMA.parse({ lnd: { enabled: true } });
  let unit: UnitState = { active_state: 'inactive', sub_state: 'dead', load_state: 'loaded' };
  const restarted: string[] = [];
  let getinfo: NodeResult<never> = { ok: false, error: { code: 14, message: 'No connection established', method: 'GetInfo' } };
  const parts = applianceComponents({
    config,
    backend: { getinfo: async () => getinfo },
    plugins: { pluginList: async () => ({ ok: true, value: [] }), pluginStart: async () => ({ ok: true, value: undefined }) } as never,
    signer: { publicKey: async () => ({ ok: false, error: { kind: 'SignerUnavailable', reason: 'test' } }) } as never,
    units: { state: async (u) => (u === 'lnd.service' ? { ok: true, value: unit } : { ok: false, error: { kind: 'SystemctlFailed', exit_code: 1, stderr: '' } }), restart: async (u) => (restarted.push(u), { ok: true, value: undefined }) },
    mqtt: null,
    swarm: null,
  });
  const names = parts.components.map((c) => c.name);
  expect(names).toContain('lnd');
  expect(names).not.toContain('lightningd');
  expect(names).not.toContain('plugin');
  const lnd = parts.components.find((c) => c.name === 'lnd')!;
  expect(await lnd.probe()).toEqual({ up: false, reason: 'lnd.service inactive/dead' });
  unit = { active_state: 'active', sub_state: 'running', load_state: 'loaded' };
  expect(await lnd.probe()).toEqual({ up: false, reason: 'GetInfo: No connection established' });
  getinfo = { ok: true, value: undefined as never };
  expect(await lnd.probe()).toEqual({ up: true });
  await lnd.restart!();
  expect(restarted).toEqual(['lnd.service']);
  parts.close();
});
