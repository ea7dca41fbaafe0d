#!/usr/bin/env bun
/**
 * The Raspberry Pi (arm64) image booted (CI step 41, after image-check.ts): the image's own Debian
 * kernel, initramfs and root file system under `qemu-system-aarch64 -M virt` (TCG). The Pi's
 * firmware (bootcode/start4.elf, device trees) has no virt counterpart, so qemu loads the kernel
 * and initramfs from the boot partition itself, with cmdline.txt's root=LABEL and the virt
 * board's serial console (ttyAMA0) in place of the Pi's.
 *
 * The image is built with the operator's command plus the boot test's tree (../boot/boot-tree.ts:
 * the simulated lightningd compiled for linux-arm64 as /usr/bin/lightningd, the signer simulator),
 * since hivebox.service signals READY only once lightningd answers. A test hivebox.toml goes onto
 * the FAT partition. Passes when, within {@link BOOT_BOUND_S}, the console shows the kernel,
 * systemd, hivebox-firstboot and `hivebox.service` started (Type=notify: systemd reports it started
 * on READY=1), and the box reports `online` over MQTT through user-mode networking. A failed boot
 * prints the console. Prints `ok …` / `FAIL …`, `figure …`, `STEP n passed, m failed`.
 * Needs root, qemu-system-arm, mtools and what `bun run image -- --arch arm64` needs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import mqtt from 'mqtt';
import { freePort } from '../../mqtt/broker.ts';
import { prepareBootTree } from '../boot/boot-tree.ts';
import { bootFiles, type BuildInfo, consoleTail, fatOf, flash, startVm, until, type Vm, writeBootFile } from '../boot/qemu.ts';

const REPO = resolve(import.meta.dir, '../../..');
/** Seconds from qemu start until hivebox.service must be READY: aarch64 under TCG on a 2-core CI machine (HIVEBOX_BOOT_BOUND_S overrides). */
const BOOT_BOUND_S = Number(process.env.HIVEBOX_BOOT_BOUND_S ?? 900);
const OPERATOR = { username: 'boot-test', password: 'boot-test-password-1' };

let passed = 0;
let failed = 0;
const expectThat = (cond: boolean, what: string, detail = '') =>
  cond ? (passed++, console.log(`ok   ${what}`)) : (failed++, console.log(`FAIL ${what}${detail ? `: ${detail}` : ''}`));
const figure = (name: string, value: number | string) => console.log(`figure ${name} ${value}`);

const work = mkdtempSync('/var/tmp/hivebox-arm64-boot-');
let vm: Vm | null = null;
try {
  if (!Bun.which('qemu-system-aarch64')) throw new Error('qemu-system-aarch64 missing (.ci/steps/41-image-arm64.sh installs qemu-system-arm)');
  const buildStart = performance.now();
  const tree = prepareBootTree(work, 'arm64');
  const build = Bun.spawnSync(['bun', 'run', 'image', '--', '--arch', 'arm64', '--compression', 'zstd', '--compression-level', '1', '--lightningd', tree, '--out', join(work, 'dist')], { cwd: REPO, stdout: 'pipe', stderr: 'pipe' });
  if (build.exitCode !== 0) {
    console.log(build.stderr.toString().split('\n').slice(-25).join('\n'));
    throw new Error(`bun run image -- --arch arm64 --lightningd <boot-test tree> exited ${build.exitCode}`);
  }
  expectThat(true, 'bun run image -- --arch arm64 --lightningd <boot-test tree>');
  figure('image.arm64.boot_build_s', ((performance.now() - buildStart) / 1000).toFixed(1));
  const built = JSON.parse(build.stdout.toString().trim().split('\n').pop()!) as { image: string };
  const info = JSON.parse(await Bun.file(built.image.replace(/\.img\.(xz|zst)$/, '.build.json')).text()) as BuildInfo;

  const disk = join(work, 'disk.img');
  flash(built.image, disk, 256);
  const fat = fatOf(disk, info);
  writeBootFile(
    fat,
    'hivebox.toml',
    `# arm64 boot check\n[system]\nhostname = "hivebox-arm64-test"\n[mqtt]\nusername = "${OPERATOR.username}"\npassword = "${OPERATOR.password}"\n[bitcoind]\nnetwork = "regtest"\nrpc_host = "127.0.0.1"\nrpc_port = 18443\nrpc_user = "boot-test"\nrpc_password = "boot-test-rpc"\n[hive]\nrole = "genesis"\n`,
    work,
  );
  const boot = bootFiles(fat, work);
  const append = `${boot.cmdline.replace(/console=ttyS\d+,\d+/g, '').replace(/\s+/g, ' ').trim()} console=ttyAMA0,115200 systemd.show_status=1`;
  expectThat(/root=LABEL=RASPIROOT/.test(append), 'cmdline.txt from the boot partition boots the root by label', append);
  const mqttPort = await freePort();
  const t0 = performance.now();
  const deadline = t0 + BOOT_BOUND_S * 1000;
  vm = startVm({ arch: 'arm64', disk, kernel: boot.kernel, initrd: boot.initrd, append, forward: { [mqttPort]: 1883 }, memMib: 1536, work });
  let online: number | null = null;
  const sub = mqtt.connect(`mqtt://127.0.0.1:${mqttPort}`, { ...OPERATOR, reconnectPeriod: 2000, connectTimeout: 5000 });
  sub.on('error', () => {});
  sub.on('connect', () => void sub.subscribeAsync('hivebox/+/availability'));
  sub.on('message', (_t, payload) => {
    if (payload.toString() === 'online') online ??= performance.now();
  });
  const marks: [string, RegExp][] = [
    ['kernel', /Linux version .*aarch64|Booting Linux on physical CPU/],
    ['systemd', /Welcome to |systemd\[1\]: Detected architecture arm64/],
    ['firstboot', /Finished hivebox-firstboot/],
    ['ready', /Started hivebox\.service/],
  ];
  for (const [name, re] of marks) {
    const at = await until(deadline, () => (re.test(vm!.console()) ? performance.now() : null), 1000);
    expectThat(at !== null, `arm64 boot: ${name} (console)`, `not within ${BOOT_BOUND_S} s`);
    if (at === null) break;
    figure(`boot.arm64.to_${name}_s`, ((at - t0) / 1000).toFixed(1));
  }
  await until(Math.min(deadline, performance.now() + 120_000), () => online, 1000);
  sub.end(true);
  expectThat(online !== null, 'arm64 box reports online over MQTT (user-mode networking)');
  if (online) figure('boot.arm64.to_online_s', ((online - t0) / 1000).toFixed(1));
} catch (e) {
  expectThat(false, e instanceof Error ? e.message : String(e));
} finally {
  if (vm) {
    if (failed) console.log(`--- console (last lines) ---\n${consoleTail(vm)}\n---`);
    await vm.kill();
  }
  rmSync(work, { recursive: true, force: true });
}
console.log(`STEP ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
