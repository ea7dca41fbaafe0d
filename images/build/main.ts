/**
 * `bun run image -- --arch arm64|amd64 [options]`: builds the flashable Hivebox appliance image
 * from images/recipe.toml (images/README.md). Steps: Debian base (cached by recipe + lock hash,
 * base.ts) → staged root + boot files (stage.ts) → partitioned disk image (disk.ts) → compressed
 * image, checksum, package manifest and build.json (artifacts.ts) in dist/images/.
 * Needs root (mmdebstrap, chroot, chown) and, for arm64 on x86, qemu-user-static.
 *
 * Options: --out DIR (dist/images) · --cache DIR ($HIVEBOX_IMAGE_CACHE, /var/cache/hivebox-image)
 * · --mirror URL ($HIVEBOX_IMAGE_MIRROR) · --security-mirror URL · --lightningd TREE · --binary FILE
 * · --relock · --keep-raw · --compression xz|zstd · --compression-level N · --recipe FILE. Exit 0 built, 1 build failed, 64 bad usage.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { binaryPath, freshBinaries, gitCommit } from '../../runtime/build/build.ts';
import { compressImage, fileSizes, sha256File, writeChecksum } from './artifacts.ts';
import { ensureBase } from './base.ts';
import { buildDisk, derivedHex } from './disk.ts';
import { runTool } from './exec.ts';
import { formatPackageList } from './lock.ts';
import { IMAGE_ARCHES, type ImageArch, loadRecipe } from './recipe.ts';
import { stageRoot } from './stage.ts';

const REPO = resolve(import.meta.dir, '../..');

/** Host tools the build runs, and the Debian package that has each. */
export const REQUIRED_TOOLS: Readonly<Record<string, string>> = {
  mmdebstrap: 'mmdebstrap',
  'mkfs.vfat': 'dosfstools',
  mcopy: 'mtools',
  'mkfs.ext4': 'e2fsprogs',
  sfdisk: 'fdisk',
  xz: 'xz-utils',
  'systemd-sysusers': 'systemd',
  'dpkg-query': 'dpkg',
};

function fail(message: string, code = 1): never {
  console.error(`image: ${message}`);
  process.exit(code);
}

function missingTools(arch: ImageArch): string[] {
  // A foreign architecture also needs arch-test: mmdebstrap refuses without it ("install arch-test
  // for foreign architecture support").
  const foreign = arch === 'arm64' && process.arch !== 'arm64' ? { 'qemu-aarch64-static': 'qemu-user-static', 'arch-test': 'arch-test' } : {};
  const tools = { ...REQUIRED_TOOLS, ...foreign };
  return Object.entries(tools)
    .filter(([tool]) => Bun.which(tool, { PATH: `${process.env.PATH}:/usr/sbin:/sbin` }) === null)
    .map(([, pkg]) => pkg);
}

function sourceDateEpoch(): number {
  const env = Number(process.env.SOURCE_DATE_EPOCH);
  if (Number.isInteger(env) && env > 0) return env;
  const r = runTool(['git', '-C', REPO, 'log', '-1', '--format=%ct']);
  return r.ok ? Number(r.value.trim()) : 0;
}

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: {
    arch: { type: 'string' },
    out: { type: 'string', default: join(REPO, 'dist/images') },
    cache: { type: 'string', default: process.env.HIVEBOX_IMAGE_CACHE ?? '/var/cache/hivebox-image' },
    mirror: { type: 'string' },
    'security-mirror': { type: 'string' },
    lightningd: { type: 'string' },
    binary: { type: 'string' },
    recipe: { type: 'string', default: join(REPO, 'images/recipe.toml') },
    relock: { type: 'boolean', default: false },
    'keep-raw': { type: 'boolean', default: false },
    compression: { type: 'string' },
    'compression-level': { type: 'string' },
  },
  strict: true,
});

const arch = values.arch as ImageArch;
if (!(arch in IMAGE_ARCHES)) fail(`--arch must be one of ${Object.keys(IMAGE_ARCHES).join(', ')}`, 64);
if (process.getuid?.() !== 0) fail('needs root (mmdebstrap, chroot, file ownership in the image)', 64);
const missing = missingTools(arch);
if (missing.length) fail(`missing host tools: apt-get install ${[...new Set(missing)].join(' ')}`, 64);
const recipeR = loadRecipe(values.recipe!);
if (!recipeR.ok) fail(recipeR.error.message, 64);
const recipe = recipeR.value;
const lightningdTree = values.lightningd ?? (recipe.hivebox.lightningd_tree || null);
// --compression: the recipe's xz is what flashing tools read; the boot tests' throw-away images use zstd, many times faster.
const compression = (values.compression ?? recipe.disk.compression) as 'xz' | 'zstd';
if (compression !== 'xz' && compression !== 'zstd') fail('--compression must be xz or zstd', 64);
if (compression === 'zstd' && !Bun.which('zstd')) fail('missing host tools: apt-get install zstd', 64);
const level = values['compression-level'] !== undefined ? Number(values['compression-level']) : recipe.disk.compression_level;
if (!Number.isInteger(level) || level < 0 || level > 19) fail('--compression-level must be an integer 0-19', 64);

const started = performance.now();
const log = (line: string) => console.error(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${line}`);
const epoch = sourceDateEpoch();
const binArch = IMAGE_ARCHES[arch];
const binary = resolve(values.binary ?? binaryPath(binArch));
if (values.binary && !existsSync(binary)) fail(`--binary ${binary}: no such file`, 64);
if (!values.binary) {
  log(`checking ${binary} against the checkout`);
  const built = (await freshBinaries([binArch]))[0]!.built;
  log(built ? `built ${binary}` : `${binary} is built from this checkout`);
}

const base = ensureBase({
  recipe,
  arch,
  mirror: values.mirror ?? process.env.HIVEBOX_IMAGE_MIRROR ?? recipe.debian.mirror,
  securityMirror: values['security-mirror'] ?? process.env.HIVEBOX_IMAGE_SECURITY_MIRROR ?? recipe.debian.mirror.replace(/\/debian\/?$/, '/debian-security'),
  cacheDir: values.cache!,
  lockPath: join(REPO, `images/lock/${arch}.lock`),
  relock: values.relock!,
  sourceDateEpoch: epoch,
  log,
});
if (!base.ok) fail(base.error);
const tBase = performance.now();

const binarySha = await sha256File(binary);
const seed = derivedHex(`${base.value.key}/${binarySha}/${readFileSync(values.recipe!, 'utf8')}`, 'build', 32);
const staged = stageRoot({ recipe, arch, base: base.value.dir, stageDir: join(values.cache!, `stage-${arch}`), binary, repo: REPO, lightningdTree, sourceDateEpoch: epoch, log });
if (!staged.ok) fail(staged.error);
const tStage = performance.now();

const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const commit = gitCommit(REPO);
const name = `hivebox-${version}-${arch}`;
mkdirSync(values.out!, { recursive: true });
const disk = buildDisk({ recipe, root: staged.value.root, boot: staged.value.boot, out: join(values.out!, `${name}.img`), seed, sourceDateEpoch: epoch });
if (!disk.ok) fail(disk.error);
log(`disk ${disk.value.path}: ${(disk.value.bytes / 2 ** 20).toFixed(0)} MiB (root contents ${disk.value.root_used_mib} MiB)`);
const tDisk = performance.now();

const compressed = compressImage(disk.value.path, compression, level, values['keep-raw']!);
if (!compressed.ok) fail(compressed.error);
const sha256 = await writeChecksum(compressed.value);
const tCompress = performance.now();

const header = [
  `${name}: Hivebox ${version} (${commit}) appliance image for ${arch}, Debian ${recipe.debian.suite}`,
  `image ${compressed.value.split('/').pop()} sha256 ${sha256}`,
  `hivebox binary sha256 ${binarySha}; base ${base.value.key}; lightningd ${lightningdTree ? `from ${lightningdTree}` : 'not installed'}`,
  'installed Debian packages (name version arch):',
];
writeFileSync(join(values.out!, `${name}.manifest`), formatPackageList(header, base.value.packages));
const s = (a: number, b: number) => Math.round((b - a) / 100) / 10;
const figures = {
  image: compressed.value,
  sha256,
  arch,
  version,
  commit,
  packages: base.value.packages.length,
  compressed_bytes: fileSizes(compressed.value).bytes,
  raw_bytes: disk.value.bytes,
  root_used_mib: disk.value.root_used_mib,
  boot_mib: recipe.disk.boot_mib,
  base_from_cache: !base.value.built,
  seconds: { base: s(started, tBase), stage: s(tBase, tStage), disk: s(tStage, tDisk), compress: s(tDisk, tCompress), total: s(started, tCompress) },
  stage_root: staged.value.root,
  layout: disk.value.layout,
};
writeFileSync(join(values.out!, `${name}.build.json`), `${JSON.stringify(figures, null, 2)}\n`);
log(`done: ${compressed.value} (${(figures.compressed_bytes / 2 ** 20).toFixed(1)} MiB compressed, ${figures.root_used_mib} MiB installed)`);
console.log(JSON.stringify({ image: figures.image, sha256, compressed_bytes: figures.compressed_bytes, raw_bytes: figures.raw_bytes, root_used_mib: figures.root_used_mib, seconds: figures.seconds }));
