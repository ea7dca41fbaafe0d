/**
 * A real mosquitto (2.0.x, Debian package) for the MQTT tests: started on a free loopback port
 * with a password file made by `mosquitto_passwd -b` and `allow_anonymous false`, like the
 * appliance's own broker config (systemd/mosquitto-hivebox.conf). Optionally TLS with a throw-away
 * CA made by openssl.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Subprocess } from 'bun';
import mqtt from 'mqtt';
import { CONDITION_TIMEOUT_MS } from '../cln/fixtures/recording-engine.ts';

/** A running broker. */
export interface TestBroker {
  readonly port: number;
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly dir: string;
  /** PEM of the CA when started with TLS. */
  readonly caFile?: string;
  /** Stop (SIGTERM) and wait. */
  stop(): Promise<void>;
  /** Start again on the same port with the same config (retained messages are gone: persistence is off). */
  restart(): Promise<void>;
  /** Stop and delete the temp folder. */
  dispose(): Promise<void>;
}

/** `[mqtt]` of `hivebox run` / `hivebox mqtt` pointing at `broker` with its account, as environment variables. */
export function brokerEnv(broker: TestBroker): Record<string, string> {
  return { HIVEBOX_MQTT_URL: broker.url, HIVEBOX_MQTT_USERNAME: broker.username, HIVEBOX_MQTT_PASSWORD: broker.password };
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      const s = await Bun.connect({ hostname: '127.0.0.1', port, socket: { data() {} } });
      s.end();
      return;
    } catch {
      if (performance.now() > deadline) throw new Error(`mosquitto did not listen on ${port}`);
      await Bun.sleep(20);
    }
  }
}

function run(argv: string[], cwd: string): void {
  const r = Bun.spawnSync(argv, { cwd, stdout: 'pipe', stderr: 'pipe' });
  if (r.exitCode !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
}

function makeCa(dir: string): { ca: string; cert: string; key: string } {
  const subj = (cn: string) => ['-subj', `/CN=${cn}`];
  run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-keyout', 'ca.key', '-out', 'ca.pem', ...subj('hivebox test CA')], dir);
  run(['openssl', 'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', 'server.key', '-out', 'server.csr', ...subj('localhost')], dir);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  run(['openssl', 'x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2',
    '-extfile', 'san.ext', '-out', 'server.pem'], dir);
  return { ca: join(dir, 'ca.pem'), cert: join(dir, 'server.pem'), key: join(dir, 'server.key') };
}

/** Start mosquitto on a free loopback port. */
export async function startBroker(opts: { tls?: boolean } = {}): Promise<TestBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'hb-mosquitto-'));
  let port = await freePort();
  const username = 'hivebox';
  // Unique per broker, so a client that reached another suite's broker (a port race) is refused.
  const password = `test-password-${crypto.randomUUID()}`;
  run(['mosquitto_passwd', '-c', '-b', join(dir, 'passwd'), username, password], dir);
  const tls = opts.tls ? makeCa(dir) : undefined;
  const lines = [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous false',
    `password_file ${join(dir, 'passwd')}`,
    'persistence false',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    // As root, mosquitto would drop to the `mosquitto` user and could not read the temp files.
    ...(process.getuid?.() === 0 ? ['user root'] : []),
    ...(tls ? [`cafile ${tls.ca}`, `certfile ${tls.cert}`, `keyfile ${tls.key}`] : []),
  ];
  const writeConf = () => writeFileSync(join(dir, 'mosquitto.conf'), `${lines.join('\n').replace(/^listener \d+/, `listener ${port}`)}\n`);
  writeConf();
  let proc: Subprocess | null = null;
  const start = async () => {
    proc = Bun.spawn(['mosquitto', '-c', join(dir, 'mosquitto.conf')], { stdout: 'ignore', stderr: 'pipe' });
    await waitForPort(port, CONDITION_TIMEOUT_MS);
  };
  /** True when the broker on `port` is this one: our unique password is accepted. */
  const ours = async () => {
    try {
      const c = await mqtt.connectAsync(`${tls ? 'mqtts://localhost' : 'mqtt://127.0.0.1'}:${port}`, { username, password, reconnectPeriod: 0, connectTimeout: 5000, ...(tls ? { ca: readFileSync(tls.ca) } : {}) });
      await c.endAsync();
      return true;
    } catch {
      return false;
    }
  };
  const stop = async () => {
    const p = proc as Subprocess | null;
    if (!p) return;
    p.kill('SIGTERM');
    await p.exited;
    proc = null;
  };
  // freePort's port may be taken by another test process's broker before ours binds it (two suites
  // at once): then ours exits and the port answers with the other one. Take another port and retry.
  for (let attempt = 0; ; attempt++) {
    await start();
    if (await ours()) break;
    await stop();
    if (attempt >= 5) throw new Error('no free port for mosquitto after 6 attempts');
    port = await freePort();
    writeConf();
  }
  return {
    port,
    url: `${tls ? 'mqtts://localhost' : 'mqtt://127.0.0.1'}:${port}`,
    username,
    password,
    dir,
    ...(tls ? { caFile: tls.ca } : {}),
    stop,
    restart: start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
