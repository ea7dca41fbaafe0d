/**
 * `bun run build`: compiles the `hivebox` CLI into one self-contained executable per target with
 * `bun build --compile` (bun-platform-probe.md §7–8). The arm64 Bun runtime is fetched from the npm
 * registry on first use and cached by Bun. node-hid's addon is embedded because patches/ makes its
 * require static; everything else is JS. The git commit is baked in through `--define HIVEBOX_COMMIT`
 * (read by runtime/daemon/version.ts). The 2026-02-03 mainnet graph from ../shared/data is embedded
 * when it is there at build time (extra entry points: {@link embeddedGraphFiles}).
 *
 * The bytecode is laid out by a profile of the binary's own starts, recorded while building
 * (bytecode-order.ts): the host's target is built, run, and then every target is built again with
 * that order.
 *
 * Usage: `bun runtime/build/build.ts [x64|arm64 ...]` (default: both) → `dist/hivebox-linux-<arch>`.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_GRAPH_FILES } from '../cli/commands/plan-graph.ts';
import { packageProtoDir } from '../../services/lnd/protos.ts';
import { recordBytecodeOrder } from './bytecode-order.ts';

/** The compile targets Hivebox ships: the Pi-class box (arm64) and PCs / VMs (x64). */
export const TARGETS = { x64: 'bun-linux-x64', arm64: 'bun-linux-arm64' } as const;
/** A target architecture name as used in the output file name. */
export type Arch = keyof typeof TARGETS;

const ROOT = join(import.meta.dir, '../..');
/** The CLI entry point every binary is built from. */
export const ENTRY = join(ROOT, 'runtime/cli/main.ts');
/** Where the binaries land. */
export const DIST = join(ROOT, 'dist');

/** `dist/hivebox-linux-<arch>`. */
export function binaryPath(arch: Arch): string {
  return join(DIST, `hivebox-linux-${arch}`);
}

/**
 * What a binary is built from: the short commit, and with uncommitted changes to tracked files a
 * sha256 of `git diff HEAD` after it (`<sha>-dirty:<hex>`), so an edit after a build is seen.
 * Untracked files are not part of it. `unknown` outside git.
 */
export function sourceStamp(cwd = ROOT): string {
  const commit = gitCommit(cwd);
  if (!commit.endsWith('-dirty')) return commit;
  const diff = Bun.spawnSync(['git', 'diff', 'HEAD'], { cwd, stderr: 'ignore' }).stdout;
  return `${commit}:${new Bun.CryptoHasher('sha256').update(diff).digest('hex').slice(0, 16)}`;
}

/** `dist/hivebox-linux-<arch>.stamp`: the {@link sourceStamp} the binary was built from. */
export function stampPath(arch: Arch): string {
  return `${binaryPath(arch)}.stamp`;
}

/** Short commit of the checkout, with `-dirty` when the tree has uncommitted changes; `unknown` outside git. */
export function gitCommit(cwd = ROOT): string {
  const sha = Bun.spawnSync(['git', 'rev-parse', '--short', 'HEAD'], { cwd, stderr: 'ignore' });
  if (sha.exitCode !== 0) return 'unknown';
  const dirty = Bun.spawnSync(['git', 'status', '--porcelain', '--untracked-files=no'], { cwd, stderr: 'ignore' });
  return sha.stdout.toString().trim() + (dirty.stdout.toString().trim() ? '-dirty' : '');
}

/** Where the mainnet graph data sits at build time: ../shared/data beside the checkout (never committed). */
export const GRAPH_DATA_DIR = join(ROOT, '../shared/data');

/**
 * The default graph's files to embed in the binary (`hivebox plan`/`demo` read them from the
 * binary's /$bunfs when no graph is given: runtime/cli/commands/plan-graph.ts), when both are at
 * hand; else none, and those commands need `--graph` or `[planner] graph`.
 */
export function embeddedGraphFiles(dataDir = GRAPH_DATA_DIR): string[] {
  const files = DEFAULT_GRAPH_FILES.map((f) => join(dataDir, f));
  return files.every((f) => existsSync(f)) ? files : [];
}

/** LND's .proto files from the `lightning` package, embedded so `[lnd]` and `demo --mixed` work from the binary (services/lnd/protos.ts). */
export function lndProtoFiles(): string[] {
  const dir = packageProtoDir();
  return dir ? readdirSync(dir).filter((f) => f.endsWith('.proto')).map((f) => join(dir, f)) : [];
}

/** The `bun build` flags every Hivebox binary is compiled with (what {@link buildArgv} explains). */
export const COMPILE_FLAGS = ['--compile', '--minify', '--bytecode', '--format=esm', '--splitting', '--no-compile-autoload-dotenv', '--no-compile-autoload-bunfig'] as const;

/**
 * The exact `bun build` argv for one target. `--minify --bytecode` cut cold start by about a
 * third in the probe (§7); `--format=esm` is what lets bytecode coexist with main.ts's top-level await;
 * `--splitting` puts every lazily imported command and service in its own chunk inside the binary,
 * so a command loads (and pays bytecode for) only the code it uses (`--version`: 0.27 s → 0.08 s,
 * 41 → 28 MB under load on the 2-core bench machine; issue 19 §4). `order`: bytecode order files
 * (bytecode-order.ts); `outfile`: default `dist/hivebox-linux-<arch>`. A daemon reads neither a `.env` nor a `bunfig.toml` from its working
 * directory: those would change its environment (HIVEBOX_* keys) and runtime behind the operator's
 * back, and each start would look for them.
 */
export function buildArgv(arch: Arch, commit: string, order: readonly string[] = [], outfile = binaryPath(arch)): string[] {
  return [
    process.execPath, 'build', ...COMPILE_FLAGS, ...(order.length ? [`--bytecode-order=${order.join(',')}`] : []),
    `--target=${TARGETS[arch]}`, `--define`, `HIVEBOX_COMMIT=${JSON.stringify(commit)}`,
    ENTRY, ...embeddedGraphFiles(), ...lndProtoFiles(), '--outfile', outfile,
  ];
}

/**
 * Build one target as it is (no recorded order unless `order` is given). @returns the output path and size in bytes.
 * @throws Error with bun's output when the compiler fails.
 */
export function buildTarget(arch: Arch, commit = gitCommit(), order: readonly string[] = [], path = binaryPath(arch)): { path: string; bytes: number } {
  const r = Bun.spawnSync(buildArgv(arch, commit, order, path), { cwd: ROOT, stdout: 'pipe', stderr: 'pipe' });
  if (r.exitCode !== 0) throw new Error(`bun build (${arch}) failed:\n${r.stdout}${r.stderr}`);
  if (path === binaryPath(arch)) writeFileSync(stampPath(arch), `${sourceStamp()}\n`);
  return { path, bytes: Bun.file(path).size };
}

/** The target this machine runs natively (where the bytecode order is recorded). */
export const HOST_ARCH: Arch = process.arch === 'arm64' ? 'arm64' : 'x64';

/**
 * Build `arches` laid out by a recorded bytecode order: the host's target is built into a temp
 * folder and run to record the order (bytecode-order.ts), then each target is built with it. When
 * recording fails, `warn` says why and the targets are built without an order (they work the
 * same, only start a little heavier).
 * @returns each target's path and size in bytes.
 * @throws Error with bun's output when the compiler fails.
 */
export async function buildTargets(arches: readonly Arch[], commit = gitCommit(), warn: (line: string) => void = console.error): Promise<{ path: string; bytes: number }[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hivebox-order-'));
  try {
    let order: string[] = [];
    try {
      order = await recordBytecodeOrder(buildTarget(HOST_ARCH, commit, [], join(dir, 'hivebox')).path, dir);
    } catch (e) {
      warn(`build: bytecode order not recorded (${e instanceof Error ? e.message : String(e)}); building without it`);
    }
    return arches.map((arch) => buildTarget(arch, commit, order));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The binaries of `arches`, those not built from this very source (no dist/ binary, or its stamp
 * differs from {@link sourceStamp}) built first, together (as `bun run build` builds them,
 * {@link buildTargets}: one bytecode-order recording for all): the image build and the appliance
 * bench use it, so neither ships or measures a binary older than the checkout.
 * @returns each binary's path and whether it was (re)built, in `arches` order.
 * @throws Error as {@link buildTarget}.
 */
export async function freshBinaries(arches: readonly Arch[]): Promise<{ path: string; built: boolean }[]> {
  const stamp = sourceStamp();
  const isFresh = (arch: Arch) => existsSync(binaryPath(arch)) && existsSync(stampPath(arch)) && readFileSync(stampPath(arch), 'utf8').trim() === stamp;
  const stale = arches.filter((arch) => !isFresh(arch));
  if (stale.length) await buildTargets(stale);
  return arches.map((arch) => ({ path: binaryPath(arch), built: stale.includes(arch) }));
}

if (import.meta.main) {
  const wanted = process.argv.slice(2);
  const bad = wanted.filter((a) => !(a in TARGETS));
  if (bad.length) {
    console.error(`build: unknown target(s) ${bad.join(', ')}; choose from ${Object.keys(TARGETS).join(', ')}`);
    process.exit(64);
  }
  const commit = gitCommit();
  for (const { path, bytes } of await buildTargets((wanted.length ? wanted : Object.keys(TARGETS)) as Arch[], commit)) console.log(`${path} ${bytes} bytes (${commit})`);
}
