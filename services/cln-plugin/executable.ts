/**
 * Where the plugin executable lives: in a checkout, the one-line wrapper lightningd is pointed at
 * (`plugin=…/services/cln-plugin/hivebox-plugin`); in a compiled binary, a wrapper that runs the
 * binary itself with the `plugin` command, as the appliance's /usr/lib/hivebox/hivebox-plugin does.
 * simnet launches the same file.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Absolute path of `services/cln-plugin/hivebox-plugin` (absent inside a compiled binary). */
export const HIVEBOX_PLUGIN_EXECUTABLE = join(import.meta.dir, 'hivebox-plugin');

/** A POSIX shell word that stands for `s` exactly. */
function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/**
 * The plugin executable to hand to lightningd: the checkout's wrapper when there is one, else (a
 * compiled binary, whose sources are not on disk) a wrapper written to `dir`/hivebox-plugin that
 * runs `process.execPath plugin "$@"`. @returns its absolute path.
 * @throws Error when `dir` is not writable.
 */
export function pluginExecutable(dir: string): string {
  if (existsSync(HIVEBOX_PLUGIN_EXECUTABLE)) return HIVEBOX_PLUGIN_EXECUTABLE;
  const path = join(dir, 'hivebox-plugin');
  writeFileSync(path, `#!/bin/sh\n# hivebox plugin from the binary that wrote this file\nexec ${shellQuote(process.execPath)} plugin "$@"\n`, { mode: 0o755 });
  return path;
}
