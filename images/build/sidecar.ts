/**
 * The hyperswarm sidecar in the image (issue 10 §1 "packaged for the image"): the sidecar's ESM
 * files (services/swarm/sidecar/*.mjs) and the npm packages it loads — hyperswarm, hyperdht and
 * their dependency closure, resolved from this checkout's node_modules the way Node resolves them —
 * under /opt/hivebox, where systemd/hivebox-swarm.service runs them with Debian's `nodejs`. Native
 * prebuilds for other platforms (udx-native, sodium-native ship darwin, win32, android, …) are
 * left out. Node rather than the hivebox binary: hyperswarm's udx-native needs libuv, which Bun lacks
 * (bun-platform-probe.md §5; services/swarm/README.md).
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { err, ok, type Result } from '../../runtime/core/result.ts';

/** Where the sidecar lives in the image (hivebox-swarm.service: /opt/hivebox/services/swarm/sidecar/main.mjs). */
export const SIDECAR_PREFIX = 'opt/hivebox';
/** The sidecar's own files, relative to the repository. */
export const SIDECAR_DIR = 'services/swarm/sidecar';
/** The bare specifiers the sidecar imports: the roots of the package closure. */
export const SIDECAR_ROOT_PACKAGES = ['hyperswarm', 'hyperdht'] as const;

/** Node's lookup of package `name` from package folder `from`: its node_modules, then each parent's, up to `repo`. */
function resolvePackage(repo: string, from: string, name: string): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === repo || dir === dirname(dir)) return null;
  }
}

/**
 * The package folders (relative to `repo/node_modules`, top level only: nested node_modules travel
 * with their parent) the sidecar needs: dependencies and optional dependencies, transitively.
 * @returns the sorted folder names, or the first dependency that cannot be resolved.
 */
export function sidecarPackages(repo: string): Result<string[], string> {
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const name of SIDECAR_ROOT_PACKAGES) {
    const dir = resolvePackage(repo, repo, name);
    if (!dir) return err(`${name} is not installed (bun install)`);
    queue.push(dir);
  }
  while (queue.length) {
    const dir = queue.pop()!;
    if (seen.has(dir)) continue;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      const found = resolvePackage(repo, dir, dep);
      if (!found) {
        if (pkg.optionalDependencies?.[dep] !== undefined) continue;
        return err(`${relative(repo, dir)} needs ${dep}, which is not installed`);
      }
      queue.push(found);
    }
  }
  const top = join(repo, 'node_modules') + sep;
  return ok([...seen].map((d) => d.slice(top.length)).filter((d) => !d.includes(`${sep}node_modules${sep}`)).sort());
}

/** Keep a file unless it sits in a `prebuilds/<platform>-<arch>` folder for another target than `target`. */
export function keepForTarget(path: string, target: string): boolean {
  const parts = path.split(sep);
  const at = parts.lastIndexOf('prebuilds');
  return at === -1 || at === parts.length - 1 || parts[at + 1] === target;
}

/**
 * Copy the sidecar and its packages into the image root.
 * @param arch the image's Debian architecture (`amd64` → Node's `linux-x64` prebuilds, `arm64` → `linux-arm64`).
 */
export function stageSidecar(repo: string, root: string, arch: 'amd64' | 'arm64'): Result<void, string> {
  const packages = sidecarPackages(repo);
  if (!packages.ok) return packages;
  const target = `linux-${arch === 'amd64' ? 'x64' : 'arm64'}`;
  const dest = join(root, SIDECAR_PREFIX);
  mkdirSync(join(dest, SIDECAR_DIR), { recursive: true });
  for (const f of readdirSync(join(repo, SIDECAR_DIR))) if (f.endsWith('.mjs')) cpSync(join(repo, SIDECAR_DIR, f), join(dest, SIDECAR_DIR, f));
  for (const p of packages.value) cpSync(join(repo, 'node_modules', p), join(dest, 'node_modules', p), { recursive: true, dereference: true, filter: (src) => keepForTarget(src, target) });
  return ok(undefined);
}
