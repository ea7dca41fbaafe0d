/**
 * The box settings an operator writes into `hivebox.toml` on the boot partition (the commented
 * example is images/hivebox.toml), their validation, and how a new boot file merges with what the
 * box already holds. Pure: input is the parsed TOML object, output is settings plus problems.
 *
 * Each key is checked on its own (zod), so one bad value is reported and ignored while the other
 * keys still take effect. Secrets (Wi-Fi PSK, MQTT and bitcoind passwords, the hive ticket) are
 * removed from the boot file after import; a secret that is absent or `""` keeps the value the box
 * already has. Every other key is taken from the boot file as it is (absent = default).
 */
import { z } from 'zod';
import { parseJsonAs } from './json-file.ts';
import { decodeTicket } from '../core/ticket/codec.ts';

/** A key the import refused or needs, with the reason (shown in MQTT `health_reasons`). */
export interface SettingsProblem {
  /** Dotted key, e.g. `bitcoind.rpc_host`, or `hivebox.toml` for the file as a whole. */
  readonly key: string;
  readonly reason: string;
}

/** Bitcoin networks lightningd can run on (lightningd-config(5) `network=`). */
export const BITCOIN_NETWORKS = ['bitcoin', 'testnet', 'signet', 'regtest'] as const;

/** Everything the box is configured with (secrets included); stored 0600 on the root filesystem. */
export interface BoxSettings {
  readonly system: { readonly hostname: string; readonly ssh_authorized_keys: readonly string[] };
  readonly network: {
    readonly mode: 'dhcp' | 'static';
    /** CIDR, static mode only. */
    readonly address: string | null;
    readonly gateway: string | null;
    readonly dns: readonly string[];
  };
  readonly wifi: { readonly ssid: string | null; readonly psk: string | null; readonly country: string | null };
  readonly mqtt: {
    readonly port: number;
    /** `""` = every interface. */
    readonly listen_address: string;
    /** The operator's broker account (Home Assistant etc.). */
    readonly username: string;
    readonly password: string | null;
    /** The daemon's own broker account password (always generated, never in the boot file). */
    readonly daemon_password: string | null;
  };
  readonly bitcoind: {
    readonly network: (typeof BITCOIN_NETWORKS)[number];
    readonly rpc_host: string | null;
    readonly rpc_port: number | null;
    readonly rpc_user: string | null;
    readonly rpc_password: string | null;
  };
  readonly hive: { readonly role: 'genesis' | 'member' | null; readonly ticket: string | null };
}

/** Settings of a box that has never seen a boot file. */
export const DEFAULT_SETTINGS: BoxSettings = {
  system: { hostname: 'hivebox', ssh_authorized_keys: [] },
  network: { mode: 'dhcp', address: null, gateway: null, dns: [] },
  wifi: { ssid: null, psk: null, country: null },
  mqtt: { port: 1883, listen_address: '', username: 'homeassistant', password: null, daemon_password: null },
  bitcoind: { network: 'bitcoin', rpc_host: null, rpc_port: null, rpc_user: null, rpc_password: null },
  hive: { role: null, ticket: null },
};

/** Keys whose values are secrets: imported, stored 0600, then blanked in the boot file. */
export const SECRET_KEYS = ['wifi.psk', 'mqtt.password', 'bitcoind.rpc_password', 'hive.ticket'] as const;
/** One secret key. */
export type SecretKey = (typeof SECRET_KEYS)[number];

const ipv4 = z.string().regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/, 'an IPv4 address');
const ipv6 = z.string().regex(/^[0-9a-fA-F:]{2,39}$/).refine((s) => s.includes(':'), 'an IPv6 address');
const ip = z.union([ipv4, ipv6], { error: 'an IPv4 or IPv6 address' });
const hostLabel = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const host = z.string().max(253).refine((s) => ipv4.safeParse(s).success || s.split('.').every((l) => hostLabel.test(l)), 'a host name or IPv4 address');
const singleLine = (max: number) => z.string().max(max).regex(/^[^\n\r\0]*$/, 'a single line without control characters');
const secret = (min: number, max: number) => singleLine(max).refine((s) => s === '' || s.length >= min, `at least ${min} characters`);

/** The schema of each key of the boot file. */
const FIELDS = {
  'system.hostname': z.string().regex(hostLabel, 'a host name label: 1-63 of a-z, 0-9, - (not at either end)'),
  'system.ssh_authorized_keys': z.array(singleLine(8192).regex(/^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]+( .*)?$/, 'an OpenSSH public key line')).max(32),
  'network.mode': z.enum(['dhcp', 'static']),
  'network.address': z.string().refine((s) => {
    const [a, len, extra] = s.split('/');
    return extra === undefined && ip.safeParse(a).success && /^\d{1,3}$/.test(len ?? '') && Number(len) <= (a!.includes(':') ? 128 : 32);
  }, 'an address with prefix length, e.g. 192.168.1.50/24'),
  'network.gateway': ip,
  'network.dns': z.array(ip).max(4),
  'wifi.ssid': singleLine(32).min(1),
  'wifi.psk': secret(8, 63),
  'wifi.country': z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 country code such as DE'),
  'mqtt.port': z.number().int().min(1).max(65535),
  'mqtt.listen_address': z.union([z.literal(''), ip]),
  'mqtt.username': z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, '1-64 of A-Z a-z 0-9 _ . -').refine((s) => s !== 'hivebox', 'hivebox is the daemon\'s own account'),
  'mqtt.password': secret(12, 256),
  'bitcoind.network': z.enum(BITCOIN_NETWORKS),
  'bitcoind.rpc_host': host,
  'bitcoind.rpc_port': z.number().int().min(1).max(65535),
  'bitcoind.rpc_user': singleLine(128).min(1).regex(/^[^=\s]+$/, 'no spaces or "="'),
  'bitcoind.rpc_password': secret(1, 256).regex(/^\S*$/, 'no white space'),
  'hive.role': z.enum(['genesis', 'member']),
  'hive.ticket': singleLine(16 * 1024),
} as const;

type FieldKey = keyof typeof FIELDS;
const SECTIONS = [...new Set(Object.keys(FIELDS).map((k) => k.split('.')[0]!))];

/** What one boot file said. */
export interface BootFileImport {
  /** Valid keys found, by dotted key (secrets included; `""` secrets are left out). */
  readonly values: Partial<Record<FieldKey, unknown>>;
  readonly problems: SettingsProblem[];
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Validate a parsed boot file key by key: bad or unknown keys become problems, the rest is kept. */
export function readBootFile(parsed: unknown): BootFileImport {
  const values: Partial<Record<FieldKey, unknown>> = {};
  const problems: SettingsProblem[] = [];
  if (!isTable(parsed)) return { values, problems: [{ key: 'hivebox.toml', reason: 'not a TOML table' }] };
  for (const [section, body] of Object.entries(parsed)) {
    if (!SECTIONS.includes(section)) {
      problems.push({ key: section, reason: `unknown section (known: ${SECTIONS.join(', ')})` });
      continue;
    }
    if (!isTable(body)) {
      problems.push({ key: section, reason: 'must be a [section] table' });
      continue;
    }
    for (const [k, v] of Object.entries(body)) {
      const key = `${section}.${k}`;
      const schema = (FIELDS as Record<string, z.ZodType>)[key];
      if (!schema) {
        problems.push({ key, reason: 'unknown key' });
        continue;
      }
      const r = schema.safeParse(v);
      if (!r.success) problems.push({ key, reason: `invalid: ${r.error.issues[0]!.message}` });
      else if (!((SECRET_KEYS as readonly string[]).includes(key) && r.data === '')) values[key as FieldKey] = r.data;
    }
  }
  const ticket = values['hive.ticket'];
  if (typeof ticket === 'string') {
    const t = decodeTicket(ticket);
    if (!t.ok) {
      problems.push({ key: 'hive.ticket', reason: `invalid: not a Hive invite ticket (${t.error.code === 'malformed' ? t.error.reason : t.error.code})` });
      delete values['hive.ticket'];
    }
  }
  return { values, problems };
}

function pick<T>(values: BootFileImport['values'], key: FieldKey, fallback: T): T {
  return key in values ? (values[key] as T) : fallback;
}

/**
 * The settings after importing a boot file on top of what the box had (`previous`): non-secret
 * keys come from the file (absent = default), secrets from the file when given, else from `previous`.
 */
export function mergeSettings(previous: BoxSettings, imported: BootFileImport): BoxSettings {
  const v = imported.values;
  const d = DEFAULT_SETTINGS;
  return {
    system: { hostname: pick(v, 'system.hostname', d.system.hostname), ssh_authorized_keys: pick(v, 'system.ssh_authorized_keys', d.system.ssh_authorized_keys) },
    network: {
      mode: pick(v, 'network.mode', d.network.mode),
      address: pick(v, 'network.address', d.network.address),
      gateway: pick(v, 'network.gateway', d.network.gateway),
      dns: pick(v, 'network.dns', d.network.dns),
    },
    wifi: { ssid: pick(v, 'wifi.ssid', d.wifi.ssid), psk: pick(v, 'wifi.psk', previous.wifi.psk), country: pick(v, 'wifi.country', d.wifi.country) },
    mqtt: {
      port: pick(v, 'mqtt.port', d.mqtt.port),
      listen_address: pick(v, 'mqtt.listen_address', d.mqtt.listen_address),
      username: pick(v, 'mqtt.username', d.mqtt.username),
      password: pick(v, 'mqtt.password', previous.mqtt.password),
      daemon_password: previous.mqtt.daemon_password,
    },
    bitcoind: {
      network: pick(v, 'bitcoind.network', d.bitcoind.network),
      rpc_host: pick(v, 'bitcoind.rpc_host', d.bitcoind.rpc_host),
      rpc_port: pick(v, 'bitcoind.rpc_port', d.bitcoind.rpc_port),
      rpc_user: pick(v, 'bitcoind.rpc_user', d.bitcoind.rpc_user),
      rpc_password: pick(v, 'bitcoind.rpc_password', previous.bitcoind.rpc_password),
    },
    hive: { role: pick(v, 'hive.role', d.hive.role), ticket: pick(v, 'hive.ticket', previous.hive.ticket) },
  };
}

/** Default bitcoind RPC port per network (bitcoind's chainparams). */
export const BITCOIND_RPC_PORT: Readonly<Record<BoxSettings['bitcoind']['network'], number>> = { bitcoin: 8332, testnet: 18332, signet: 38332, regtest: 18443 };

/**
 * What the settings still lack for a working node (each one degrades the box): bitcoind RPC,
 * the hive role, a member's ticket, a static address's parts, Wi-Fi without its PSK or country.
 */
export function missingSettings(s: BoxSettings): SettingsProblem[] {
  const out: SettingsProblem[] = [];
  const need = (ok: unknown, key: string, reason: string) => {
    if (ok === null || ok === undefined || ok === '') out.push({ key, reason });
  };
  need(s.bitcoind.rpc_host, 'bitcoind.rpc_host', 'missing: lightningd cannot reach bitcoind');
  need(s.bitcoind.rpc_user, 'bitcoind.rpc_user', 'missing: lightningd cannot log in to bitcoind');
  need(s.bitcoind.rpc_password, 'bitcoind.rpc_password', 'missing: lightningd cannot log in to bitcoind');
  need(s.hive.role, 'hive.role', 'missing: set "genesis" (start a hive) or "member" (join with a ticket)');
  if (s.hive.role === 'member') need(s.hive.ticket, 'hive.ticket', 'missing: a member joins with the ticket its hive admin issued');
  if (s.network.mode === 'static') {
    need(s.network.address, 'network.address', 'missing: static mode needs an address');
    need(s.network.gateway, 'network.gateway', 'missing: static mode needs a gateway');
  }
  if (s.wifi.ssid !== null) {
    need(s.wifi.psk, 'wifi.psk', 'missing: Wi-Fi needs its passphrase');
    need(s.wifi.country, 'wifi.country', 'missing: Wi-Fi needs the regulatory country');
  }
  return out;
}

const StoredSchema: z.ZodType<BoxSettings> = z.object({
  system: z.object({ hostname: z.string(), ssh_authorized_keys: z.array(z.string()) }),
  network: z.object({ mode: z.enum(['dhcp', 'static']), address: z.string().nullable(), gateway: z.string().nullable(), dns: z.array(z.string()) }),
  wifi: z.object({ ssid: z.string().nullable(), psk: z.string().nullable(), country: z.string().nullable() }),
  mqtt: z.object({ port: z.number(), listen_address: z.string(), username: z.string(), password: z.string().nullable(), daemon_password: z.string().nullable() }),
  bitcoind: z.object({
    network: z.enum(BITCOIN_NETWORKS),
    rpc_host: z.string().nullable(),
    rpc_port: z.number().nullable(),
    rpc_user: z.string().nullable(),
    rpc_password: z.string().nullable(),
  }),
  hive: z.object({ role: z.enum(['genesis', 'member']).nullable(), ticket: z.string().nullable() }),
});

/** Parse the stored settings file (JSON); null when it is not a valid settings object. */
export function parseStoredSettings(text: string): BoxSettings | null {
  return parseJsonAs(StoredSchema, text);
}
