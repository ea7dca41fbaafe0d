#!/usr/bin/env bun
/**
 * The appliance boot test (CI step 40, not part of the fast unit suite): the amd64 disk image
 * itself, booted as a computer.
 *
 * 1. Builds the image with the operator's command (`bun run image -- --arch amd64`), with the
 *    boot test's tree (boot-tree.ts: a simulated lightningd as /usr/bin/lightningd, the signer
 *    simulator unit) passed as `--lightningd TREE`.
 * 2. "Flashes" the `.img.xz` onto a larger disk file, writes a test hivebox.toml (with an SSH key)
 *    onto its FAT partition, and boots it under qemu-system-x86_64 (TCG) with the kernel,
 *    initramfs and cmdline.txt from that partition, user-mode networking forwarding host loopback
 *    ports to the box's MQTT broker (1883) and sshd (22).
 * 3. Checks from the host, within {@link BOOT_BOUND_S}: the box's broker takes the operator's
 *    imported credentials; `availability` = `online`, `state.health` = `healthy` and a founded hive
 *    (`state.hive_id`: the first-boot role genesis) arrive over MQTT — healthy means the daemon
 *    reached lightningd (hivebox-lightningd.service, running as `lightningd`) and lightningd's
 *    plugin reached the daemon's IPC socket. Over SSH (the operator's path): kernel and initramfs
 *    booted the image's root by label, hivebox-growroot grew the partition and file system to
 *    the disk, firstboot imported and blanked the secrets with the right modes, unit states,
 *    the packaged swarm sidecar under the image's node, the signer through the box kernel's
 *    /dev/uhid (tests/hw/uhid-checks.ts), `systemctl --failed` empty.
 * 4. Powers off over SSH; the console log of a failed boot is printed.
 *
 * Prints `ok …` / `FAIL …`, figures as `figure <name> <value>`, then `STEP n passed, m failed`.
 * Needs root (image build), qemu-system-x86, mtools, openssh-client and what `bun run image` needs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import mqtt from 'mqtt';
import { freePort } from '../../mqtt/broker.ts';
import { watchBox } from './box-mqtt.ts';
import { prepareBootTree, UHID_CHECKS } from './boot-tree.ts';
import { bootFiles, type BuildInfo, consoleTail, fatOf, flash, readBootFile, sh, startVm, until, type Vm, writeBootFile } from './qemu.ts';

const REPO = resolve(import.meta.dir, '../../..');
/**
 * Seconds from qemu start until the box must report healthy over MQTT: TCG on a 2-core CI machine
 * (HIVEBOX_BOOT_BOUND_S overrides it on a machine shared with other work).
 */
const BOOT_BOUND_S = Number(process.env.HIVEBOX_BOOT_BOUND_S ?? 600);
/** How much larger the "card" is than the image: hivebox-growroot must grow the root into it. */
const GROW_MIB = 512;
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

/** Try an MQTT login; resolves with the CONNACK outcome. */
function login(port: number, username: string, password: string): Promise<{ ok: boolean; reason: string }> {
  return new Promise((done) => {
    const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, { username, password, reconnectPeriod: 0, connectTimeout: 5000, protocolVersion: 5 });
    c.once('connect', () => (c.end(true), done({ ok: true, reason: 'connected' })));
    c.once('error', (e) => (c.end(true), done({ ok: false, reason: e.message })));
    c.once('close', () => done({ ok: false, reason: 'closed' }));
  });
}

if (process.getuid?.() !== 0) {
  bad('boot test needs root (image build)');
  finish();
}
for (const tool of ['qemu-system-x86_64', 'mcopy', 'ssh', 'ssh-keygen', 'xz']) if (!Bun.which(tool)) (bad(`${tool} missing (.ci/steps/40-image.sh installs it)`), finish());

const work = mkdtempSync('/var/tmp/hivebox-boot-');
let vm: Vm | null = null;
try {
  // 1. Build the image with the boot test's tree.
  const buildStart = performance.now();
  const tree = prepareBootTree(work, 'x64', { uhidChecks: true });
  // HIVEBOX_BOOT_BINARY: put another x64 hivebox binary into the image (e.g. one built from main).
  const binary = process.env.HIVEBOX_BOOT_BINARY ? ['--binary', process.env.HIVEBOX_BOOT_BINARY] : [];
  const out = join(work, 'dist');
  const build = Bun.spawnSync(['bun', 'run', 'image', '--', '--arch', 'amd64', '--compression', 'zstd', '--compression-level', '1', '--lightningd', tree, '--out', out, ...binary], { cwd: REPO, stdout: 'pipe', stderr: 'pipe' });
  if (build.exitCode !== 0) {
    console.log(build.stderr.toString().split('\n').slice(-25).join('\n'));
    throw new Error(`bun run image -- --arch amd64 exited ${build.exitCode}`);
  }
  ok('bun run image -- --arch amd64 --lightningd <boot-test tree>');
  const built = JSON.parse(build.stdout.toString().trim().split('\n').pop()!) as BuildInfo & { base_from_cache?: boolean };
  figure('image.amd64.build_s', ((performance.now() - buildStart) / 1000).toFixed(1));
  for (const [k, v] of Object.entries(built.seconds)) figure(`image.amd64.seconds.${k}`, v);
  figure('image.amd64.root_used_mib', built.root_used_mib);
  const info = JSON.parse(await Bun.file(built.image.replace(/\.img\.(xz|zst)$/, '.build.json')).text()) as BuildInfo;

  // 2. Flash, configure, boot.
  const disk = join(work, 'disk.img');
  flash(built.image, disk, GROW_MIB);
  const fat = fatOf(disk, info);
  const key = join(work, 'id_ed25519');
  sh(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'boot-test', '-f', key]);
  const pub = (await Bun.file(`${key}.pub`).text()).trim();
  writeBootFile(
    fat,
    'hivebox.toml',
    `# boot test: bitcoind RPC on a simulated regtest endpoint, lightningd simulated in the box
[system]
hostname = "hivebox-boot-test"
ssh_authorized_keys = ["${pub}"]
[mqtt]
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
    work,
  );
  const boot = bootFiles(fat, work);
  const [mqttPort, sshPort] = [await freePort(), await freePort()];
  const t0 = performance.now();
  const deadline = t0 + BOOT_BOUND_S * 1000;
  vm = startVm({ arch: 'amd64', disk, kernel: boot.kernel, initrd: boot.initrd, append: boot.cmdline, forward: { [mqttPort]: 1883, [sshPort]: 22 }, memMib: 1536, work });
  const box = (cmd: string, timeoutMs = 60_000) =>
    sh(['ssh', '-q', '-i', key, '-p', String(sshPort), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', 'root@127.0.0.1', cmd], timeoutMs);

  // 3. From the host: MQTT.
  const { seen, end: endWatch } = watchBox(mqttPort, OPERATOR);
  const kernelUp = await until(deadline, () => (/Linux version/.test(vm!.console()) ? performance.now() : null), 250);
  expectThat(kernelUp !== null, 'kernel from the boot partition starts (console)');
  if (kernelUp) figure('boot.amd64.to_kernel_s', ((kernelUp - t0) / 1000).toFixed(1));
  const rootUp = await until(deadline, () => (/systemd\[1\]: .*(Detected|Hostname set|Reached target)|Welcome to /.test(vm!.console()) ? performance.now() : null), 500);
  expectThat(rootUp !== null, 'initramfs mounted the root by label and handed over to systemd');
  if (rootUp) figure('boot.amd64.to_systemd_s', ((rootUp - t0) / 1000).toFixed(1));
  const broker = await until(deadline, async () => ((await login(mqttPort, OPERATOR.username, OPERATOR.password)).ok ? performance.now() : null), 2000);
  expectThat(broker !== null, 'operator logs in to the box broker over user-mode networking with the imported credentials', `no login within ${BOOT_BOUND_S} s`);
  if (broker) figure('boot.amd64.to_broker_s', ((broker - t0) / 1000).toFixed(1));
  await until(deadline, () => (seen.online !== null && seen.healthy !== null && seen.hive_id !== null ? true : null), 500);
  expectThat(seen.online !== null, 'MQTT availability online', `not within ${BOOT_BOUND_S} s`);
  expectThat(seen.healthy !== null, 'MQTT state.health healthy (lightningd and its plugin reached from both units)', `${seen.health} ${seen.reasons.join('; ')}`);
  expectThat(seen.hive_id !== null && /^hive_/.test(seen.hive_id), 'first-boot role applied: the box founded a hive (state.hive_id)', String(seen.hive_id));
  if (seen.online) figure('boot.amd64.to_online_s', ((seen.online - t0) / 1000).toFixed(1));
  if (seen.healthy) figure('boot.amd64.to_healthy_s', ((seen.healthy - t0) / 1000).toFixed(1));
  endWatch();

  // Over SSH: what the operator would look at.
  const sshUp = await until(deadline + 60_000, () => (box('true', 20_000).code === 0 ? true : null), 2000);
  expectThat(sshUp !== null, 'ssh root@box with the key from hivebox.toml');
  if (!sshUp) throw new Error('no SSH into the box');
  const running = box('systemctl is-system-running --wait', 240_000).out;
  figure('boot.amd64.system_state', running || 'unknown');
  expectThat(box('findmnt -no SOURCE /').out === '/dev/vda2' && box('cat /proc/cmdline').out.includes('root=LABEL=RASPIROOT'), 'root is p2 of the flashed disk, found by label', box('findmnt -no SOURCE,FSTYPE /').out);
  const sizes = box('lsblk -dbno SIZE /dev/vda /dev/vda2; df -B1 --output=size / | tail -1').out.split('\n').map(Number);
  const [diskBytes, partBytes, fsBytes] = sizes as [number, number, number];
  const imageRoot = info.layout.root.sectors * 512;
  expectThat(box('systemctl show -p Result,ActiveState --value hivebox-growroot.service').out === 'success\nactive', 'hivebox-growroot.service ran (hardened) and succeeded', box('journalctl -b -u hivebox-growroot -o cat --no-pager').out.replace(/\n/g, ' | '));
  expectThat(partBytes > imageRoot && partBytes >= diskBytes - (info.layout.root.start * 512) - 2 ** 20, 'root partition grown to the end of the disk', `partition ${partBytes}, image root ${imageRoot}, disk ${diskBytes}`);
  expectThat(fsBytes > imageRoot * 0.9 + GROW_MIB * 2 ** 20 * 0.8, 'root file system grown online', `df ${fsBytes}`);
  figure('boot.amd64.root_grown_mib', Math.round((partBytes - imageRoot) / 2 ** 20));

  const status = JSON.parse(box('cat /var/lib/hivebox/firstboot-status.json').out || '{}') as { ok?: boolean; problems?: unknown[]; redacted?: string[] };
  expectThat(box('systemctl is-active hivebox-firstboot.service').out === 'active', 'hivebox-firstboot.service (hardened) active');
  expectThat(status.ok === true, 'firstboot status ok (settings complete)', JSON.stringify(status.problems));
  expectThat(box('hostname').out === 'hivebox-boot-test', 'host name from hivebox.toml', box('hostname').out);
  const card = box('cat /boot/firmware/hivebox.toml').out;
  expectThat(card.includes('[mqtt]') && !card.includes(OPERATOR.password) && !card.includes('boot-test-rpc'), 'secrets blanked on the boot partition', status.redacted?.join(','));
  const modes = box('stat -c "%a %U %n" /etc/hivebox/firstboot-settings.json /etc/mosquitto/hivebox.passwd /etc/hivebox/hivebox.toml /etc/lightningd/config').out;
  expectThat(
    modes === '600 root /etc/hivebox/firstboot-settings.json\n600 mosquitto /etc/mosquitto/hivebox.passwd\n640 root /etc/hivebox/hivebox.toml\n640 root /etc/lightningd/config',
    'secret files 0600/0640 with the right owners',
    modes,
  );
  expectThat(box('setpriv --reuid=hivebox --regid=hivebox --init-groups cat /etc/hivebox/firstboot-settings.json').code !== 0, 'the daemon cannot read the stored secrets file');
  const daemonConf = Bun.TOML.parse(box('cat /etc/hivebox/hivebox.toml').out) as { mqtt?: { username: string; password: string } };
  const daemonLogin = await login(mqttPort, daemonConf.mqtt?.username ?? '', daemonConf.mqtt?.password ?? '');
  expectThat(daemonLogin.ok, "the daemon's generated broker account logs in", daemonLogin.reason);
  expectThat(!(await login(mqttPort, OPERATOR.username, 'wrong-password-123')).ok, 'wrong broker password refused');

  // The two units and the socket between them, as they run.
  const lnPid = box('systemctl show -p MainPID --value hivebox-lightningd.service').out;
  expectThat(box('systemctl is-active hivebox-lightningd.service').out === 'active' && box(`ps -o user= -p ${lnPid}`).out === 'lightningd', 'hivebox-lightningd.service active, lightningd (simulated) running as user lightningd');
  expectThat(box('stat -c "%a %U:%G" /run/hivebox /run/hivebox/plugin.sock').out === '750 hivebox:hivebox-ipc\n660 hivebox:hivebox-ipc', 'IPC socket 0660 and its folder 0750, group hivebox-ipc', box('stat -c "%a %U:%G %n" /run/hivebox /run/hivebox/plugin.sock').out);
  expectThat(box('journalctl -b -u hivebox-lightningd -o cat --no-pager | grep -c "Permission denied\\|EACCES"').out === '0', 'no permission errors in lightningd\'s log', box('journalctl -b -u hivebox-lightningd -o cat --no-pager | tail -5').out);
  // The daemon's own lines (_COMM=hivebox), not systemd's about the unit: they say why a start failed.
  expectThat(box('systemctl is-active hivebox.service').out === 'active', 'hivebox.service active', box('journalctl -b -u hivebox.service _COMM=hivebox -o cat --no-pager -n 15').out.replace(/\n/g, ' | '));
  const daemonPid = box('systemctl show -p MainPID --value hivebox.service').out;
  const daemonEnv = box(`tr '\\0' '\\n' < /proc/${daemonPid}/environ`).out.split('\n');
  expectThat(daemonEnv.includes('BUN_JSC_useFTLJIT=false'), "the daemon runs with hivebox.service's JavaScriptCore setting (no FTL tier)", daemonEnv.filter((l) => l.startsWith('BUN_')).join(' '));
  const rssMib = (pid: string) => {
    const kb = /VmRSS:\s+(\d+) kB/.exec(box(`cat /proc/${pid}/status`).out);
    return kb ? (Number(kb[1]) / 1024).toFixed(1) : 'unknown';
  };
  figure('boot.amd64.daemon_rss_mib', rssMib(daemonPid));
  // lightningd starts /usr/lib/hivebox/hivebox-plugin, which execs `hivebox plugin`, which re-executes itself without the JIT.
  const pluginPid = box("pgrep -f '^/usr/bin/hivebox plugin'").out.split('\n')[0] ?? '';
  const pluginEnv = pluginPid ? box(`tr '\\0' '\\n' < /proc/${pluginPid}/environ`).out.split('\n') : [];
  expectThat(pluginEnv.includes('BUN_JSC_useJIT=false'), "lightningd's hivebox plugin runs without the JIT", `pid '${pluginPid}': ${pluginEnv.filter((l) => l.startsWith('BUN_')).join(' ')}`);
  if (pluginPid) figure('boot.amd64.plugin_rss_mib', rssMib(pluginPid));
  // Type=notify: the unit turns active on READY=1; its monotonic timestamp counts from kernel start.
  const readyUs = Number(box('systemctl show -p ActiveEnterTimestampMonotonic --value hivebox.service').out);
  if (readyUs > 0) figure('boot.amd64.kernel_to_ready_s', (readyUs / 1e6).toFixed(1));

  // The packaged swarm sidecar: off by default, runs under the image's Debian nodejs when started.
  // sshd only as ssh.service (ConditionPathExists= the operator's keys): a first-boot preset that enabled
  // ssh.socket would hold port 22 and re-trigger the skipped ssh.service on every connection.
  expectThat(box('systemctl is-enabled ssh.socket').out === 'disabled', 'ssh.socket disabled by the image preset (sshd runs as ssh.service alone)', box('systemctl is-enabled ssh.socket').out);
  const sshRestarts = box('systemctl show -p NRestarts --value ssh.service').out;
  expectThat(sshRestarts === '0', 'ssh.service started at the first attempt (host keys made within its start timeout)', `${sshRestarts} restarts: ${box('journalctl -b -u ssh.service -o cat --no-pager | grep -m3 -i "timed out\\|failed"').out.replace(/\n/g, ' | ')}`);
  expectThat(box('systemctl is-enabled hivebox-swarm.service').out === 'disabled', 'hivebox-swarm.service installed, not enabled (the swarm is opt-in)');
  box('systemctl start hivebox-swarm.service');
  const sidecar = await until(performance.now() + 240_000, () => {
    const r = box(`node -e 'const s=require("net").connect("/run/hivebox-swarm/swarm.sock");let b="";s.on("data",d=>{b+=d;if(b.includes("\\"ready\\"")&&!b.includes("stats")){s.write("{\\"cmd\\":\\"stats\\",\\"id\\":1}\\n")}if(b.includes("\\"stats\\"")){console.log("ok");process.exit(0)}});s.on("error",()=>process.exit(1));setTimeout(()=>process.exit(1),40000)'`, 60_000);
    return r.out === 'ok' ? true : null;
  }, 2000);
  expectThat(sidecar !== null, `packaged sidecar answers on its socket under node ${box('node --version').out} (ready, stats)`);

  // The signer through the box kernel's uhid (tests/hw/uhid-checks.ts, compiled into the tree).
  const uhid = box(`modprobe uhid && ${UHID_CHECKS}`, 600_000);
  for (const line of uhid.out.split('\n').filter((l) => /^(ok  |FAIL) uhid: /.test(l))) expectThat(line.startsWith('ok'), line.slice(5));
  expectThat(/^STEP \d+ passed, 0 failed$/m.test(uhid.out), 'uhid signer checks ran in the booted box', uhid.out.split('\n').slice(-3).join(' | '));

  const failedUnits = box('systemctl --failed --plain --no-legend').out.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0]!);
  expectThat(failedUnits.length === 0, 'systemctl --failed empty', failedUnits.join(' '));

  // 4. Power off.
  const t1 = performance.now();
  box('systemctl poweroff --no-block');
  const off = await Promise.race([vm.proc.exited, Bun.sleep(120_000).then(() => null)]);
  expectThat(off !== null, 'box powered off cleanly (qemu exited)');
  if (off !== null) figure('boot.amd64.poweroff_s', ((performance.now() - t1) / 1000).toFixed(1));
  expectThat(!readBootFile(fat, 'hivebox.toml').includes(OPERATOR.password), 'after power-off the card holds no imported secret');
} catch (e) {
  bad(e instanceof Error ? e.message : String(e));
} finally {
  if (vm) {
    if (failed) console.log(`--- console (last lines) ---\n${consoleTail(vm)}\n---`);
    await vm.kill();
  }
  rmSync(work, { recursive: true, force: true });
}
finish();
