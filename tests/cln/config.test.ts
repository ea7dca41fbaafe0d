/**
 * Configuration loading (runtime/config): defaults for every key, TOML file, HIVEBOX_* environment
 * and --set overrides in that order, and a clear error naming the key and its source for every
 * kind of bad input.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../runtime/config/index.ts';
import { sidecarTargetOf } from '../../services/swarm/config.ts';

const dir = mkdtempSync(join(tmpdir(), 'hbx-cfg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('loadConfig', () => {
  test('defaults for every key, ~ expanded', () => {
    const r = loadConfig({ home: '/home/op' });
    expect(r).toEqual({
      ok: true,
      value: {
        lightning: { rpc_file: '/home/op/.lightning/bitcoin/lightning-rpc', rpc_timeout_ms: 30_000 },
        lnd: { enabled: false, host: 'localhost', port: 10_009, tls_cert_path: '/var/lib/lnd/tls.cert', macaroon_path: '/var/lib/lnd/data/chain/bitcoin/mainnet/admin.macaroon', rpc_timeout_ms: 30_000, service: 'lnd.service' },
        daemon: { ipc_socket: '/run/hivebox/plugin.sock', ipc_socket_mode: 0o660, tick_ms: 1000, shutdown_grace_ms: 5000, hive_role_file: '/etc/hivebox/hive-role.json', hive_role_retry_s: 60, inbound_member_msgs_per_s: 500, inbound_member_bytes_per_s: 4_000_000, inbound_nonmember_msgs_per_s: 10, inbound_nonmember_bytes_per_s: 65_536, inbound_nonmember_total_msgs_per_s: 100, inbound_queue_max: 2_000 },
        log: { level: 'info' },
        hive: { store_path: '/var/lib/hivebox/hive.db', challenge_timeout_s: 30, accept_clhive_channel_join: false, join_wait_s: 120, approval_timeout_s: 60, max_members: 50, anti_entropy_interval_s: 120, status_interval_s: 60, auto_vouch: false, probation_days: 90 },
        planner: { first_cycle_delay_s: 45, jitter_max_s: 300, health_window_s: 604_800, retry_after_failure_s: 60, rebalance_max_fee_ppm: 500, rebalance_timeout_s: 60, graph: '' },
        signer: { transport: 'node-hid' },
        supervisor: {
          interval_ms: 5000,
          probe_timeout_ms: 5000,
          startup_timeout_s: 120,
          stop_timeout_s: 15,
          plugin_path: '/usr/lib/hivebox/hivebox-plugin',
          mosquitto_unit: 'mosquitto.service',
          swarm_unit: '',
          restart_base_backoff_s: 2,
          restart_max_backoff_s: 60,
          restart_budget: 5,
          restart_window_s: 600,
        },
        mqtt: { topic_prefix: 'hivebox', discovery_prefix: 'homeassistant', discovery: true, commands: false, state_interval_s: 30, protocol: 'auto' },
        mgmt: { enabled: false, store_path: '/var/lib/hivebox/mgmt.sqlite', trusted_issuers: [], allowed_mints: [], receipt_retention_days: 800, policy: {} },
        swarm: {
          enabled: false,
          sidecar_socket: '',
          node: 'node',
          script: '',
          seed_file: '',
          bootstrap: [],
          host: '',
          port: 0,
          max_peers: 64,
          refresh_s: 60,
          autoconnect_lightning: false,
          lightning_port: 9735,
        },
      },
    });
  });

  test('[swarm]: keys reach the sidecar target, ~ expands, bad values are refused naming the key', () => {
    const f = file('swarm.toml', ['[swarm]', 'enabled = true', 'seed_file = "~/swarm.seed"', 'bootstrap = ["127.0.0.1:49737", "dht.example:1"]', 'host = "127.0.0.1"', 'refresh_s = 5'].join('\n'));
    const r = loadConfig({ file: f, home: '/home/op' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.swarm).toMatchObject({ enabled: true, seed_file: '/home/op/swarm.seed', autoconnect_lightning: false });
    expect(sidecarTargetOf(r.value.swarm)).toEqual({
      kind: 'spawn',
      node: 'node',
      args: ['--seed-file', '/home/op/swarm.seed', '--bootstrap', '127.0.0.1:49737,dht.example:1', '--host', '127.0.0.1', '--port', '0', '--max-peers', '64', '--refresh-s', '5'],
    });
    const scripted = loadConfig({ file: file('swarm-script.toml', '[swarm]\nenabled = true\nscript = "~/sidecar/main.mjs"\n'), home: '/home/op' });
    expect(scripted.ok && sidecarTargetOf(scripted.value.swarm)).toMatchObject({ kind: 'spawn', script: '/home/op/sidecar/main.mjs' });
    const attached = loadConfig({ file: file('swarm-socket.toml', '[swarm]\nenabled = true\nsidecar_socket = "/run/hivebox-swarm/swarm.sock"\n') });
    expect(attached.ok && sidecarTargetOf(attached.value.swarm)).toEqual({ kind: 'socket', path: '/run/hivebox-swarm/swarm.sock' });
    const bad = (text: string) => loadConfig({ file: file('bad-swarm.toml', text) });
    expect(bad('[swarm]\nbootstrap = ["no-port"]\n')).toMatchObject({ ok: false, error: { kind: 'invalid_value', message: expect.stringContaining('swarm.bootstrap.0') } });
    expect(bad('[swarm]\nbootstrap = ["h:70000"]\n')).toMatchObject({ ok: false, error: { kind: 'invalid_value', message: expect.stringContaining('swarm.bootstrap.0') } });
    expect(bad('[swarm]\nrefresh_s = 0\n')).toMatchObject({ ok: false, error: { kind: 'invalid_value', message: expect.stringContaining('swarm.refresh_s') } });
    expect(bad('[swarm]\nenable = true\n')).toMatchObject({ ok: false, error: { kind: 'unknown_key', message: expect.stringContaining('swarm.enable') } });
  });

  test('[mqtt] is off without a url; [mgmt] with a nested [mgmt.policy] table; HIVEBOX_MQTT_PASSWORD reaches mqtt.password', () => {
    const f = file(
      'appliance.toml',
      [
        '[mqtt]',
        'url = "mqtt://127.0.0.1:1883"',
        'username = "hivebox"',
        '[supervisor]',
        'mosquitto_unit = ""',
        '[mgmt]',
        'enabled = true',
        'store_path = "~/mgmt.sqlite"',
        'trusted_issuers = ["did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme"]',
        'allowed_mints = ["http://127.0.0.1:3338"]',
        '[mgmt.policy]',
        'max_fee_change_pct_24h = 10',
        'quiet_hours = { start_hour = 22, end_hour = 6 }',
      ].join('\n'),
    );
    const r = loadConfig({ file: f, env: { HIVEBOX_MQTT_PASSWORD: 's3cret' }, home: '/home/op' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.mqtt).toMatchObject({ url: 'mqtt://127.0.0.1:1883', username: 'hivebox', password: 's3cret' });
    expect(r.value.supervisor.mosquitto_unit).toBe('');
    expect(r.value.mgmt).toMatchObject({ enabled: true, store_path: '/home/op/mgmt.sqlite', policy: { max_fee_change_pct_24h: 10, quiet_hours: { start_hour: 22, end_hour: 6 } } });
    const bad = (text: string) => loadConfig({ file: file('bad-appliance.toml', text) });
    expect(bad('[mqtt]\nurl = "http://x"\n')).toMatchObject({ ok: false, error: { kind: 'invalid_value', message: expect.stringContaining('mqtt.url') } });
    expect(bad('[mgmt.policy]\nquiet = 1\n')).toMatchObject({ ok: false, error: { kind: 'unknown_key', message: expect.stringContaining('mgmt.policy.quiet') } });
    expect(bad('[supervisor]\nmosquitto_unit = "mosquitto; rm -rf /"\n')).toMatchObject({ ok: false, error: { kind: 'invalid_value' } });
    expect(bad('[mgmt]\ntrusted_issuers = ["not a did"]\n')).toMatchObject({ ok: false, error: { kind: 'invalid_value' } });
  });

  test('file ← env ← --set precedence', () => {
    const f = file('ok.toml', '[daemon]\ntick_ms = 250\nipc_socket = "/tmp/a.sock"\n[log]\nlevel = "debug"\n');
    const r = loadConfig({ file: f, env: { HIVEBOX_DAEMON_TICK_MS: '500', HIVEBOX_DAEMON_IPC_SOCKET_MODE: '0o600', PATH: '/bin' }, sets: ['daemon.tick_ms=750'] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.daemon).toEqual({ ipc_socket: '/tmp/a.sock', ipc_socket_mode: 0o600, tick_ms: 750, shutdown_grace_ms: 5000, hive_role_file: '/etc/hivebox/hive-role.json', hive_role_retry_s: 60, inbound_member_msgs_per_s: 500, inbound_member_bytes_per_s: 4_000_000, inbound_nonmember_msgs_per_s: 10, inbound_nonmember_bytes_per_s: 65_536, inbound_nonmember_total_msgs_per_s: 100, inbound_queue_max: 2_000 });
    expect(r.value.log.level).toBe('debug');
  });

  test('HIVEBOX_CONFIG names the file when --config is absent', () => {
    const f = file('env.toml', '[lightning]\nrpc_timeout_ms = 1000\n');
    const r = loadConfig({ env: { HIVEBOX_CONFIG: f } });
    expect(r.ok && r.value.lightning.rpc_timeout_ms).toBe(1000);
  });

  const cases: [string, Parameters<typeof loadConfig>[0], string, string][] = [
    ['unknown key in the file', { file: file('k.toml', '[daemon]\ntick = 5\n') }, 'unknown_key', 'unknown config key "daemon.tick" (from file'],
    ['unknown section', { file: file('s.toml', '[gardener]\nx = 1\n') }, 'unknown_key', 'unknown config key "gardener"'],
    ['unknown planner threshold', { file: file('p.toml', '[planner]\nplanner_intervall_s = 1\n') }, 'unknown_key', 'unknown config key "planner.planner_intervall_s"'],
    ['planner threshold out of range', { sets: ['planner.saturation_max_new_actions_per_cycle=50'] }, 'invalid_value', 'config key "planner.saturation_max_new_actions_per_cycle": must be between 0 and 5'],
    ['spec-003 floor undercut', { sets: ['planner.underserved_min_target_capacity_sat=0'] }, 'invalid_value', 'config key "planner.underserved_min_target_capacity_sat": spec 003 §2.2 floor is 100000000; set unsafe_underserved_min_target_capacity_sat'],
    ['spec-003 age floor undercut from env', { env: { HIVEBOX_PLANNER_UNDERSERVED_MIN_TARGET_AGE_DAYS: '0' } }, 'invalid_value', 'config key "planner.underserved_min_target_age_days": spec 003 §2.2 floor is 30'],
    ['wrong type in the file', { file: file('t.toml', '[daemon]\ntick_ms = "fast"\n') }, 'invalid_value', 'config key "daemon.tick_ms"'],
    ['out of range', { sets: ['daemon.tick_ms=1'] }, 'invalid_value', 'config key "daemon.tick_ms": Too small'],
    ['bad enum from env', { env: { HIVEBOX_LOG_LEVEL: 'loud' } }, 'invalid_value', 'config key "log.level"'],
    ['unknown env key', { env: { HIVEBOX_DAEMON_TICKS: '5' } }, 'unknown_key', 'unknown config key "daemon.ticks" (from environment HIVEBOX_DAEMON_TICKS)'],
    ['env var without a key', { env: { HIVEBOX_DEBUG: '1' } }, 'unknown_key', 'environment variable HIVEBOX_DEBUG'],
    ['malformed --set', { sets: ['tick_ms=5'] }, 'bad_override', '--set expects section.key=value'],
    ['missing file', { file: join(dir, 'absent.toml') }, 'file_missing', 'config file not readable'],
    ['TOML syntax', { file: file('bad.toml', '[daemon\ntick_ms = 5\n') }, 'toml_syntax', 'bad.toml:1:8: illegal character in key (TOML syntax)'],
  ];
  for (const [what, src, kind, text] of cases) {
    test(`refused: ${what}`, () => {
      const r = loadConfig(src);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.kind).toBe(kind as never);
      expect(r.error.message).toContain(text);
    });
  }
});

describe('prototype names (issue 15 item 8)', () => {
  const attempts: [string, Parameters<typeof loadConfig>[0], string][] = [
    ['--set __proto__.polluted', { sets: ['__proto__.polluted=1'] }, '"__proto__.polluted"'],
    ['--set hive.__proto__', { sets: ['hive.__proto__=1'] }, '"hive.__proto__"'],
    ['--set hive.constructor', { sets: ['hive.constructor=1'] }, '"hive.constructor"'],
    ['--set constructor.x', { sets: ['constructor.x=1'] }, '"constructor.x"'],
    ['--set planner.constructor', { sets: ['planner.constructor=1'] }, '"planner.constructor"'],
    ['--set planner.valueof', { sets: ['planner.valueof=1'] }, '"planner.valueof"'],
    ['environment HIVEBOX_HIVE_CONSTRUCTOR', { env: { HIVEBOX_HIVE_CONSTRUCTOR: '1' } }, '"hive.constructor" (from environment'],
    ['environment HIVEBOX_PLANNER_CONSTRUCTOR', { env: { HIVEBOX_PLANNER_CONSTRUCTOR: '1' } }, '"planner.constructor"'],
    ['environment HIVEBOX_PROTOTYPE_X', { env: { HIVEBOX_PROTOTYPE_X: '1' } }, '"prototype.x"'],
    ['TOML [__proto__]', { file: file('proto.toml', '[__proto__]\npolluted = 1\n') }, '"__proto__" (from file'],
    ['TOML hive.__proto__', { file: file('hproto.toml', '[hive]\n__proto__ = 1\n') }, '"hive.__proto__"'],
    ['TOML hive.constructor', { file: file('hctor.toml', '[hive]\nconstructor = 1\n') }, '"hive.constructor"'],
    ['TOML planner.constructor', { file: file('pctor.toml', '[planner]\nconstructor = 1\n') }, '"planner.constructor"'],
    ['TOML [constructor]', { file: file('ctor.toml', '[constructor]\nx = 1\n') }, '"constructor"'],
    ['TOML mgmt.policy.__proto__', { file: file('mproto.toml', '[mgmt.policy]\n__proto__ = 1\n') }, '"mgmt.policy.__proto__"'],
    ['TOML mgmt.policy.toString', { file: file('mts.toml', '[mgmt.policy]\ntoString = 1\n') }, '"mgmt.policy.toString"'],
  ];
  for (const [what, src, named] of attempts) {
    test(`refused by name, Object.prototype untouched: ${what}`, () => {
      const r = loadConfig(src);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.kind).toBe('unknown_key');
      expect(r.error.message).toContain(`unknown config key ${named}`);
      expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }
});

describe('hivebox run', () => {
  test('--help lists the config flags; a bad key exits 64 naming it', async () => {
    const cwd = join(import.meta.dir, '../..');
    const help = Bun.spawnSync(['bun', 'runtime/cli/main.ts', 'run', '--help'], { cwd });
    expect(help.exitCode).toBe(0);
    expect(help.stdout.toString()).toContain('--config <file>');
    const bad = Bun.spawnSync(['bun', 'runtime/cli/main.ts', 'run', '--set', 'daemon.nope=1'], { cwd });
    expect(bad.exitCode).toBe(64);
    expect(bad.stderr.toString()).toContain('unknown config key "daemon.nope"');
    const proto = Bun.spawnSync(['bun', 'runtime/cli/main.ts', 'run', '--set', '__proto__.polluted=1'], { cwd });
    expect(proto.exitCode).toBe(64);
    expect(proto.stderr.toString()).toContain('unknown config key "__proto__.polluted"');
    const ctor = Bun.spawnSync(['bun', 'runtime/cli/main.ts', 'run'], { cwd, env: { ...process.env, HIVEBOX_HIVE_CONSTRUCTOR: '1' } });
    expect(ctor.exitCode).toBe(64);
    expect(ctor.stderr.toString()).toContain('unknown config key "hive.constructor"');
  });
});
