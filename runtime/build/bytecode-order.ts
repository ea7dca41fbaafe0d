/**
 * Profile-guided layout of the binary's bytecode (`bun build --compile --bytecode --bytecode-order`,
 * Bun's `CompileBuildOptions.bytecodeOrder`): a binary run with `BUN_BYTECODE_ORDER_OUT=<file>`
 * writes which functions it used; built again with those files, Bun puts that bytecode together at
 * the front of the embedded module graph, so a start touches fewer pages of the binary (issue 19 §4:
 * `hivebox run` 63.5 → 60.7 MiB steady RSS on x64).
 *
 * The profile is recorded at build time from the binary just built, never committed: the three ways
 * the appliance starts it, most common first — `hivebox run` as systemd runs it (against a simnet
 * CLN v26.06 node, runtime/sim/simnet, until READY and a few ticks after; no signer plugged), the
 * plugin as lightningd starts it (the same simnet node launches the binary's `plugin` command and it
 * relays to that daemon), and `--version`. A profile recorded on one architecture lays out both
 * (the order names functions by their source, not by machine code).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimNetwork } from '../sim/simnet/index.ts';

/** How long `hivebox run` may take to log `ready` while recording, ms. */
const READY_TIMEOUT_MS = 60_000;
/** How long the daemon keeps running after READY (ticks, status refresh, probe rounds), ms. */
const AFTER_READY_MS = 2_000;

/** The environment of a recorded process: ours without HIVEBOX_* and systemd's variables, plus `extra`. */
function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const own = Object.entries(process.env).filter(([k]) => !k.startsWith('HIVEBOX_') && k !== 'NOTIFY_SOCKET' && k !== 'WATCHDOG_USEC');
  return { ...(Object.fromEntries(own) as Record<string, string>), ...extra };
}

/**
 * Resolve once a JSON log line on `stream` has `"event":"ready"`; the stream is drained to its end
 * after that, so the daemon never blocks on a full pipe.
 * @throws Error when the stream ends first or after `timeout_ms`.
 */
async function untilReady(stream: ReadableStream<Uint8Array>, timeout_ms: number): Promise<void> {
  const dec = new TextDecoder();
  let seen = '';
  let ready = false;
  const { promise, resolve, reject } = Promise.withResolvers<void>();
  const timer = setTimeout(() => reject(new Error(`no "ready" within ${timeout_ms} ms: ${seen.slice(-400)}`)), timeout_ms);
  void (async () => {
    for await (const chunk of stream) {
      if (ready) continue;
      seen += dec.decode(chunk, { stream: true });
      if (seen.includes('"event":"ready"')) {
        ready = true;
        resolve();
      }
    }
    reject(new Error(`hivebox run exited before READY: ${seen.slice(-400)}`));
  })().catch(reject);
  try {
    await promise;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Run `bin` the ways the appliance starts it, each writing its bytecode order file.
 * @returns the order files, most common start first (daemon, plugin, `--version`), to pass to
 *   `--bytecode-order`. Everything is written in `dir` (the caller removes it).
 * @throws Error when the daemon does not reach READY or a run writes no order file.
 */
export async function recordBytecodeOrder(bin: string, dir: string): Promise<string[]> {
  const files = { run: join(dir, 'run.order'), plugin: join(dir, 'plugin.order'), version: join(dir, 'version.order') };
  const plugin = join(dir, 'hivebox-plugin');
  writeFileSync(plugin, `#!/bin/sh\nBUN_BYTECODE_ORDER_OUT='${files.plugin}' exec '${bin}' plugin "$@"\n`, { mode: 0o755 });
  const net = await SimNetwork.create();
  try {
    const socket = join(dir, 'plugin.sock');
    const node = await net.addNode({ name: 'order', plugins: [{ path: plugin, options: { 'hivebox-socket': socket } }] });
    const sets = [
      `hive.store_path=${JSON.stringify(join(dir, 'hive.db'))}`,
      'signer.transport="unix-socket"',
      `signer.path=${JSON.stringify(join(dir, 'no-signer.sock'))}`,
      `supervisor.plugin_path=${JSON.stringify(plugin)}`,
      'supervisor.interval_ms=200',
      'supervisor.mosquitto_unit=""',
      `daemon.hive_role_file=${JSON.stringify(join(dir, 'no-role.json'))}`,
      'log.level="info"',
    ];
    const proc = Bun.spawn([bin, 'run', '--rpc-file', node.rpcPath, '--socket', socket, ...sets.flatMap((s) => ['--set', s])], {
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: 'pipe',
      env: cleanEnv({ BUN_BYTECODE_ORDER_OUT: files.run }),
    });
    try {
      await untilReady(proc.stderr, READY_TIMEOUT_MS);
      await Bun.sleep(AFTER_READY_MS);
    } finally {
      proc.kill('SIGTERM');
      await proc.exited;
    }
  } finally {
    await net.stop();
  }
  Bun.spawnSync([bin, '--version'], { cwd: dir, stdout: 'ignore', env: cleanEnv({ BUN_BYTECODE_ORDER_OUT: files.version }) });
  const order = [files.run, files.plugin, files.version];
  const missing = order.filter((f) => Bun.file(f).size === 0);
  if (missing.length) throw new Error(`no bytecode order written to ${missing.join(', ')}`);
  return order;
}
