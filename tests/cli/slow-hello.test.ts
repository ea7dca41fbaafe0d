/**
 * The operator CLI waits for a busy daemon's hello (issue 13: on a loaded machine `hivebox run`
 * answered the CLI's hello after more than the old 2 s and every command failed with exit 69
 * "daemon is not running" while the daemon was alive). A stand-in daemon socket answers hello
 * only after 4 s: the command still gets its answer. A socket nobody listens on still fails at
 * once (exit 69), so the long wait costs only when a daemon is really there.
 */
import { expect, test } from 'bun:test';
import { join } from 'node:path';
import { DaemonCliError, DaemonConnection } from '../../runtime/cli/daemon-rpc.ts';
import { EXIT } from '../../runtime/cli/exit-codes.ts';
import { tempDir } from '../hw/fixtures.ts';

const HELLO_DELAY_MS = 4_000;

test('a daemon that answers hello after 4 s still serves the command', async () => {
  const t = tempDir();
  const path = join(t.dir, 'slow.sock');
  let buffered = '';
  const server = Bun.listen({
    unix: path,
    socket: {
      data(socket, chunk) {
        buffered += chunk.toString();
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const req = JSON.parse(buffered.slice(0, nl)) as { id: number; op: string; method?: string };
          buffered = buffered.slice(nl + 1);
          if (req.op === 'hello') setTimeout(() => socket.write(`${JSON.stringify({ id: req.id, result: { protocol: 1 } })}\n`), HELLO_DELAY_MS);
          else socket.write(`${JSON.stringify({ id: req.id, result: { answered: req.method } })}\n`);
        }
      },
    },
  });
  const conn = DaemonConnection.open({ socket: path });
  try {
    const t0 = Date.now();
    expect(await conn.call<{ answered: string }>('hive-members', {}, 10_000)).toEqual({ answered: 'hive-members' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(HELLO_DELAY_MS - 50);
  } finally {
    conn.close();
    server.stop(true);
    t.cleanup();
  }
}, 30_000);

test('no daemon on the socket: exit 69 at once, not after the hello wait', async () => {
  const t = tempDir();
  const conn = DaemonConnection.open({ socket: join(t.dir, 'nobody.sock') });
  try {
    const t0 = Date.now();
    const err = await conn.call('hive-members', {}, 10_000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DaemonCliError);
    expect((err as DaemonCliError).exitCode).toBe(EXIT.unavailable);
    expect(Date.now() - t0).toBeLessThan(HELLO_DELAY_MS);
  } finally {
    conn.close();
    t.cleanup();
  }
}, 30_000);
