/**
 * From box settings to the files the system reads (pure): hostname, systemd-networkd and
 * wpa_supplicant configuration, the mosquitto listener and password file, the daemon's config
 * (/etc/hivebox/hivebox.toml) and hive role, lightningd's config with the bitcoind RPC endpoint,
 * and root's SSH keys. Also fills in the secrets that are missing (broker passwords) from
 * random bytes the caller supplies. Paths are absolute paths on the box.
 */
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { base64urlnopad, hex } from '@scure/base';
import { utf8 } from '../core/types.ts';
import { BITCOIND_RPC_PORT, type BoxSettings } from './settings.ts';
import { BOX_PATHS } from '../config/box-paths.ts';

/** One file to put in place (whole, via temp file + rename) or to remove. */
export type OutputFile =
  | {
      readonly kind: 'write';
      readonly path: string;
      readonly content: string;
      readonly mode: number;
      readonly owner: string;
      readonly group: string;
      /** `mosquitto`: content is `user:password` lines, hashed with `mosquitto_passwd -U` before the rename. */
      readonly transform?: 'mosquitto-passwd';
    }
  | { readonly kind: 'remove'; readonly path: string };

/** A folder the outputs live in: created when missing, mode and owner set every run. */
export interface OutputDir {
  readonly path: string;
  readonly mode: number;
  readonly owner: string;
  readonly group: string;
}


/** The daemon's own broker account. */
export const DAEMON_MQTT_USER = 'hivebox';

/** Bytes of randomness per generated password (→ 32 base64url characters). */
export const GENERATED_PASSWORD_BYTES = 24;

/**
 * Fill the broker passwords that are still missing. `random(n)` returns n fresh random bytes
 * (the caller's CSPRNG). @returns the settings and the dotted keys that were generated.
 */
export function withGeneratedSecrets(s: BoxSettings, random: (n: number) => Uint8Array): { settings: BoxSettings; generated: string[] } {
  const generated: string[] = [];
  const gen = (key: string, have: string | null): string => {
    if (have) return have;
    generated.push(key);
    return base64urlnopad.encode(random(GENERATED_PASSWORD_BYTES));
  };
  const mqtt = { ...s.mqtt, password: gen('mqtt.password', s.mqtt.password), daemon_password: gen('mqtt.daemon_password', s.mqtt.daemon_password) };
  return { settings: { ...s, mqtt }, generated };
}

/** The WPA2 pre-shared key: PBKDF2-HMAC-SHA1(passphrase, ssid, 4096, 32) as 64 hex (IEEE 802.11i H.4; what wpa_passphrase prints). */
export function wpaPsk(ssid: string, passphrase: string): string {
  return hex.encode(pbkdf2(sha1, utf8(passphrase), utf8(ssid), { c: 4096, dkLen: 32 }));
}

/** A TOML basic string (quotes, backslashes and control characters escaped). */
export function tomlString(s: string): string {
  return JSON.stringify(s);
}

/**
 * The shipped broker config with its one `listener` line set to the configured port and address.
 * @returns null when the template does not have exactly one `listener` line.
 */
export function renderMosquittoConf(template: string, port: number, address: string): string | null {
  const lines = template.split('\n');
  const at = lines.flatMap((l, i) => (/^listener\s/.test(l) ? [i] : []));
  if (at.length !== 1) return null;
  lines[at[0]!] = `listener ${port}${address ? ` ${address}` : ''}`;
  return lines.join('\n');
}

const HEADER = '# Written by `hivebox firstboot` from hivebox.toml on the boot partition; edit that file and reboot.';

function network(s: BoxSettings): string {
  const n = s.network;
  const body = n.mode === 'static' && n.address && n.gateway ? [`Address=${n.address}`, `Gateway=${n.gateway}`] : ['DHCP=yes'];
  return [HEADER, '[Match]', 'Name=en* eth*', '', '[Network]', ...body, ...n.dns.map((d) => `DNS=${d}`), 'MulticastDNS=yes', ''].join('\n');
}

function wifiFiles(s: BoxSettings): OutputFile[] {
  const { ssid, psk, country } = s.wifi;
  if (!ssid || !psk || !country) return [{ kind: 'remove', path: BOX_PATHS.wpaSupplicant }, { kind: 'remove', path: BOX_PATHS.wifiNetwork }];
  const wpa = [HEADER, 'ctrl_interface=DIR=/run/wpa_supplicant GROUP=netdev', 'update_config=0', `country=${country}`, '', 'network={', `\tssid=${hex.encode(utf8(ssid))}`, `\tpsk=${wpaPsk(ssid, psk)}`, '\tkey_mgmt=WPA-PSK', '}', ''].join('\n');
  const net = [HEADER, '[Match]', 'Name=wlan*', '', '[Network]', 'DHCP=yes', ...s.network.dns.map((d) => `DNS=${d}`), 'MulticastDNS=yes', ''].join('\n');
  return [
    { kind: 'write', path: BOX_PATHS.wpaSupplicant, content: wpa, mode: 0o600, owner: 'root', group: 'root' },
    { kind: 'write', path: BOX_PATHS.wifiNetwork, content: net, mode: 0o644, owner: 'root', group: 'root' },
  ];
}

/** Where lightningd puts its RPC socket for a network (lightning-dir/<network>/lightning-rpc). */
export function lightningRpcFile(s: BoxSettings): string {
  return `/var/lib/lightningd/${s.bitcoind.network}/lightning-rpc`;
}

function daemonConfig(s: BoxSettings): string {
  const host = s.mqtt.listen_address || '127.0.0.1';
  const url = `mqtt://${host.includes(':') ? `[${host}]` : host}:${s.mqtt.port}`;
  return [
    HEADER,
    '[lightning]',
    `rpc_file = ${tomlString(lightningRpcFile(s))}`,
    '',
    '[mqtt]',
    `url = ${tomlString(url)}`,
    `username = ${tomlString(DAEMON_MQTT_USER)}`,
    `password = ${tomlString(s.mqtt.daemon_password ?? '')}`,
    '',
  ].join('\n');
}

function lightningdConfig(s: BoxSettings): string {
  const b = s.bitcoind;
  const lines = [HEADER, `network=${b.network}`, `alias=${s.system.hostname}`];
  if (b.rpc_host) lines.push(`bitcoin-rpcconnect=${b.rpc_host}`, `bitcoin-rpcport=${b.rpc_port ?? BITCOIND_RPC_PORT[b.network]}`);
  if (b.rpc_user) lines.push(`bitcoin-rpcuser=${b.rpc_user}`);
  if (b.rpc_password) lines.push(`bitcoin-rpcpassword=${b.rpc_password}`);
  return `${lines.join('\n')}\n`;
}

/** The folders the outputs need, with their modes and owners. */
export const OUTPUT_DIRS: readonly OutputDir[] = [
  { path: '/etc/hivebox', mode: 0o750, owner: 'root', group: 'hivebox' },
  { path: '/var/lib/hivebox', mode: 0o700, owner: 'hivebox', group: 'hivebox' },
  { path: '/etc/lightningd', mode: 0o750, owner: 'root', group: 'lightningd' },
  { path: '/etc/mosquitto/conf.d', mode: 0o755, owner: 'root', group: 'root' },
  { path: '/etc/systemd/network', mode: 0o755, owner: 'root', group: 'root' },
  { path: '/etc/wpa_supplicant', mode: 0o755, owner: 'root', group: 'root' },
  { path: '/root/.ssh', mode: 0o700, owner: 'root', group: 'root' },
];

/**
 * Every file the settings produce, in write order. Secrets must already be filled in
 * ({@link withGeneratedSecrets}). @returns null when the broker template is unusable.
 */
export function renderOutputs(s: BoxSettings, mosquittoTemplate: string): OutputFile[] | null {
  const mosquitto = renderMosquittoConf(mosquittoTemplate, s.mqtt.port, s.mqtt.listen_address);
  if (mosquitto === null) return null;
  const users = [`${DAEMON_MQTT_USER}:${s.mqtt.daemon_password ?? ''}`, `${s.mqtt.username}:${s.mqtt.password ?? ''}`];
  const role = s.hive.role === 'member' ? { role: s.hive.role, ticket: s.hive.ticket } : { role: s.hive.role };
  const keys = s.system.ssh_authorized_keys;
  const hostname = s.system.hostname;
  return [
    { kind: 'write', path: '/etc/hostname', content: `${hostname}\n`, mode: 0o644, owner: 'root', group: 'root' },
    { kind: 'write', path: '/etc/hosts', content: `127.0.0.1\tlocalhost\n127.0.1.1\t${hostname}\n::1\t\tlocalhost ip6-localhost ip6-loopback\n`, mode: 0o644, owner: 'root', group: 'root' },
    { kind: 'write', path: BOX_PATHS.wiredNetwork, content: network(s), mode: 0o644, owner: 'root', group: 'root' },
    ...wifiFiles(s),
    { kind: 'write', path: BOX_PATHS.mosquittoConf, content: mosquitto, mode: 0o644, owner: 'root', group: 'root' },
    { kind: 'write', path: BOX_PATHS.mosquittoPasswd, content: `${users.join('\n')}\n`, mode: 0o600, owner: 'mosquitto', group: 'mosquitto', transform: 'mosquitto-passwd' },
    { kind: 'write', path: BOX_PATHS.daemonConfig, content: daemonConfig(s), mode: 0o640, owner: 'root', group: 'hivebox' },
    { kind: 'write', path: BOX_PATHS.hiveRole, content: `${JSON.stringify(role)}\n`, mode: 0o640, owner: 'root', group: 'hivebox' },
    { kind: 'write', path: BOX_PATHS.lightningdConfig, content: lightningdConfig(s), mode: 0o640, owner: 'root', group: 'lightningd' },
    keys.length
      ? { kind: 'write', path: BOX_PATHS.authorizedKeys, content: `${keys.join('\n')}\n`, mode: 0o600, owner: 'root', group: 'root' }
      : { kind: 'remove', path: BOX_PATHS.authorizedKeys },
  ];
}
