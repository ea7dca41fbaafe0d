#!/usr/bin/env bun
/**
 * The Raspberry Pi (arm64) image check (CI step 41): builds the image with
 * `bun run image -- --arch arm64`, then inspects the shipped artifact without mounting anything:
 *
 * - the .img.xz matches its .sha256 and decompresses to the raw disk;
 * - the MBR partition table (sfdisk --json): p1 FAT32 LBA bootable at 4 MiB, p2 Linux after it;
 * - the boot partition (mtools on `image@@offset`): Pi firmware, kernel, initrd, device trees,
 *   config.txt, cmdline.txt with root=LABEL=<root label>, the commented hivebox.toml;
 * - the root ext4 (debugfs on `image?offset=`): the hivebox binary is ELF aarch64 and prints its
 *   version under qemu-aarch64-static with the image's own libraries as sysroot; the units, the
 *   enablement links, the signer udev rule, sysusers accounts, fstab; no SSH host keys and an
 *   uninitialised machine-id (so every box gets its own).
 *
 * `--no-build` checks the image the last build left in dist/images instead of building.
 * Prints `ok …` / `FAIL …`, `figure <name> <value>`, then `STEP n passed, m failed`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dir, '../../..');
let passed = 0;
let failed = 0;
const expectThat = (cond: boolean, what: string, detail = '') =>
  cond ? (passed++, console.log(`ok   ${what}`)) : (failed++, console.log(`FAIL ${what}${detail ? `: ${detail}` : ''}`));
const figure = (name: string, value: number | string) => console.log(`figure ${name} ${value}`);
const finish = (): never => {
  console.log(`STEP ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
};

function sh(argv: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): { code: number; out: string } {
  const r = Bun.spawnSync(argv, { stdout: 'pipe', stderr: 'pipe', env: { ...process.env, ...opts.env }, timeout: opts.timeoutMs ?? 600_000 });
  // Only the end of stderr: a crashing Bun binary prints a screenful of minified source first.
  return { code: r.exitCode ?? -1, out: `${r.stdout}`.trim() || `${r.stderr}`.trim().split('\n').slice(-3).join(' | ') };
}

type Built = { image: string; compressed_bytes: number; raw_bytes: number; root_used_mib: number; seconds: Record<string, number> };
/** `--no-build`: check the image the last build left in dist/images (for re-running the checks). */
function lastBuild(): Built {
  const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
  return JSON.parse(readFileSync(join(REPO, `dist/images/hivebox-${version}-arm64.build.json`), 'utf8')) as Built;
}

const started = performance.now();
let built: Built;
if (Bun.argv.includes('--no-build')) built = lastBuild();
else {
  const build = Bun.spawnSync(['bun', 'run', 'image', '--', '--arch', 'arm64'], { cwd: REPO, stdout: 'pipe', stderr: 'pipe' });
  if (build.exitCode !== 0) {
    console.log(build.stderr.toString().split('\n').slice(-25).join('\n'));
    expectThat(false, `bun run image -- --arch arm64 exited ${build.exitCode}`);
    finish();
  }
  expectThat(true, 'bun run image -- --arch arm64');
  built = JSON.parse(build.stdout.toString().trim().split('\n').pop()!) as Built;
  figure('image.arm64.build_s', ((performance.now() - started) / 1000).toFixed(1));
}
for (const [k, v] of Object.entries(built.seconds)) figure(`image.arm64.seconds.${k}`, v);
figure('image.arm64.compressed_mib', (built.compressed_bytes / 2 ** 20).toFixed(1));
figure('image.arm64.raw_mib', (built.raw_bytes / 2 ** 20).toFixed(0));
figure('image.arm64.root_used_mib', built.root_used_mib);

const recipe = Bun.TOML.parse(readFileSync(join(REPO, 'images/recipe.toml'), 'utf8')) as { disk: { boot_mib: number; boot_label: string; root_label: string } };
const work = mkdtempSync('/var/tmp/hivebox-arm64-check-');
try {
  const dir = built.image.slice(0, built.image.lastIndexOf('/'));
  const sum = Bun.spawnSync(['sha256sum', '--quiet', '-c', `${built.image}.sha256`], { cwd: dir, stdout: 'pipe', stderr: 'pipe' });
  expectThat(sum.exitCode === 0, 'image matches its .sha256', `${sum.stdout}${sum.stderr}`);
  const raw = join(work, 'disk.img');
  expectThat(sh(['sh', '-c', `xz -dc -T0 '${built.image}' > '${raw}'`]).code === 0, 'image decompresses');

  const table = JSON.parse(sh(['sfdisk', '--json', raw]).out) as { partitiontable: { label: string; partitions: { start: number; size: number; type: string; bootable?: boolean }[] } };
  const [p1, p2] = table.partitiontable.partitions;
  expectThat(table.partitiontable.label === 'dos' && table.partitiontable.partitions.length === 2, 'MBR table with two partitions', JSON.stringify(table.partitiontable));
  expectThat(p1?.type === 'c' && p1.bootable === true && p1.start === 8192 && p1.size === recipe.disk.boot_mib * 2048, 'p1: FAT32 LBA, bootable, 4 MiB aligned', JSON.stringify(p1));
  expectThat(p2?.type === '83' && p2.start === p1!.start + p1!.size, 'p2: Linux right after p1', JSON.stringify(p2));
  console.log(sh(['sfdisk', '--dump', raw]).out.replace(/^/gm, '     '));

  const fat = `${raw}@@${p1!.start * 512}`;
  const mt = { MTOOLS_SKIP_CHECK: '1' };
  const files = sh(['mdir', '-b', '-i', fat, '::/'], { env: mt }).out.split('\n').map((l) => l.replace(/^::\//, ''));
  for (const f of ['bootcode.bin', 'start4.elf', 'fixup4.dat', 'config.txt', 'cmdline.txt', 'bcm2711-rpi-4-b.dtb', 'bcm2837-rpi-3-b.dtb', 'hivebox.toml']) {
    expectThat(files.includes(f), `boot partition has ${f}`);
  }
  expectThat(files.some((f) => f.startsWith('vmlinuz-')) && files.some((f) => f.startsWith('initrd.img-')), 'boot partition has kernel and initrd', files.join(' '));
  const cmdline = sh(['mtype', '-i', fat, '::/cmdline.txt'], { env: mt }).out;
  expectThat(cmdline.includes(`root=LABEL=${recipe.disk.root_label}`) && cmdline.includes(' rw '), 'cmdline.txt boots root by label, read-write', cmdline);
  const config = sh(['mtype', '-i', fat, '::/config.txt'], { env: mt }).out;
  expectThat(/^arm_64bit=1$/m.test(config) && /^initramfs initrd\.img-/m.test(config), 'config.txt: 64-bit, kernel + initramfs', config.split('\n').filter((l) => l && !l.startsWith('#')).join(' | '));
  const label = sh(['sh', '-c', `MTOOLS_SKIP_CHECK=1 mlabel -s -i '${fat}' ::`]).out;
  expectThat(label.includes(recipe.disk.boot_label), `boot volume label ${recipe.disk.boot_label}`, label);

  const ext = `${raw}?offset=${p2!.start * 512}`;
  const dbg = (req: string) => sh(['debugfs', '-R', req, ext]);
  expectThat(sh(['e2label', ext]).out === recipe.disk.root_label, `root label ${recipe.disk.root_label}`, sh(['e2label', ext]).out);
  const bin = join(work, 'hivebox');
  dbg(`dump -p /usr/bin/hivebox ${bin}`);
  const fileOut = sh(['file', '-b', bin]).out;
  expectThat(fileOut.includes('ELF 64-bit') && fileOut.includes('ARM aarch64'), '/usr/bin/hivebox is ELF aarch64', fileOut);
  const sysroot = join(work, 'sysroot');
  sh(['mkdir', '-p', `${sysroot}/usr/lib`]);
  dbg(`rdump /usr/lib/aarch64-linux-gnu ${sysroot}/usr/lib`);
  sh(['ln', '-s', 'usr/lib', `${sysroot}/lib`]);
  sh(['ln', '-s', 'aarch64-linux-gnu/ld-linux-aarch64.so.1', `${sysroot}/usr/lib/ld-linux-aarch64.so.1`]);
  const version = sh(['qemu-aarch64-static', '-L', sysroot, bin, '--version'], { timeoutMs: 60_000 });
  expectThat(/^hivebox \d+\.\d+\.\d+ \(.+\) linux-arm64$/.test(version.out), 'hivebox --version under qemu-aarch64-static with the image\'s libraries', version.out);
  const selftest = sh(['qemu-aarch64-static', '-L', sysroot, bin, 'selftest'], { timeoutMs: 120_000 });
  expectThat(selftest.out.startsWith('{"ok":true,"target":"linux-arm64"'), 'hivebox selftest (signing, SQLite, node-hid with the image\'s libusb/libudev)', selftest.out);

  // The swarm sidecar as packaged: Debian's aarch64 node runs it with the linux-arm64 prebuilds
  // (udx-native, sodium-native) on a standalone loopback DHT until it says `ready`.
  const nodeBin = join(work, 'node');
  dbg(`dump -p /usr/bin/node ${nodeBin}`);
  // Debian's node loads some builtins (cjs-module-lexer, undici, acorn) from /usr/share/nodejs.
  sh(['mkdir', '-p', `${sysroot}/usr/share`]);
  dbg(`rdump /usr/share/nodejs ${sysroot}/usr/share`);
  sh(['mkdir', '-p', `${work}/opt`]);
  dbg(`rdump /opt/hivebox ${work}/opt`);
  const sidecar = Bun.spawn(['qemu-aarch64-static', '-L', sysroot, nodeBin, join(work, 'opt/hivebox/services/swarm/sidecar/main.mjs'), '--host', '127.0.0.1', '--bootstrap', ''], { stdin: 'pipe', stdout: 'pipe', stderr: 'pipe' });
  const reader = sidecar.stdout.getReader();
  let firstLine = '';
  const readLine = (async () => {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      firstLine += new TextDecoder().decode(chunk.value);
      if (firstLine.includes('\n')) return;
    }
  })();
  await Promise.race([readLine, Bun.sleep(120_000)]);
  sidecar.kill();
  const readyEvent = firstLine.split('\n')[0] ?? '';
  expectThat(readyEvent.includes('"event":"ready"'), 'swarm sidecar runs under the image\'s aarch64 node with its linux-arm64 prebuilds (ready)', readyEvent || (await new Response(sidecar.stderr).text()).slice(-400));
  const prebuilds = sh(['ls', join(work, 'opt/hivebox/node_modules/udx-native/prebuilds')]).out.split(/\s+/);
  expectThat(prebuilds.join(' ') === 'linux-arm64', 'sidecar packages carry only linux-arm64 prebuilds', prebuilds.join(' '));

  const exists = (p: string) => !/File not found|not found by ext2_lookup/.test(sh(['debugfs', '-R', `stat ${p}`, ext]).out);
  for (const p of [
    '/usr/lib/systemd/system/hivebox.service',
    '/usr/lib/systemd/system/hivebox-firstboot.service',
    '/usr/lib/systemd/system/hivebox-growroot.service',
    '/usr/lib/systemd/system/hivebox-lightningd.service',
    '/usr/lib/systemd/system/mosquitto.service.d/hivebox.conf',
    '/usr/lib/udev/rules.d/99-hivebox-signer.rules',
    '/usr/share/polkit-1/rules.d/50-hivebox-units.rules',
    '/usr/lib/sysusers.d/hivebox.conf',
    '/etc/systemd/system/multi-user.target.wants/hivebox.service',
    '/etc/systemd/system/multi-user.target.wants/hivebox-firstboot.service',
    '/etc/systemd/system/multi-user.target.wants/mosquitto.service',
    '/etc/systemd/journald.conf.d/hivebox.conf',
    '/etc/ssh/sshd_config.d/hivebox.conf',
    '/usr/lib/hivebox/hivebox-plugin',
  ]) expectThat(exists(p), `root has ${p}`);
  const udev = dbg('cat /usr/lib/udev/rules.d/99-hivebox-signer.rules').out;
  expectThat(udev.includes('SUBSYSTEM=="hidraw"') && udev.includes('GROUP="hivebox"'), 'signer udev rule gives the hivebox group the hidraw node');
  const passwd = dbg('cat /etc/passwd').out;
  expectThat(/^hivebox:/m.test(passwd) && /^lightningd:/m.test(passwd), 'accounts hivebox and lightningd exist');
  expectThat(dbg('cat /etc/machine-id').out === 'uninitialized', 'machine-id uninitialized (each box makes its own)');
  expectThat(!/ssh_host_/.test(dbg('ls /etc/ssh').out), 'no SSH host keys in the image');
  expectThat(dbg('cat /etc/fstab').out.includes(`LABEL=${recipe.disk.boot_label}  /boot/firmware  vfat`), 'fstab mounts the boot partition by label');
  expectThat(/ROOTPART=LABEL=/.test(dbg('cat /etc/default/raspi-firmware').out), 'kernel updates keep root=LABEL (raspi-firmware ROOTPART)');
  const manifest = readFileSync(built.image.replace(/\.img\.(xz|zst)$/, '.manifest'), 'utf8');
  expectThat(['linux-image-arm64', 'raspi-firmware', 'mosquitto', 'systemd', 'libusb-1.0-0'].every((p) => new RegExp(`^${p} \\S+ \\S+$`, 'm').test(manifest)), 'manifest lists kernel, firmware, broker, systemd, libusb');
} finally {
  rmSync(work, { recursive: true, force: true });
}
finish();
