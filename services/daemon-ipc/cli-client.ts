/**
 * The IPC client an operator command uses (`hivebox <command>`, and the simulated fleet's CLI for a
 * node without lightningd's plugin path): it says hello as `hivebox-cli <version>` with no
 * lightningd facts, logs nothing, and waits `wait_ms` for the socket and for the daemon's hello
 * answer (a busy daemon may take seconds; a socket nobody listens on is refused at once).
 * README.md (this folder) documents the hello line.
 */
import { IpcClient } from './client.ts';

/** A started {@link IpcClient} on `path` for CLI commands. */
export function startCliClient(path: string, version: string, wait_ms: number): IpcClient {
  const client = new IpcClient({
    path,
    hello: { plugin_version: `hivebox-cli ${version}`, lightning: { lightning_dir: '', rpc_file: '', network: '' } },
    log: () => {},
    connectWaitMs: wait_ms,
    helloTimeoutMs: wait_ms,
  });
  client.start();
  return client;
}
