/**
 * The Debian base root filesystem of one architecture: mmdebstrap (Debian's apt-based bootstrapper)
 * with the recipe's packages, pinned to the lock file's versions, cached in a folder keyed by
 * {@link baseKey} so repeated builds skip the download and the (emulated, for arm64) package setup.
 *
 * - The first build of an architecture writes images/lock/<arch>.lock; every later build installs
 *   exactly those versions (apt preferences, Pin-Priority 1001) and fails if it cannot.
 * - A package the recipe added since is installed at the mirror's version and appended to the lock.
 * - arm64 on an x86 host runs the package scripts under qemu-aarch64-static through binfmt_misc
 *   (registered from /usr/lib/binfmt.d/qemu-aarch64.conf with the F flag when missing).
 * - arm64: the initramfs is built once, at the end. Left alone, the kernel's postinst and then the
 *   initramfs-tools trigger each run mkinitramfs (MODULES=most), about 10 minutes apiece under
 *   emulation, so update-initramfs is diverted to a no-op while packages install. The final run's
 *   post-update hook (raspi-firmware z50) copies kernel, initrd and device trees to /boot/firmware
 *   and writes config.txt and cmdline.txt, with root=LABEL=<root label> from /etc/default/raspi-firmware.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { describeToolError, runTool } from './exec.ts';
import { aptPreferences, diffLock, formatPackageList, type PackageVersion, parseDpkgQuery, parsePackageList } from './lock.ts';
import { baseKey, type ImageArch, packagesFor, type Recipe } from './recipe.ts';

/** This file's text: how the base is made is part of the cache key, so a changed hook rebuilds it. */
const BUILDER = readFileSync(import.meta.path, 'utf8');

/** Suffix of the marker file written last next to a finished base folder (a folder without one is a failed build). */
export const BASE_COMPLETE = '.complete';

/** What {@link ensureBase} needs. */
export interface BaseOptions {
  readonly recipe: Recipe;
  readonly arch: ImageArch;
  /** Debian mirror URL (recipe default or override). */
  readonly mirror: string;
  /** Debian security mirror URL. */
  readonly securityMirror: string;
  /** Folder holding `base-<arch>-<key>/` folders. */
  readonly cacheDir: string;
  /** images/lock/<arch>.lock. */
  readonly lockPath: string;
  /** Ignore the lock and record the mirror's current versions. */
  readonly relock: boolean;
  /** SOURCE_DATE_EPOCH for mmdebstrap (unix seconds). */
  readonly sourceDateEpoch: number;
  readonly log: (line: string) => void;
}

/** A ready base root. */
export interface BaseRoot {
  readonly dir: string;
  readonly key: string;
  readonly packages: PackageVersion[];
  /** True when it was built now (false: taken from the cache). */
  readonly built: boolean;
  /** Packages appended to the lock by this build (new in the recipe), or every package after --relock. */
  readonly locked_now: number;
  readonly seconds: number;
}

/** The installed packages of a root, read with the host's dpkg-query (works for a foreign architecture). */
export function installedPackages(root: string): Result<PackageVersion[], string> {
  const r = runTool(['dpkg-query', `--admindir=${join(root, 'var/lib/dpkg')}`, '-W', '-f', '${Package}\t${Version}\t${Architecture}\t${db:Status-Abbrev}\n']);
  return r.ok ? ok(parseDpkgQuery(r.value)) : err(describeToolError(r.error));
}

function lockHeader(arch: ImageArch): string[] {
  return [
    `images/lock/${arch}.lock: the Debian package versions of the ${arch} image, one "name version arch" per line.`,
    'Written by the image build; every later build installs exactly these (apt preferences, Pin-Priority 1001).',
    'Refresh from the mirror with: bun run image -- --arch ' + arch + ' --relock',
  ];
}

/** Make binfmt_misc run aarch64 binaries through qemu-aarch64-static (needed for arm64 on x86). */
export function ensureArm64Emulation(): Result<void, string> {
  if (process.arch === 'arm64') return ok(undefined);
  const dir = '/proc/sys/fs/binfmt_misc';
  if (!existsSync(join(dir, 'register'))) {
    const m = runTool(['mount', '-t', 'binfmt_misc', 'binfmt_misc', dir]);
    if (!m.ok) return err(`binfmt_misc not available: ${describeToolError(m.error)}`);
  }
  if (existsSync(join(dir, 'qemu-aarch64'))) return ok(undefined);
  const conf = '/usr/lib/binfmt.d/qemu-aarch64.conf';
  if (!existsSync(conf)) return err(`${conf} missing: apt-get install qemu-user-static`);
  try {
    writeFileSync(join(dir, 'register'), readFileSync(conf, 'utf8').trim());
  } catch (e) {
    return err(`registering qemu-aarch64 with binfmt_misc failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  return ok(undefined);
}

const INITRAMFS = '/usr/sbin/update-initramfs';

/** mmdebstrap hooks for the Pi: one initramfs build at the end, root by label, serial + HDMI consoles. */
function arm64Hooks(rootLabel: string): string[] {
  return [
    `--essential-hook=chroot "$1" dpkg-divert --quiet --local --rename --divert ${INITRAMFS}.hivebox --add ${INITRAMFS} && printf '#!/bin/sh\\nexit 0\\n' > "$1${INITRAMFS}" && chmod 0755 "$1${INITRAMFS}"`,
    `--customize-hook=sed -i -e 's|^#\\?ROOTPART=.*|ROOTPART=LABEL=${rootLabel}|' -e 's|^#\\?CONSOLES=.*|CONSOLES="ttyS1,115200 tty0"|' "$1/etc/default/raspi-firmware"`,
    `--customize-hook=rm "$1${INITRAMFS}" && chroot "$1" dpkg-divert --quiet --local --rename --remove ${INITRAMFS} && chroot "$1" update-initramfs -c -k all`,
  ];
}

function sources(o: BaseOptions): string {
  const comps = o.recipe.packages.arch[o.arch].components.join(' ');
  const suite = o.recipe.debian.suite;
  return [`deb ${o.mirror} ${suite} ${comps}`, `deb ${o.mirror} ${suite}-updates ${comps}`, `deb ${o.securityMirror} ${suite}-security ${comps}`].join('\n');
}

/** Remove the arch's other cached bases (superseded by a lock or recipe change) to bound the cache. */
function pruneOtherBases(cacheDir: string, arch: ImageArch, keep: string): void {
  for (const f of readdirSync(cacheDir)) {
    const path = join(cacheDir, f);
    if (f.startsWith(`base-${arch}-`) && path !== keep && path !== keep + BASE_COMPLETE) rmSync(path, { recursive: true, force: true });
  }
}

/**
 * Return the cached base root for the recipe, arch and lock, building it with mmdebstrap when the
 * cache has none. Writes or extends the lock file. @returns the base, or why it could not be made.
 */
export function ensureBase(o: BaseOptions): Result<BaseRoot, string> {
  const started = performance.now();
  const lockText = o.relock || !existsSync(o.lockPath) ? '' : readFileSync(o.lockPath, 'utf8');
  const lock = parsePackageList(lockText);
  if (!lock.ok) return err(`${o.lockPath}: ${lock.error}`);
  const cached = join(o.cacheDir, `base-${o.arch}-${baseKey(o.recipe, o.arch, lockText, BUILDER)}`);
  if (existsSync(cached + BASE_COMPLETE)) {
    const pk = installedPackages(cached);
    if (!pk.ok) return err(pk.error);
    o.log(`base ${o.arch}: cached ${cached}`);
    return ok({ dir: cached, key: cached.slice(-16), packages: pk.value, built: false, locked_now: 0, seconds: (performance.now() - started) / 1000 });
  }
  if (o.arch === 'arm64') {
    const emu = ensureArm64Emulation();
    if (!emu.ok) return emu;
  }
  mkdirSync(o.cacheDir, { recursive: true });
  const tmp = join(o.cacheDir, `tmp-base-${o.arch}`);
  rmSync(tmp, { recursive: true, force: true });
  const prefs = join(o.cacheDir, `lock-${o.arch}.pref`);
  writeFileSync(prefs, aptPreferences(lock.value));
  const { debian } = o.recipe;
  const argv = [
    'mmdebstrap', '--mode=root', `--variant=${debian.variant}`, `--architectures=${o.arch}`,
    '--aptopt=APT::Install-Recommends "false"',
    // merged /usr by directory symlinks, as debootstrap does, instead of the usrmerge package (and perl).
    '--hook-dir=/usr/share/mmdebstrap/hooks/merged-usr',
    ...debian.dpkg_exclude.map((p) => `--dpkgopt=path-exclude=${p}`),
    ...debian.dpkg_include.map((p) => `--dpkgopt=path-include=${p}`),
    `--include=${packagesFor(o.recipe, o.arch).join(',')}`,
    `--setup-hook=mkdir -p "$1/etc/apt/preferences.d" && cp ${JSON.stringify(prefs)} "$1/etc/apt/preferences.d/hivebox-lock"`,
    ...(o.arch === 'arm64' ? arm64Hooks(o.recipe.disk.root_label) : []),
    // The pins are for building only: the box itself may take Debian's security updates.
    '--customize-hook=rm -f "$1/etc/apt/preferences.d/hivebox-lock"',
    debian.suite, tmp, sources(o),
  ];
  o.log(`base ${o.arch}: mmdebstrap ${packagesFor(o.recipe, o.arch).length} packages from ${o.mirror}${lock.value.length ? ` (pinned by ${o.lockPath})` : ' (no lock yet: recording versions)'}`);
  const r = runTool(argv, { env: { SOURCE_DATE_EPOCH: String(o.sourceDateEpoch) }, stream: true });
  rmSync(prefs, { force: true });
  if (!r.ok) {
    rmSync(tmp, { recursive: true, force: true });
    return err(`mmdebstrap failed (exit ${r.error.exit_code}); a locked version missing from the mirror needs --relock`);
  }
  const pk = installedPackages(tmp);
  if (!pk.ok) return err(pk.error);
  const diff = diffLock(lock.value, pk.value);
  if (diff.changed.length) {
    return err(`pinning failed, installed versions differ from ${o.lockPath}: ${diff.changed.map((c) => `${c.name} ${c.locked} → ${c.installed}`).join(', ')}`);
  }
  const newLockText = formatPackageList(lockHeader(o.arch), [...lock.value, ...diff.added]);
  if (newLockText !== lockText) writeFileSync(o.lockPath, newLockText);
  const dir = join(o.cacheDir, `base-${o.arch}-${baseKey(o.recipe, o.arch, newLockText, BUILDER)}`);
  rmSync(dir, { recursive: true, force: true });
  rmSync(dir + BASE_COMPLETE, { force: true });
  renameSync(tmp, dir);
  writeFileSync(dir + BASE_COMPLETE, `${new Date().toISOString()}\n`);
  pruneOtherBases(o.cacheDir, o.arch, dir);
  if (diff.added.length) o.log(`base ${o.arch}: ${diff.added.length} package versions recorded in ${o.lockPath} (commit it)`);
  return ok({ dir, key: dir.slice(-16), packages: pk.value, built: true, locked_now: diff.added.length, seconds: (performance.now() - started) / 1000 });
}
