#!/usr/bin/env bun
/**
 * The appliance boot test (CI step 40, not part of the fast unit suite): builds the amd64 image
 * with the one command operators use (`bun run image -- --arch amd64`), boots a copy of its root
 * filesystem with real systemd as PID 1 in systemd-nspawn (bun-platform-probe.md §9 flags; no
 * private network, so the box's broker listens on a host loopback port), with a test hivebox.toml
 * bind-mounted where the boot partition goes, and checks from the host:
 *
 * - firstboot imported the file (status ok, host name, secrets blanked on the "card", 0600 modes);
 * - mosquitto runs with the imported listener and accounts: the operator's and the daemon's
 *   credentials log in over MQTT from the host, a wrong password is refused;
 * - units that cannot run in a container or on this image are skipped by their conditions, not failed;
 * - hivebox.service, pointed at a simulated lightningd and the signer simulator on the host
 *   (stand-ins.ts), is active, publishes `availability` = `online` and `state.health` = `healthy`
 *   over MQTT within the time bound, and has applied the first-boot role (genesis: `state.hive_id`);
 * - `systemctl --failed` is empty, then `systemctl poweroff` ends the container.
 *
 * Prints `ok …` / `FAIL …` lines, figures as `figure <name> <value>`, then `STEP n passed, m failed`.
 * Needs root, systemd-container, and what `bun run image` needs.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import mqtt from 'mqtt';
import { freePort } from '../../mqtt/broker.ts';
import { prepareStandIns } from './stand-ins.ts';

const REPO = resolve(import.meta.dir, '../../..');
/** Seconds from `systemd-nspawn` start until the box must be up (broker, boot finished, health). */
const BOOT_BOUND_S = 120;
const OPERATOR = { username: 'boot-test', password: 'boot-test-password-1' };

let passed = 0;
let failed = 0;
const ok = (what: string) => (passed++, console.log(`ok   ${what}`));
const bad = (what: string) => (failed++, console.log(`FAIL ${what}`));
const expectThat = (cond: boolean, what: string, detail = '') => (cond ? ok(what) : bad(detail ? `${what}: ${detail}` : what));
const figure = (name: string, value: number | string) => console.log(`figure ${name} ${value}`);
const finish = (): never => {
  console.log(`STEP ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
};

function sh(argv: string[], timeoutMs = 30_000): { code: number; out: string } {
  const r = Bun.spawnSync(argv, { stdout: 'pipe', stderr: 'pipe', timeout: timeoutMs });
  return { code: r.exitCode ?? -1, out: `${r.stdout}${r.stderr}`.trim() };
}

/** `sh` without blocking the event loop: the simulated lightningd in this process keeps answering meanwhile. */
async function shAsync(argv: string[], timeoutMs: number): Promise<{ code: number; out: string }> {
  const p = Bun.spawn(argv, { stdout: 'pipe', stderr: 'pipe', timeout: timeoutMs });
  const [out, errOut, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, out: `${out}${errOut}`.trim() };
}

/** Try an MQTT login; resolves with the CONNACK outcome. */
function login(port: number, username: string, password: string): Promise<{ ok: boolean; reason: string }> {
  return new Promise((done) => {
    const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, { username, password, reconnectPeriod: 0, connectTimeout: 3000, protocolVersion: 5 });
    c.once('connect', () => (c.end(true), done({ ok: true, reason: 'connected' })));
    c.once('error', (e) => (c.end(true), done({ ok: false, reason: e.message })));
    c.once('close', () => done({ ok: false, reason: 'closed' }));
  });
}

/**
 * Attach to the sidecar's socket as the daemon does (services/swarm/PROTOCOL.md): wait for `ready`,
 * ask `stats`. @returns the ready event once stats answered, or null by `deadline` (performance.now ms).
 */
async function swarmReady(path: string, deadline: number): Promise<{ public_key: string } | null> {
  const socketUp = await until(deadline, () => (sh(['test', '-S', path]).code === 0 ? true : null), 250);
  if (!socketUp) return null;
  let buffered = '';
  let ready: { public_key: string } | null = null;
  let answered = false;
  const sock = await Bun.connect({
    unix: path,
    socket: {
      data(s, chunk) {
        buffered += chunk.toString();
        for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
          const ev = JSON.parse(buffered.slice(0, nl)) as { event: string; public_key: string; id?: number };
          buffered = buffered.slice(nl + 1);
          if (ev.event === 'ready') (ready = ev), s.write('{"cmd":"stats","id":1}\n');
          if (ev.event === 'stats' && ev.id === 1) answered = true;
        }
      },
    },
  });
  await until(deadline, () => (answered ? true : null), 100);
  sock.end();
  return answered ? ready : null;
}

async function until<T>(deadline: number, probe: () => Promise<T | null> | T | null, everyMs = 250): Promise<T | null> {
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (performance.now() > deadline) return null;
    await Bun.sleep(everyMs);
  }
}

if (process.getuid?.() !== 0) {
  bad('boot test needs root (image build, systemd-nspawn)');
  finish();
}
if (!Bun.which('systemd-nspawn')) {
  bad('systemd-nspawn missing: apt-get install systemd-container');
  finish();
}

// 1. Build the amd64 image (base from the cache when the recipe and lock are unchanged).
const buildStart = performance.now();
// HIVEBOX_BOOT_BINARY: put another x64 hivebox binary into the image (e.g. one built from main).
const binary = process.env.HIVEBOX_BOOT_BINARY ? ['--binary', process.env.HIVEBOX_BOOT_BINARY] : [];
const build = Bun.spawnSync(['bun', 'run', 'image', '--', '--arch', 'amd64', '--compression-level', '1', ...binary], { cwd: REPO, stdout: 'pipe', stderr: 'pipe' });
const buildLine = build.stdout.toString().trim().split('\n').pop() ?? '';
if (build.exitCode !== 0) {
  console.log(build.stderr.toString().split('\n').slice(-25).join('\n'));
  bad(`bun run image -- --arch amd64 exited ${build.exitCode}`);
  finish();
}
ok('bun run image -- --arch amd64');
const built = JSON.parse(buildLine) as { image: string; compressed_bytes: number; raw_bytes: number; root_used_mib: number; seconds: Record<string, number> };
const info = JSON.parse(readFileSync(built.image.replace(/\.img\.(xz|zst)$/, '.build.json'), 'utf8')) as { stage_root: string; base_from_cache: boolean };
figure('image.amd64.build_s', ((performance.now() - buildStart) / 1000).toFixed(1));
figure('image.amd64.base_from_cache', String(info.base_from_cache));
figure('image.amd64.root_used_mib', built.root_used_mib);
figure('image.amd64.compressed_mib_xz1', (built.compressed_bytes / 2 ** 20).toFixed(1));

// 2. A fresh copy of the image's root and a "boot partition" with the test settings.
const work = mkdtempSync('/var/tmp/hivebox-boot-');
const root = join(work, 'root');
const boot = join(work, 'boot');
const copied = sh(['cp', '-a', '--reflink=auto', info.stage_root, root], 120_000);
if (copied.code !== 0) {
  bad(`copying the image root: ${copied.out}`);
  finish();
}
mkdirSync(boot);
const port = await freePort();
writeFileSync(
  join(boot, 'hivebox.toml'),
  `# boot test: a box on the host's loopback, bitcoind RPC on a simulated regtest endpoint
[system]
hostname = "hivebox-boot-test"
[mqtt]
port = ${port}
listen_address = "127.0.0.1"
username = "${OPERATOR.username}"
password = "${OPERATOR.password}"
[bitcoind]
network = "regtest"
rpc_host = "127.0.0.1"
rpc_port = 18443
rpc_user = "boot-test"
rpc_password = "boot-test-rpc"
[hive]
role = "genesis"
`,
);

// 3. lightningd and the signer: stand-ins on the host, bind-mounted into the box.
const standIns = prepareStandIns(work, root);
const signer = await standIns.startSigner();
let lightningd: Awaited<ReturnType<typeof standIns.startLightningd>> | null = null;

// 4. Boot.
const t0 = performance.now();
const deadline = t0 + BOOT_BOUND_S * 1000;
const consoleLog = join(work, 'console.log');
const nspawn = Bun.spawn(
  ['systemd-nspawn', '-q', '-D', root, '--register=no', '--keep-unit', '--boot', '--console=pipe', `--bind=${boot}:/boot/firmware`, ...standIns.binds, '--machine=hivebox-boot-test'],
  { stdout: Bun.file(consoleLog), stderr: Bun.file(consoleLog), stdin: 'ignore' },
);
const exited = nspawn.exited;
const pid1 = await until(performance.now() + 15_000, () => {
  const kids = sh(['sh', '-c', `cat /proc/${nspawn.pid}/task/*/children`]).out.split(/\s+/).filter(Boolean);
  return kids.find((k) => sh(['cat', `/proc/${k}/comm`]).out === 'systemd') ?? null;
});
// Mount, UTS, IPC, PID and cgroup namespaces of the container (the network is the host's anyway).
const nsenter = (cmd: string[]) => ['nsenter', '-t', pid1 ?? '0', '-m', '-u', '-i', '-p', '-C', ...cmd];
const inBox = (cmd: string[], timeoutMs = 30_000) => sh(nsenter(cmd), timeoutMs);

try {
  if (!pid1) throw new Error('container systemd did not appear');
  ok(`container booting (systemd PID ${pid1} on the host)`);
  lightningd = await standIns.startLightningd(pid1);
  ok(`simulated lightningd ${lightningd.node.nodeId.slice(0, 16)}… up, loading the image's hivebox plugin`);
  const seen = { online: null as number | null, healthy: null as number | null, hive_id: null as string | null };
  const sub = mqtt.connect(`mqtt://127.0.0.1:${port}`, { ...OPERATOR, reconnectPeriod: 500 });
  sub.on('error', () => {});
  sub.on('connect', () => void sub.subscribeAsync(['hivebox/+/availability', 'hivebox/+/state']));
  sub.on('message', (topic, payload) => {
    const text = payload.toString();
    if (topic.endsWith('/availability') && text === 'online') seen.online ??= performance.now();
    if (!topic.endsWith('/state')) return;
    const state = JSON.parse(text) as { health?: string; hive_id?: string | null };
    if (state.health === 'healthy') seen.healthy ??= performance.now();
    if (state.hive_id) seen.hive_id = state.hive_id;
  });

  const broker = await until(deadline, async () => ((await login(port, OPERATOR.username, OPERATOR.password)).ok ? performance.now() : null), 500);
  expectThat(broker !== null, 'operator logs in to the box broker with the imported credentials', `no login within ${BOOT_BOUND_S} s`);
  if (broker) figure('boot.to_broker_s', ((broker - t0) / 1000).toFixed(2));

  const running = await shAsync(nsenter(['systemctl', 'is-system-running', '--wait']), Math.max(1000, Math.round(deadline - performance.now())));
  figure('boot.to_startup_finished_s', ((performance.now() - t0) / 1000).toFixed(2));
  figure('boot.system_state', running.out || 'unknown');

  const status = JSON.parse(inBox(['cat', '/var/lib/hivebox/firstboot-status.json']).out || '{}') as { ok?: boolean; problems?: unknown[]; redacted?: string[] };
  expectThat(inBox(['systemctl', 'is-active', 'hivebox-firstboot.service']).out === 'active', 'hivebox-firstboot.service active');
  expectThat(status.ok === true, 'firstboot status ok (settings complete)', JSON.stringify(status.problems));
  expectThat(inBox(['hostname']).out === 'hivebox-boot-test', 'host name from hivebox.toml', inBox(['hostname']).out);
  const card = readFileSync(join(boot, 'hivebox.toml'), 'utf8');
  expectThat(!card.includes(OPERATOR.password) && !card.includes('boot-test-rpc'), 'secrets blanked on the boot partition', status.redacted?.join(','));
  const modes = inBox(['stat', '-c', '%a %U %n', '/etc/hivebox/firstboot-settings.json', '/etc/mosquitto/hivebox.passwd', '/etc/hivebox/hivebox.toml', '/etc/lightningd/config']).out;
  expectThat(
    modes === '600 root /etc/hivebox/firstboot-settings.json\n600 mosquitto /etc/mosquitto/hivebox.passwd\n640 root /etc/hivebox/hivebox.toml\n640 root /etc/lightningd/config',
    'secret files 0600/0640 with the right owners',
    modes,
  );

  for (const [user, file] of [['hivebox', '/etc/hivebox/hivebox.toml'], ['hivebox', '/etc/hivebox/hive-role.json'], ['lightningd', '/etc/lightningd/config']] as const) {
    const r = inBox(['setpriv', `--reuid=${user}`, `--regid=${user}`, '--init-groups', 'cat', file]);
    expectThat(r.code === 0, `${user} can read ${file} (after hivebox.service set up its directories)`, r.out);
  }
  expectThat(inBox(['setpriv', '--reuid=hivebox', '--regid=hivebox', '--init-groups', 'cat', '/etc/hivebox/firstboot-settings.json']).code !== 0, 'the daemon cannot read the stored secrets file');
  expectThat(inBox(['systemctl', 'is-active', 'mosquitto.service']).out === 'active', 'mosquitto.service active');
  const daemonConf = Bun.TOML.parse(inBox(['cat', '/etc/hivebox/hivebox.toml']).out) as { mqtt?: { url: string; username: string; password: string } };
  expectThat(daemonConf.mqtt?.url === `mqtt://127.0.0.1:${port}`, 'daemon config points at the box broker', daemonConf.mqtt?.url);
  const daemonLogin = await login(port, daemonConf.mqtt?.username ?? '', daemonConf.mqtt?.password ?? '');
  expectThat(daemonLogin.ok, "the daemon's generated broker account logs in", daemonLogin.reason);
  const wrong = await login(port, OPERATOR.username, 'wrong-password-123');
  expectThat(!wrong.ok, 'wrong broker password refused', wrong.reason);

  for (const unit of ['hivebox-lightningd.service', 'ssh.service', 'hivebox-growroot.service']) {
    const r = inBox(['systemctl', 'show', '-p', 'ActiveState,ConditionResult', '--value', unit]).out.split('\n');
    expectThat(r[0] === 'inactive' && r[1] === 'no', `${unit} skipped by its condition (not failed)`, r.join(' '));
  }
  expectThat(inBox(['id', '-nG', 'hivebox']).out.split(' ').includes('lightningd'), 'sysusers: hivebox in group lightningd');
  expectThat(inBox(['test', '-f', '/usr/lib/udev/rules.d/99-hivebox-signer.rules']).code === 0, 'signer udev rule installed');

  await until(deadline, () => (seen.online !== null && seen.healthy !== null && seen.hive_id !== null ? true : null), 250);
  sub.end(true);
  expectThat(inBox(['systemctl', 'is-active', 'hivebox.service']).out === 'active', 'hivebox.service active', inBox(['journalctl', '-u', 'hivebox.service', '-o', 'cat', '--no-pager', '-n', '5']).out.replace(/\n/g, ' | '));
  expectThat(seen.online !== null, 'MQTT availability online', `not within ${BOOT_BOUND_S} s`);
  expectThat(seen.healthy !== null, 'MQTT state.health healthy', `not within ${BOOT_BOUND_S} s`);
  expectThat(seen.hive_id !== null && /^hive_/.test(seen.hive_id), 'first-boot role applied: the box founded a hive (state.hive_id)', String(seen.hive_id));
  if (seen.online) figure('boot.to_online_s', ((seen.online - t0) / 1000).toFixed(2));
  if (seen.healthy) figure('boot.to_healthy_s', ((seen.healthy - t0) / 1000).toFixed(2));

  // The packaged swarm sidecar: off by default, runs under the image's Debian nodejs when started.
  expectThat(inBox(['systemctl', 'is-enabled', 'hivebox-swarm.service']).out === 'disabled', 'hivebox-swarm.service installed, not enabled (the swarm is opt-in)');
  const nodeVersion = inBox(['node', '--version']).out;
  figure('image.node_version', nodeVersion);
  inBox(['systemctl', 'start', 'hivebox-swarm.service']);
  const ready = await swarmReady(`/proc/${pid1}/root/run/hivebox-swarm/swarm.sock`, deadline);
  expectThat(ready !== null && /^[0-9a-f]{64}$/.test(ready.public_key), `packaged sidecar answers on its socket under node ${nodeVersion} (ready, stats)`, JSON.stringify(ready));

  const failedUnits = inBox(['systemctl', '--failed', '--plain', '--no-legend']).out.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0]!);
  expectThat(failedUnits.length === 0, 'systemctl --failed empty', failedUnits.join(' '));
} catch (e) {
  bad(e instanceof Error ? e.message : String(e));
} finally {
  const t1 = performance.now();
  if (pid1) inBox(['systemctl', 'poweroff', '--no-block']);
  const code = await Promise.race([exited, Bun.sleep(30_000).then(() => null)]);
  if (code === null) {
    nspawn.kill('SIGKILL');
    bad('container did not power off within 30 s');
  } else {
    ok(`container powered off (exit ${code})`);
    figure('boot.poweroff_s', ((performance.now() - t1) / 1000).toFixed(2));
  }
  await lightningd?.stop();
  signer.stop();
  if (failed) console.log(readFileSync(consoleLog, 'utf8').split('\n').slice(-30).join('\n'));
  rmSync(work, { recursive: true, force: true });
}
finish();
