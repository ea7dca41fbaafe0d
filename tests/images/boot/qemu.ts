/**
 * Booting a built disk image under qemu for the image boot tests (CI steps 40 and 41): the image
 * file the operator flashes (the build's compressed raw disk — the tests ask for zstd, quicker than
 * xz for a throw-away image — decompressed as `xzcat | dd` would), grown like a larger
 * card, settings written onto its FAT partition with mtools, the kernel, initramfs and cmdline.txt
 * read from that partition (as the Pi firmware does; amd64 carries the same files), and qemu in
 * software emulation (TCG: no /dev/kvm needed) with the serial console in a file and user-mode
 * networking forwarding host loopback ports into the box.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a build's `.build.json` says about the disk (images/build/main.ts). */
export interface BuildInfo {
  readonly image: string;
  readonly raw_bytes: number;
  readonly root_used_mib: number;
  readonly seconds: Record<string, number>;
  readonly layout: { readonly boot: { start: number; sectors: number }; readonly root: { start: number; sectors: number } };
}

/** Run a tool; @returns exit code and output (stdout, else the end of stderr). */
export function sh(argv: string[], timeoutMs = 120_000, env: Record<string, string> = {}): { code: number; out: string } {
  const r = Bun.spawnSync(argv, { stdout: 'pipe', stderr: 'pipe', timeout: timeoutMs, env: { ...process.env, ...env } });
  return { code: r.exitCode ?? -1, out: (`${r.stdout}`.trim() || `${r.stderr}`.trim().split('\n').slice(-5).join(' | ')) };
}

const MTOOLS = { MTOOLS_SKIP_CHECK: '1' };

/**
 * Write the flashed disk: decompress `image` (.img.xz or .img.zst) to `disk` (sparse, as the card's
 * unwritten blocks), then grow the file by `growMib` (a card larger than the image, for
 * hivebox-growroot). @throws Error when decompressing fails.
 */
export function flash(image: string, disk: string, growMib: number): void {
  const unpack = image.endsWith('.zst') ? 'zstd -d -q -f --sparse -o "$2" "$1"' : 'xz -dc "$1" | cp --sparse=always /dev/stdin "$2"';
  const r = Bun.spawnSync(['sh', '-c', `${unpack} && truncate -s +"$3"M "$2"`, 'sh', image, disk, String(growMib)], { stderr: 'pipe' });
  if (r.exitCode !== 0) throw new Error(`flashing ${image}: ${r.stderr}`);
}

/** The FAT partition of `disk` as an mtools image spec (`file@@offset`). */
export function fatOf(disk: string, info: BuildInfo): string {
  return `${disk}@@${info.layout.boot.start * 512}`;
}

/** Put `text` as `name` on the FAT partition (what the operator does after re-inserting the card). */
export function writeBootFile(fat: string, name: string, text: string, work: string): void {
  const local = join(work, name);
  writeFileSync(local, text);
  const r = sh(['mcopy', '-o', '-i', fat, local, `::/${name}`], 60_000, MTOOLS);
  if (r.code !== 0) throw new Error(`mcopy ${name}: ${r.out}`);
}

/** Read a file from the FAT partition. */
export function readBootFile(fat: string, name: string): string {
  return sh(['mtype', '-i', fat, `::/${name}`], 60_000, MTOOLS).out;
}

/** Copy the kernel and initramfs off the FAT partition into `work`. @returns their paths and cmdline.txt. */
export function bootFiles(fat: string, work: string): { kernel: string; initrd: string; cmdline: string } {
  const names = sh(['mdir', '-i', fat, '-b', '::/'], 60_000, MTOOLS).out.split('\n').map((l) => l.replace(/^::\//, '').trim());
  const kernel = names.find((n) => n.startsWith('vmlinuz-'));
  const initrd = names.find((n) => n.startsWith('initrd.img-'));
  if (!kernel || !initrd) throw new Error(`no kernel/initrd on the boot partition: ${names.join(' ')}`);
  for (const f of [kernel, initrd]) {
    const r = sh(['mcopy', '-o', '-i', fat, `::/${f}`, join(work, f)], 60_000, MTOOLS);
    if (r.code !== 0) throw new Error(`mcopy ${f}: ${r.out}`);
  }
  return { kernel: join(work, kernel), initrd: join(work, initrd), cmdline: readBootFile(fat, 'cmdline.txt').trim() };
}

/** A running VM. */
export interface Vm {
  readonly proc: ReturnType<typeof Bun.spawn>;
  readonly consoleLog: string;
  /** The serial console so far. */
  console(): string;
  /** Power off hard (end the qemu process) and wait for it. */
  kill(): Promise<void>;
}

/** What to boot and how. */
export interface VmSpec {
  readonly arch: 'amd64' | 'arm64';
  readonly disk: string;
  readonly kernel: string;
  readonly initrd: string;
  /** Kernel command line (cmdline.txt with this machine's serial console). */
  readonly append: string;
  /** host loopback port → guest TCP port. */
  readonly forward: Readonly<Record<number, number>>;
  readonly memMib: number;
  readonly work: string;
}

/** Start qemu-system-<arch> (TCG) on the spec. */
export function startVm(s: VmSpec): Vm {
  const consoleLog = join(s.work, 'console.log');
  const fwd = Object.entries(s.forward).map(([host, guest]) => `,hostfwd=tcp:127.0.0.1:${host}-:${guest}`).join('');
  const machine = s.arch === 'amd64' ? ['qemu-system-x86_64', '-machine', 'q35,accel=tcg', '-cpu', 'max'] : ['qemu-system-aarch64', '-machine', 'virt,accel=tcg', '-cpu', 'cortex-a72'];
  const argv = [
    ...machine, '-smp', '2', '-m', String(s.memMib), '-nographic', '-no-reboot',
    '-kernel', s.kernel, '-initrd', s.initrd, '-append', s.append,
    '-drive', `file=${s.disk},format=raw,if=virtio,cache=unsafe`,
    '-netdev', `user,id=n0${fwd}`, '-device', 'virtio-net-pci,netdev=n0,romfile=',
    '-object', 'rng-random,filename=/dev/urandom,id=rng0', '-device', 'virtio-rng-pci,rng=rng0',
    '-serial', `file:${consoleLog}`, '-monitor', 'none',
  ];
  writeFileSync(consoleLog, '');
  const proc = Bun.spawn(argv, { stdout: 'ignore', stderr: 'pipe', stdin: 'ignore' });
  return {
    proc,
    consoleLog,
    console: () => readFileSync(consoleLog, 'utf8'),
    async kill() {
      proc.kill('SIGKILL');
      await proc.exited;
    },
  };
}

/** Poll `probe` until it returns non-null or `deadline` (performance.now ms) passes. */
export async function until<T>(deadline: number, probe: () => Promise<T | null> | T | null, everyMs = 500): Promise<T | null> {
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (performance.now() > deadline) return null;
    await Bun.sleep(everyMs);
  }
}

/** The serial console so far without terminal escape codes and carriage returns (systemd colours unit names, so raw text does not match "Finished <unit>"). */
export function plainConsole(vm: Vm): string {
  return vm.console().replace(/\x1b\[[0-9;]*[mK]|\x1b[A-Z]/g, '').replace(/\r/g, '');
}

/** The console of a failed boot: escape codes and systemd's "Job … start running" progress lines dropped, the last `n` lines. */
export function consoleTail(vm: Vm, n = 150): string {
  return plainConsole(vm)
    .split('\n')
    .filter((l) => !/Job .*start running \(/.test(l))
    .slice(-n)
    .join('\n');
}

/** Newest build.json of `arch` in `dir`. */
export function buildInfo(dir: string, arch: string): BuildInfo {
  const f = readdirSync(dir).find((n) => n.endsWith(`-${arch}.build.json`));
  if (!f) throw new Error(`no ${arch} build.json in ${dir}`);
  return JSON.parse(readFileSync(join(dir, f), 'utf8')) as BuildInfo;
}
