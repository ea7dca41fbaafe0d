/**
 * `hivebox plugin` runs without JavaScriptCore's JIT (issue 19 §4: the plugin ≤ 35 MiB). The plugin
 * only relays (lightningd's JSON lines → IPC lines), work the interpreter does in microseconds, while
 * the JIT's tiers keep compiled code and their profiling data resident for the process's whole life,
 * which is lightningd's. Measured on the 2-core x64 machine class with the compiled binary, plugin
 * driven through getmanifest + init, then `custommsg` hooks (no daemon socket):
 *
 * | | VmRSS idle after getmanifest | after 3,000 hooks | after 30,000 (VmHWM) | hook answer median / p99 |
 * | --- | --- | --- | --- | --- |
 * | JIT (Bun's default) | 33.7 MiB | 50.1 MiB | 49.8 (58.6) MiB | 0.057 / 0.58 ms |
 * | `BUN_JSC_useJIT=false` | 30.6 MiB | 39.3 MiB | 39.4 (44.2) MiB | 0.073 / 0.26 ms |
 *
 * so +16 µs per hook buys ~10 MiB less under load on a Pi-class box (`Bun.unsafe.setJITPolicy` at
 * start was worse: 44.8 MiB after 3,000 hooks). JavaScriptCore reads its options once, when the VM
 * starts, so the process re-executes itself in place (`execve`: same pid, lightningd's stdio pipes
 * kept, nothing read from stdin yet) with the variable added. Doing it here, inside the program,
 * covers every way lightningd starts the plugin (the image's /usr/lib/hivebox/hivebox-plugin, the
 * checkout's services/cln-plugin/hivebox-plugin, the wrapper `pluginExecutable()` writes, the
 * bytecode-order recorder, an operator's own). An operator who sets `BUN_JSC_useJIT` keeps his value.
 * `tests/bench/appliance.bench.ts` prints both modes side by side.
 */

/** The environment variable JavaScriptCore takes its `useJIT` option from (Bun passes `BUN_JSC_*` on). */
export const JIT_ENV = 'BUN_JSC_useJIT';

/**
 * The argv that starts this same program again with the same arguments, `argv[0]` first. A compiled
 * binary's `process.argv` is `["bun", "/$bunfs/root/<name>", ...args]` and the binary takes only
 * `args`; under `bun main.ts` it is `[bun, script, ...args]`, with Bun's own flags in `execArgv`.
 */
function sameProgramArgv(): string[] {
  const args = process.argv.slice(2);
  if (import.meta.dir.startsWith('/$bunfs/')) return [process.execPath, ...args];
  return [process.execPath, ...process.execArgv, process.argv[1]!, ...args];
}

/**
 * Unless `BUN_JSC_useJIT` is in the environment, replace this process (same pid, same stdio) with the
 * same program run with `BUN_JSC_useJIT=false` added; returns only when it is set already, or when
 * `execve` failed — then one line goes to stderr (lightningd logs it) and the plugin runs with the
 * JIT: this must never stop the plugin. Call it before anything reads stdin.
 */
export function reexecWithoutJit(): void {
  if (process.env[JIT_ENV] !== undefined) return;
  const argv = sameProgramArgv();
  try {
    process.execve!(argv[0]!, argv, { ...process.env, [JIT_ENV]: 'false' });
  } catch (e) {
    process.stderr.write(`hivebox-plugin: could not re-execute without the JIT (${e instanceof Error ? e.message : String(e)}); running with it\n`);
  }
}
