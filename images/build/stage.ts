/**
 * The image's root filesystem, staged from a copy of the cached Debian base: the hivebox binary,
 * the appliance runtime's units and rules (systemd/), the hyperswarm sidecar with its npm packages
 * (sidecar.ts), the image's own files (images/rootfs/),
 * accounts (systemd-sysusers), enabled and masked units (`systemctl --root`), fstab, and a
 * scrub of everything that must differ per box (machine-id, SSH host keys) or is build residue.
 * Also collects the boot partition's files: the Pi firmware/kernel (arm64), the kernel, initramfs and
 * cmdline.txt (amd64), and hivebox.toml.
 * Everything runs host tools against the folder, so no emulation is needed for arm64.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { readAccounts } from '../../runtime/firstboot/atomic-write.ts';
import { describeToolError, runTool } from './exec.ts';
import { stageSidecar } from './sidecar.ts';
import type { ImageArch, Recipe } from './recipe.ts';

/** What {@link stageRoot} needs. */
export interface StageOptions {
  readonly recipe: Recipe;
  readonly arch: ImageArch;
  /** The cached base root (left untouched). */
  readonly base: string;
  /** Work folder; `root/` and `boot/` are made in it. */
  readonly stageDir: string;
  /** The compiled hivebox binary for this architecture. */
  readonly binary: string;
  /** The repository checkout (systemd/, images/). */
  readonly repo: string;
  /** A prebuilt Core Lightning install tree, or null. */
  readonly lightningdTree: string | null;
  readonly sourceDateEpoch: number;
  readonly log: (line: string) => void;
}

/** A staged image: root filesystem folder and boot partition folder. */
export interface Staged {
  readonly root: string;
  readonly boot: string;
}

/** Where each appliance runtime file from systemd/ goes in the image. */
export const RUNTIME_FILES: readonly { from: string; to: string }[] = [
  { from: 'systemd/hivebox.service', to: 'usr/lib/systemd/system/hivebox.service' },
  { from: 'systemd/hivebox-lightningd.service', to: 'usr/lib/systemd/system/hivebox-lightningd.service' },
  { from: 'systemd/hivebox-swarm.service', to: 'usr/lib/systemd/system/hivebox-swarm.service' },
  { from: 'systemd/80-hivebox.preset', to: 'usr/lib/systemd/system-preset/80-hivebox.preset' },
  { from: 'systemd/mosquitto.service.d/hivebox.conf', to: 'usr/lib/systemd/system/mosquitto.service.d/hivebox.conf' },
  { from: 'systemd/hivebox.sysusers', to: 'usr/lib/sysusers.d/hivebox.conf' },
  { from: 'systemd/50-hivebox-units.rules', to: 'usr/share/polkit-1/rules.d/50-hivebox-units.rules' },
  { from: 'systemd/99-hivebox-signer.rules', to: 'usr/lib/udev/rules.d/99-hivebox-signer.rules' },
  { from: 'systemd/mosquitto-hivebox.conf', to: 'usr/share/hivebox/mosquitto-hivebox.conf' },
  { from: 'systemd/mosquitto-hivebox.conf', to: 'etc/mosquitto/conf.d/hivebox.conf' },
];

function step(r: Result<string, Parameters<typeof describeToolError>[0]>): Result<void, string> {
  return r.ok ? ok(undefined) : err(describeToolError(r.error));
}

function clearFiles(dir: string, remove: (name: string) => boolean): void {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) if (remove(f)) rmSync(join(dir, f), { recursive: true, force: true });
}

function fstab(recipe: Recipe): string {
  return [
    '# <file system>  <mount point>  <type>  <options>  <dump>  <pass>',
    `LABEL=${recipe.disk.root_label}  /  ext4  defaults,noatime  0  1`,
    '# The boot partition holds hivebox.toml with secrets until firstboot imports them: root only.',
    `LABEL=${recipe.disk.boot_label}  /boot/firmware  vfat  defaults,noatime,fmask=0177,dmask=0077  0  2`,
    '',
  ].join('\n');
}

/** The amd64 kernel command line (cmdline.txt), like the Pi's: root by label, serial + screen consoles. */
export function amd64Cmdline(rootLabel: string): string {
  return `console=tty0 console=ttyS0,115200 root=LABEL=${rootLabel} rw fsck.repair=yes rootwait\n`;
}

/**
 * amd64: the boot partition gets what the Pi's raspi-firmware hook puts there — the Debian kernel
 * and initramfs (`vmlinuz-<version>`, `initrd.img-<version>`, from the root's /boot) and
 * cmdline.txt — so a firmware or VM that loads a kernel from the FAT partition boots the box
 * (CI: qemu-system-x86_64 -kernel/-initrd/-append read from it).
 */
function amd64BootFiles(root: string, boot: string, rootLabel: string): Result<void, string> {
  const files = readdirSync(join(root, 'boot')).filter((f) => /^(vmlinuz|initrd\.img)-/.test(f));
  if (files.length !== 2) return err(`expected one kernel and one initrd in /boot, found: ${files.join(' ') || 'none'}`);
  for (const f of files) {
    const r = runTool(['install', '-m', '0644', join(root, 'boot', f), join(boot, f)]);
    if (!r.ok) return err(describeToolError(r.error));
  }
  writeFileSync(join(boot, 'cmdline.txt'), amd64Cmdline(rootLabel));
  return ok(undefined);
}

/** Build the staged root and boot folders. @returns their paths, or the step that failed. */
export function stageRoot(o: StageOptions): Result<Staged, string> {
  const root = join(o.stageDir, 'root');
  const boot = join(o.stageDir, 'boot');
  rmSync(o.stageDir, { recursive: true, force: true });
  mkdirSync(boot, { recursive: true });
  const steps: [string, () => Result<void, string>][] = [
    ['copy base', () => step(runTool(['cp', '-a', '--reflink=auto', o.base, root]))],
    ['image files', () => step(runTool(['cp', '-a', '--no-preserve=ownership', `${join(o.repo, 'images/rootfs')}/.`, `${root}/`]))],
    ['hivebox binary', () => step(runTool(['install', '-D', '-m', '0755', o.binary, join(root, 'usr/bin/hivebox')]))],
    ['runtime units and rules', () => {
      for (const f of RUNTIME_FILES) {
        const r = runTool(['install', '-D', '-m', '0644', join(o.repo, f.from), join(root, f.to)]);
        if (!r.ok) return err(describeToolError(r.error));
      }
      return ok(undefined);
    }],
    ['swarm sidecar (Node)', () => stageSidecar(o.repo, root, o.arch)],
    ['lightningd tree', () => {
      if (!o.lightningdTree) return ok(undefined);
      if (!existsSync(join(o.lightningdTree, 'usr/bin/lightningd'))) return err(`${o.lightningdTree}/usr/bin/lightningd missing (the tree is copied over /)`);
      return step(runTool(['cp', '-a', '--no-preserve=ownership', `${o.lightningdTree}/.`, `${root}/`]));
    }],
    ['accounts (systemd-sysusers)', () => step(runTool(['systemd-sysusers', `--root=${root}`]))],
    ['state and config folders', () => {
      const acc = readAccounts(root);
      // root/.ssh: hivebox-firstboot.service may write only there below /root (ProtectHome=read-only).
      for (const [dir, mode, user, group] of [['etc/hivebox', 0o750, 'root', 'hivebox'], ['var/lib/hivebox', 0o700, 'hivebox', 'hivebox'], ['root/.ssh', 0o700, 'root', 'root']] as const) {
        mkdirSync(join(root, dir), { recursive: true });
        chownSync(join(root, dir), acc.uid(user), acc.gid(group));
        chmodSync(join(root, dir), mode);
      }
      return ok(undefined);
    }],
    ['enable and mask units', () => {
      const en = step(runTool(['systemctl', `--root=${root}`, 'enable', ...o.recipe.hivebox.enable]));
      if (!en.ok || !o.recipe.hivebox.mask.length) return en;
      return step(runTool(['systemctl', `--root=${root}`, 'mask', ...o.recipe.hivebox.mask]));
    }],
    ['fstab, hostname, per-box identity', () => {
      writeFileSync(join(root, 'etc/fstab'), fstab(o.recipe));
      writeFileSync(join(root, 'etc/hostname'), 'hivebox\n');
      writeFileSync(join(root, 'etc/hosts'), '127.0.0.1\tlocalhost\n127.0.1.1\thivebox\n::1\t\tlocalhost ip6-localhost ip6-loopback\n');
      // "uninitialized": systemd makes a fresh machine-id on the first boot (machine-id(5)).
      writeFileSync(join(root, 'etc/machine-id'), 'uninitialized\n');
      rmSync(join(root, 'var/lib/dbus/machine-id'), { force: true });
      for (const f of readdirSync(join(root, 'etc/ssh'))) if (f.startsWith('ssh_host_')) rmSync(join(root, 'etc/ssh', f));
      // Build residue: package lists and caches (the box fetches fresh ones), install logs.
      clearFiles(join(root, 'var/lib/apt/lists'), (f) => f !== 'partial' && f !== 'lock');
      clearFiles(join(root, 'var/cache/apt'), (f) => f.endsWith('.bin'));
      clearFiles(join(root, 'var/cache/debconf'), (f) => f.endsWith('-old'));
      clearFiles(join(root, 'var/log'), (f) => f.endsWith('.log'));
      clearFiles(join(root, 'var/log/apt'), () => true);
      return ok(undefined);
    }],
    ['boot partition files', () => {
      const fw = join(root, 'boot/firmware');
      mkdirSync(fw, { recursive: true });
      for (const f of readdirSync(fw)) renameSync(join(fw, f), join(boot, f));
      if (o.arch === 'amd64') {
        const kernel = amd64BootFiles(root, boot, o.recipe.disk.root_label);
        if (!kernel.ok) return kernel;
      }
      return step(runTool(['install', '-m', '0644', join(o.repo, 'images/hivebox.toml'), join(boot, 'hivebox.toml')]));
    }],
    ['clamp timestamps to SOURCE_DATE_EPOCH', () => {
      const at = `@${o.sourceDateEpoch}`;
      return step(runTool(['find', root, boot, '-newermt', at, '-exec', 'touch', '--no-dereference', '--date', at, '{}', '+']));
    }],
  ];
  for (const [name, fn] of steps) {
    let r: Result<void, string>;
    try {
      r = fn();
    } catch (e) {
      r = err(e instanceof Error ? e.message : String(e));
    }
    if (!r.ok) return err(`stage ${o.arch}: ${name}: ${r.error}`);
    o.log(`stage ${o.arch}: ${name}`);
  }
  return ok({ root, boot });
}
