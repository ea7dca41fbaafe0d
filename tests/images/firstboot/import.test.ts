/**
 * `hivebox firstboot` end to end on a throw-away root: a good boot file becomes the system files
 * (modes, owners, content), secrets leave the boot partition, bad or missing settings degrade
 * without stopping anything, reruns keep the box's secrets, and a failing write leaves whole files.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signMessage } from '../../../runtime/core/crypto/lnsign.ts';
import { draftTicket, sealTicket } from '../../../runtime/core/ticket/issue.ts';
import { fromHex } from '../../../runtime/core/types.ts';
import { BOX_PATHS } from '../../../runtime/config/box-paths.ts';
import { parseStoredSettings } from '../../../runtime/firstboot/settings.ts';
import { firstbootObservation, parseFirstbootStatus } from '../../../runtime/firstboot/status.ts';
import { goodBootFile, makeBox, type TestBox } from './fixture.ts';

const ADMIN_SK = fromHex(`${'00'.repeat(31)}01`)!;
const ADMIN_PUBKEY = '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798';

/** A real signed invite ticket (issue.ts + lnsign), as `hivebox invite` prints it. */
function ticket(): string {
  const d = draftTicket({ hive_id: 'kitchen-fleet', admin_pubkey: ADMIN_PUBKEY }, 1_790_000_000, new Uint8Array(16).fill(7));
  if (!d.ok) throw new Error('draft');
  const s = sealTicket(d.value, signMessage(d.value.text, ADMIN_SK));
  if (!s.ok) throw new Error('seal');
  return s.value.encoded;
}

const mode = (box: TestBox, p: string) => statSync(box.at(p)).mode & 0o777;
const status = (box: TestBox) => parseFirstbootStatus(box.read(BOX_PATHS.status))!;

function tmpLeftovers(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.name.endsWith('.hivebox-tmp')).map((e) => e.name);
}

let box: TestBox;
beforeEach(() => {
  box = makeBox();
});
afterEach(() => box.dispose());

describe('good boot file', () => {
  test('every setting lands in its system file', () => {
    const t = ticket();
    box.writeBoot(goodBootFile(t));
    const r = box.run();
    expect(r.ok).toBe(true);
    const st = status(box);
    expect(st).toMatchObject({ ok: true, source: 'imported', problems: [], generated: ['mqtt.daemon_password'] });
    expect(st.imported).toContain('bitcoind.rpc_host');

    expect(box.read('/etc/hostname')).toBe('hive-kitchen\n');
    expect(box.read('/etc/hosts')).toContain('127.0.1.1\thive-kitchen');
    const wired = box.read(BOX_PATHS.wiredNetwork);
    expect(wired).toContain('Address=192.168.7.20/24\nGateway=192.168.7.1\nDNS=192.168.7.1\nDNS=9.9.9.9');
    expect(wired).not.toContain('DHCP=yes');
    // IEEE 802.11i-2004 H.4 vector: passphrase "password", SSID "IEEE".
    expect(box.read(BOX_PATHS.wpaSupplicant)).toContain('ssid=49454545\n\tpsk=f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e');
    expect(box.read(BOX_PATHS.wpaSupplicant)).not.toContain('password');
    expect(box.read(BOX_PATHS.mosquittoConf)).toMatch(/^listener 18830 127\.0\.0\.1$/m);
    expect(box.read(BOX_PATHS.mosquittoConf)).toContain('allow_anonymous false');

    const daemon = Bun.TOML.parse(box.read(BOX_PATHS.daemonConfig)) as { lightning: { rpc_file: string }; mqtt: Record<string, string> };
    expect(daemon.lightning.rpc_file).toBe('/var/lib/lightningd/signet/lightning-rpc');
    expect(daemon.mqtt).toMatchObject({ url: 'mqtt://127.0.0.1:18830', username: 'hivebox' });
    expect(daemon.mqtt.password).toHaveLength(32);
    expect(JSON.parse(box.read(BOX_PATHS.hiveRole))).toEqual({ role: 'member', ticket: t });
    expect(box.read(BOX_PATHS.lightningdConfig)).toContain('network=signet\nalias=hive-kitchen\nbitcoin-rpcconnect=192.168.7.5\nbitcoin-rpcport=38332\nbitcoin-rpcuser=lightning\nbitcoin-rpcpassword=rpc-s3cret\n');
    expect(box.read(BOX_PATHS.authorizedKeys)).toStartWith('ssh-ed25519 AAAA');
  });

  test('secrets are 0600 (0640 for files the daemon or lightningd read), folders closed', () => {
    box.writeBoot(goodBootFile(ticket()));
    expect(box.run().ok).toBe(true);
    for (const p of [BOX_PATHS.settings, BOX_PATHS.mosquittoPasswd, BOX_PATHS.wpaSupplicant, BOX_PATHS.authorizedKeys]) expect(mode(box, p)).toBe(0o600);
    for (const p of [BOX_PATHS.daemonConfig, BOX_PATHS.hiveRole, BOX_PATHS.lightningdConfig]) expect(mode(box, p)).toBe(0o640);
    expect(mode(box, '/etc/hivebox')).toBe(0o750);
    expect(mode(box, '/var/lib/hivebox')).toBe(0o700);
    expect(mode(box, '/root/.ssh')).toBe(0o700);
  });

  test('the broker password file is hashed and holds the operator and the daemon', () => {
    box.writeBoot(goodBootFile(ticket()));
    expect(box.run().ok).toBe(true);
    const lines = box.read(BOX_PATHS.mosquittoPasswd).trim().split('\n');
    expect(lines.map((l) => l.split(':')[0])).toEqual(['hivebox', 'homeassistant']);
    for (const l of lines) expect(l).toMatch(/^[a-z]+:\$7\$101\$/);
    expect(box.read(BOX_PATHS.mosquittoPasswd)).not.toContain('correct horse battery');
  });

  test('imported secrets are blanked in the boot file; comments and other keys stay', () => {
    const t = ticket();
    box.writeBoot(goodBootFile(t));
    expect(box.run().ok).toBe(true);
    const boot = box.read('/boot/firmware/hivebox.toml');
    for (const s of ['password', 'rpc-s3cret', 'correct horse battery', t]) expect(boot).not.toContain(`"${s}"`);
    expect(boot).toContain("# operator's notes stay");
    expect(boot).toContain('hostname = "hive-kitchen"');
    expect(boot).toMatch(/^psk = "" {2}# imported 2026-/m);
    expect(status(box).redacted.sort()).toEqual(['bitcoind.rpc_password', 'hive.ticket', 'mqtt.password', 'wifi.psk']);
    const parsed = Bun.TOML.parse(boot) as { mqtt: { password: string } };
    expect(parsed.mqtt.password).toBe('');
  });

  test('a file saved by a Windows editor (BOM, CRLF) imports and keeps its line ends', () => {
    box.writeBoot(`\uFEFF${goodBootFile(ticket())}`.replace(/\n/g, '\r\n'));
    expect(box.run().ok).toBe(true);
    expect(status(box)).toMatchObject({ ok: true, redacted: expect.arrayContaining(['mqtt.password']) });
    const boot = box.read('/boot/firmware/hivebox.toml');
    expect(boot).not.toContain('correct horse battery');
    expect(boot.split('\n').slice(0, -1).every((l) => l.endsWith('\r'))).toBe(true);
  });

  test('a second boot keeps the secrets the box holds and changes nothing else', () => {
    const t = ticket();
    box.writeBoot(goodBootFile(t));
    expect(box.run().ok).toBe(true);
    const first = parseStoredSettings(box.read(BOX_PATHS.settings))!;
    const daemonConfig = box.read(BOX_PATHS.daemonConfig);
    const again = box.run(1_790_000_100);
    expect(again.ok).toBe(true);
    expect(status(box)).toMatchObject({ ok: true, generated: [], redacted: [] });
    expect(parseStoredSettings(box.read(BOX_PATHS.settings))).toEqual(first);
    expect(first.mqtt.password).toBe('correct horse battery');
    expect(first.hive.ticket).toBe(t);
    expect(box.read(BOX_PATHS.daemonConfig)).toBe(daemonConfig);
  });

  test('a new secret written later replaces the stored one', () => {
    box.writeBoot(goodBootFile(ticket()));
    expect(box.run().ok).toBe(true);
    const boot = box.read('/boot/firmware/hivebox.toml').replace(/^password = "".*$/m, 'password = "a brand new passphrase"');
    box.writeBoot(boot);
    expect(box.run().ok).toBe(true);
    expect(parseStoredSettings(box.read(BOX_PATHS.settings))!.mqtt.password).toBe('a brand new passphrase');
    expect(status(box).redacted).toEqual(['mqtt.password']);
  });
});

describe('bad or missing settings: the box still comes up, degraded with the reason', () => {
  test('no boot file: defaults, broker passwords generated, reasons name what is missing', () => {
    const r = box.run();
    expect(r.ok).toBe(true);
    const st = status(box);
    expect(st.ok).toBe(false);
    expect(st.source).toBe('defaults');
    expect(st.generated.sort()).toEqual(['mqtt.daemon_password', 'mqtt.password']);
    expect(st.problems.map((p) => p.key)).toEqual(['hivebox.toml', 'bitcoind.rpc_host', 'bitcoind.rpc_user', 'bitcoind.rpc_password', 'hive.role']);
    expect(box.read('/etc/hostname')).toBe('hivebox\n');
    expect(box.read(BOX_PATHS.wiredNetwork)).toContain('DHCP=yes');
    expect(existsSync(box.at(BOX_PATHS.wpaSupplicant))).toBe(false);
    expect(existsSync(box.at(BOX_PATHS.authorizedKeys))).toBe(false);
    expect(box.read(BOX_PATHS.mosquittoPasswd).trim().split('\n')).toHaveLength(2);
    const obs = firstbootObservation(box.read(BOX_PATHS.status));
    expect(obs.up).toBe(false);
    expect(obs.reason).toStartWith('hivebox.toml: not found on the boot partition');
  });

  test('bad values are refused one by one; the good keys still apply', () => {
    box.writeBoot(`[system]
hostname = "-bad-"
[network]
mode = "static"
address = "192.168.1.300/24"
gateway = "192.168.1.1"
[mqtt]
port = 70000
username = "homeassistant"
password = "short"
[bitcoind]
rpc_host = "10.0.0.2"
rpc_port = 8332
rpc_user = "u"
rpc_password = "p"
[hive]
role = "member"
ticket = "not-a-ticket"
colour = "blue"
[extras]
x = 1
`);
    expect(box.run().ok).toBe(true);
    const st = status(box);
    const reasons = Object.fromEntries(st.problems.map((p) => [p.key, p.reason]));
    // Each key once: a refused value is not reported again as missing.
    expect(st.problems.map((p) => p.key)).toEqual(['system.hostname', 'network.address', 'mqtt.port', 'mqtt.password', 'hive.colour', 'extras', 'hive.ticket']);
    expect(reasons['mqtt.port']).toStartWith('invalid:');
    expect(reasons['hive.ticket']).toStartWith('invalid: not a Hive invite ticket');
    expect(reasons['extras']).toStartWith('unknown section');
    // Static mode without a usable address: reported, and the wired link falls back to DHCP so the box stays reachable.
    expect(box.read(BOX_PATHS.wiredNetwork)).toContain('DHCP=yes');
    expect(box.read('/etc/hostname')).toBe('hivebox\n');
    expect(box.read(BOX_PATHS.mosquittoConf)).toMatch(/^listener 1883$/m);
    expect(box.read(BOX_PATHS.lightningdConfig)).toContain('bitcoin-rpcconnect=10.0.0.2\n');
    // The refused ticket is not imported and stays on the card for the operator to fix.
    expect(box.read('/boot/firmware/hivebox.toml')).toContain('ticket = "not-a-ticket"');
    expect(box.read('/boot/firmware/hivebox.toml')).toMatch(/^rpc_password = "" {2}#/m);
  });

  test('TOML syntax error: nothing imported, nothing blanked, previous settings kept', () => {
    box.writeBoot(goodBootFile(ticket()));
    expect(box.run().ok).toBe(true);
    const before = box.read(BOX_PATHS.settings);
    const broken = '[mqtt\npassword = "leaked-if-we-were-careless"\n';
    box.writeBoot(broken);
    expect(box.run().ok).toBe(true);
    const st = status(box);
    expect(st.source).toBe('kept');
    expect(st.problems[0]!.key).toBe('hivebox.toml');
    expect(st.problems[0]!.reason).toBe('not imported, TOML syntax error at 1:6: illegal character in key');
    expect(box.read('/boot/firmware/hivebox.toml')).toBe(broken);
    expect(box.read(BOX_PATHS.settings)).toBe(before);
  });

  test('a secret written as an inline table is imported but reported as not removed', () => {
    box.writeBoot('mqtt = { password = "inline table secret" }\n');
    expect(box.run().ok).toBe(true);
    const st = status(box);
    expect(st.problems).toContainEqual({ key: 'mqtt.password', reason: expect.stringContaining('not removed from hivebox.toml') });
    expect(parseStoredSettings(box.read(BOX_PATHS.settings))!.mqtt.password).toBe('inline table secret');
  });

  test('a failing write stops the run with whole files, no temp files, secrets still on the card', () => {
    box.writeBoot(goodBootFile(ticket()));
    mkdirSync(box.at(BOX_PATHS.hiveRole), { recursive: true });
    writeFileSync(join(box.at(BOX_PATHS.hiveRole), 'blocker'), 'a folder where a file must go');
    const r = box.run();
    expect(r.ok).toBe(false);
    expect(tmpLeftovers(box.root)).toEqual([]);
    // Files before the failure are complete; the daemon config parses.
    expect(() => Bun.TOML.parse(box.read(BOX_PATHS.daemonConfig))).not.toThrow();
    expect(box.read('/boot/firmware/hivebox.toml')).toContain('password = "correct horse battery"');
    const st = status(box);
    expect(st.ok).toBe(false);
    expect(st.problems[0]!.key).toBe('firstboot');
    // The next boot, with the obstacle gone, finishes the job.
    rmSync(box.at(BOX_PATHS.hiveRole), { recursive: true });
    expect(box.run().ok).toBe(true);
    expect(status(box).ok).toBe(true);
    expect(box.read('/boot/firmware/hivebox.toml')).not.toContain('correct horse battery');
  });

  test('missing image account is an error, not a half-configured box', () => {
    writeFileSync(box.at('/etc/group'), 'root:x:0:\n');
    box.writeBoot(goodBootFile(ticket()));
    const r = box.run();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('no group "hivebox"');
    expect(box.read('/boot/firmware/hivebox.toml')).toContain('correct horse battery');
  });
});
