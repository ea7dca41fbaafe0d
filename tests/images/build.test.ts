/**
 * The image build's pure parts: the shipped recipe and example boot file, recipe errors, the lock
 * file round trip and pinning preferences, the lock diff, the disk layout and its sfdisk script.
 * (The build itself runs in CI steps 40/41, as root.)
 */
import { describe, expect, test } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diskLayout, FIRST_SECTOR, derivedUuid, rootSizeMib, sfdiskScript } from '../../images/build/disk.ts';
import { aptPreferences, diffLock, formatPackageList, parseDpkgQuery, parsePackageList } from '../../images/build/lock.ts';
import { baseKey, packagesFor, parseRecipe } from '../../images/build/recipe.ts';
import { keepForTarget, SIDECAR_DIR, SIDECAR_PREFIX, SIDECAR_ROOT_PACKAGES, sidecarPackages } from '../../images/build/sidecar.ts';
import { defaultSidecarMain, IMAGE_SIDECAR_MAIN, SIDECAR_MAIN } from '../../services/swarm/sidecar-link.ts';
import { RUNTIME_FILES } from '../../images/build/stage.ts';
import { readBootFile } from '../../runtime/firstboot/settings.ts';

const REPO = join(import.meta.dir, '../..');
const recipeText = readFileSync(join(REPO, 'images/recipe.toml'), 'utf8');

describe('recipe', () => {
  test('the shipped recipe parses; arm64 adds the Pi kernel and firmware', () => {
    const r = parseRecipe(recipeText);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(packagesFor(r.value, 'arm64')).toEqual(expect.arrayContaining(['linux-image-arm64', 'raspi-firmware', 'mosquitto', 'libusb-1.0-0', 'openssh-server']));
    expect(packagesFor(r.value, 'amd64')).not.toContain('linux-image-arm64');
    expect(r.value.hivebox.enable).toContain('hivebox-firstboot.service');
  });

  test('an unknown key or bad value is an error naming it', () => {
    const unknown = parseRecipe(`${recipeText}\n[extra]\nx = 1\n`);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error.message).toContain('extra');
    const bad = parseRecipe(recipeText.replace('boot_label = "RASPIFIRM"', 'boot_label = "lower-case-too-long"'));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toStartWith('recipe key disk.boot_label');
    expect(parseRecipe('[debian').ok).toBe(false);
  });

  test('the base cache key follows the lock and the package list, not the mirror', () => {
    const r = parseRecipe(recipeText);
    if (!r.ok) throw new Error(r.error.message);
    const k = baseKey(r.value, 'arm64', 'a 1 arm64\n', 'builder');
    expect(baseKey(r.value, 'arm64', 'a 1 arm64\n', 'builder')).toBe(k);
    expect(baseKey(r.value, 'arm64', 'a 2 arm64\n', 'builder')).not.toBe(k);
    expect(baseKey(r.value, 'amd64', 'a 1 arm64\n', 'builder')).not.toBe(k);
    expect(baseKey(r.value, 'arm64', 'a 1 arm64\n', 'builder v2')).not.toBe(k);
    const otherMirror = { ...r.value, debian: { ...r.value.debian, mirror: 'http://mirror.example/debian' } };
    expect(baseKey(otherMirror, 'arm64', 'a 1 arm64\n', 'builder')).toBe(k);
  });

  test('every appliance runtime file the image installs exists in systemd/', () => {
    for (const f of RUNTIME_FILES) expect(() => readFileSync(join(REPO, f.from))).not.toThrow();
  });

  test('the example hivebox.toml on the boot partition parses with no refused keys', () => {
    const imported = readBootFile(Bun.TOML.parse(readFileSync(join(REPO, 'images/hivebox.toml'), 'utf8')));
    expect(imported.problems).toEqual([]);
    expect(imported.values).toEqual({});
  });
});

describe('lock file', () => {
  const pkgs = [
    { name: 'systemd', version: '252.39-1~deb12u2', arch: 'arm64' },
    { name: 'base-files', version: '12.4+deb12u12', arch: 'arm64' },
    { name: 'tzdata', version: '2025b-0+deb12u2', arch: 'all' },
  ];

  test('round trip: sorted lines, header comments skipped', () => {
    const text = formatPackageList(['header'], pkgs);
    expect(text.split('\n')[1]).toBe('base-files 12.4+deb12u12 arm64');
    const back = parsePackageList(text);
    expect(back.ok && back.value.map((p) => p.name)).toEqual(['base-files', 'systemd', 'tzdata']);
  });

  test('malformed or duplicate lines are refused with the line number', () => {
    expect(parsePackageList('systemd 252\n')).toEqual({ ok: false, error: expect.stringContaining('line 1') });
    expect(parsePackageList('ab 1 all\nab 2 all\n')).toEqual({ ok: false, error: 'line 2: ab listed twice' });
  });

  test('dpkg-query output: only installed packages', () => {
    expect(parseDpkgQuery('systemd\t252\tarm64\tii \nold\t1\tarm64\trc \n')).toEqual([{ name: 'systemd', version: '252', arch: 'arm64' }]);
  });

  test('apt preferences pin each locked version above everything else', () => {
    expect(aptPreferences(pkgs.slice(0, 1))).toBe('Package: systemd\nPin: version 252.39-1~deb12u2\nPin-Priority: 1001\n');
  });

  test('diff: a changed version is reported, a new package is an addition', () => {
    const d = diffLock(pkgs, [{ ...pkgs[0]!, version: '252.40' }, pkgs[1]!, { name: 'new', version: '1', arch: 'all' }]);
    expect(d.changed).toEqual([{ name: 'systemd', locked: '252.39-1~deb12u2', installed: '252.40' }]);
    expect(d.added.map((p) => p.name)).toEqual(['new']);
  });
});

describe('disk layout', () => {
  const r = parseRecipe(recipeText);
  if (!r.ok) throw new Error(r.error.message);

  test('4 MiB gap, boot then root back to back, sizes in whole 4 MiB steps', () => {
    const l = diskLayout(r.value, rootSizeMib(700, 384), 'seed');
    expect(l.boot).toEqual({ start: FIRST_SECTOR, sectors: r.value.disk.boot_mib * 2048 });
    expect(l.root.start).toBe(l.boot.start + l.boot.sectors);
    expect(l.total_sectors).toBe(l.root.start + l.root.sectors);
    expect(rootSizeMib(700, 384) % 4).toBe(0);
    expect(rootSizeMib(700, 384)).toBeGreaterThanOrEqual(700 * 1.1 + 384);
  });

  test('sfdisk script: dos label, derived disk id, FAT32 LBA bootable + Linux', () => {
    const l = diskLayout(r.value, 1024, 'seed');
    const s = sfdiskScript(l);
    expect(s).toContain('label: dos\nlabel-id: 0x');
    expect(s).toContain(`start=8192, size=${r.value.disk.boot_mib * 2048}, type=c, bootable`);
    expect(s).toContain(`start=${l.root.start}, size=${1024 * 2048}, type=83`);
    expect(diskLayout(r.value, 1024, 'seed').disk_id).toBe(l.disk_id);
    expect(diskLayout(r.value, 1024, 'other').disk_id).not.toBe(l.disk_id);
  });

  test('derived UUIDs are stable RFC 4122 version 4 strings', () => {
    const u = derivedUuid('seed', 'ext4');
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(derivedUuid('seed', 'ext4')).toBe(u);
    expect(derivedUuid('seed', 'ext4-hash')).not.toBe(u);
  });
});

describe('swarm sidecar in the image', () => {
  test('the package closure holds the sidecar imports and their native addons, resolved from node_modules', () => {
    const p = sidecarPackages(REPO);
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.value).toEqual(expect.arrayContaining(['hyperswarm', 'hyperdht', 'udx-native', 'sodium-native', '@hyperswarm/secret-stream']));
    expect(p.value).not.toContain('node-hid');
    expect(p.value).not.toContain('mqtt');
  });

  test('the roots are exactly the bare specifiers the sidecar imports', () => {
    const imported = new Set<string>();
    for (const f of readdirSync(join(REPO, SIDECAR_DIR)).filter((n) => n.endsWith('.mjs'))) {
      for (const m of readFileSync(join(REPO, SIDECAR_DIR, f), 'utf8').matchAll(/^import .* from '([^'.][^']*)'$/gm)) if (!m[1]!.startsWith('node:')) imported.add(m[1]!);
    }
    expect([...imported].sort()).toEqual([...SIDECAR_ROOT_PACKAGES].sort());
  });

  test('the daemon spawns the sidecar where the image installs it when it runs without a checkout', () => {
    expect(IMAGE_SIDECAR_MAIN).toBe(`/${SIDECAR_PREFIX}/${SIDECAR_DIR}/main.mjs`);
    expect(defaultSidecarMain()).toBe(SIDECAR_MAIN);
  });

  test('prebuilds for other targets are left out; everything else is kept', () => {
    expect(keepForTarget('/r/node_modules/udx-native/prebuilds/linux-arm64/udx-native.node', 'linux-arm64')).toBe(true);
    expect(keepForTarget('/r/node_modules/udx-native/prebuilds/darwin-arm64/udx-native.node', 'linux-arm64')).toBe(false);
    expect(keepForTarget('/r/node_modules/udx-native/prebuilds', 'linux-x64')).toBe(true);
    expect(keepForTarget('/r/node_modules/udx-native/lib/stream.js', 'linux-x64')).toBe(true);
  });
});
