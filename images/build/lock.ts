/**
 * Package version pinning for reproducible images: the lock file (images/lock/<arch>.lock, one
 * `name version architecture` line per installed package), the apt preferences that make apt
 * install exactly those versions (Pin-Priority 1001, apt_preferences(5)), and the comparison of
 * a finished root's package list with the lock.
 */
import { err, ok, type Result } from '../../runtime/core/result.ts';

/** One installed package: Debian name, version string, architecture (`arm64`, `amd64`, `all`). */
export interface PackageVersion {
  readonly name: string;
  readonly version: string;
  readonly arch: string;
}

const LINE = /^([a-z0-9][a-z0-9+.-]+) ([0-9][A-Za-z0-9.+~:-]*) ([a-z0-9]+)$/;

/** Parse lock or manifest text; `#` lines and blank lines are skipped. @returns the entries or the first bad line. */
export function parsePackageList(text: string): Result<PackageVersion[], string> {
  const out: PackageVersion[] = [];
  const seen = new Set<string>();
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) return err(`line ${i + 1}: expected "name version arch", got ${JSON.stringify(line.slice(0, 80))}`);
    if (seen.has(m[1]!)) return err(`line ${i + 1}: ${m[1]} listed twice`);
    seen.add(m[1]!);
    out.push({ name: m[1]!, version: m[2]!, arch: m[3]! });
  }
  return ok(out);
}

/** Lock/manifest text: the header comment lines, then one sorted line per package. */
export function formatPackageList(header: readonly string[], packages: readonly PackageVersion[]): string {
  const lines = [...packages].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((p) => `${p.name} ${p.version} ${p.arch}`);
  return [...header.map((h) => `# ${h}`), ...lines, ''].join('\n');
}

/**
 * Parse `dpkg-query -W -f '${Package}\t${Version}\t${Architecture}\t${db:Status-Abbrev}\n'` output:
 * only fully installed (`ii`) packages are kept.
 */
export function parseDpkgQuery(text: string): PackageVersion[] {
  const out: PackageVersion[] = [];
  for (const line of text.split('\n')) {
    const [name, version, arch, status] = line.split('\t');
    if (name && version && arch && status?.startsWith('ii')) out.push({ name, version, arch });
  }
  return out;
}

/** apt preferences pinning every locked package to its exact version (apt then refuses any other). */
export function aptPreferences(lock: readonly PackageVersion[]): string {
  return lock.map((p) => `Package: ${p.name}\nPin: version ${p.version}\nPin-Priority: 1001\n`).join('\n');
}

/** How an installed package list differs from the lock. */
export interface LockDiff {
  /** Installed at a version other than the locked one (pinning failed: a build error). */
  readonly changed: { name: string; locked: string; installed: string }[];
  /** Installed but not in the lock (a package the recipe added since the lock was written). */
  readonly added: PackageVersion[];
}

/** Compare what a root holds with the lock. */
export function diffLock(lock: readonly PackageVersion[], installed: readonly PackageVersion[]): LockDiff {
  const locked = new Map(lock.map((p) => [p.name, p.version]));
  const changed: LockDiff['changed'] = [];
  const added: PackageVersion[] = [];
  for (const p of installed) {
    const v = locked.get(p.name);
    if (v === undefined) added.push(p);
    else if (v !== p.version) changed.push({ name: p.name, locked: v, installed: p.version });
  }
  return { changed, added };
}
