/**
 * Version string for `hivebox --version`: package version, git commit and compile target.
 * `HIVEBOX_COMMIT` is injected with `bun build --define` at build time; from a checkout it reads git.
 */
import pkg from '../../package.json' with { type: 'json' };

declare const HIVEBOX_COMMIT: string | undefined;

function commit(): string {
  if (typeof HIVEBOX_COMMIT === 'string') return HIVEBOX_COMMIT;
  const r = Bun.spawnSync(['git', 'rev-parse', '--short', 'HEAD'], { cwd: import.meta.dir, stderr: 'ignore' });
  return r.exitCode === 0 ? r.stdout.toString().trim() : 'unknown';
}

/** `hivebox <version> (<commit>) <os>-<arch>`. */
export function versionLine(): string {
  return `hivebox ${pkg.version} (${commit()}) ${process.platform}-${process.arch}`;
}
