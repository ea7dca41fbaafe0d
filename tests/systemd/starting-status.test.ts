/**
 * `hivebox status` is answered from the daemon's first second (issue 16 §5): while `hivebox run`
 * waits for lightningd its IPC socket is already open and every command gets the start-up line
 * ("starting: waiting for lightningd at …", exit 75 = try again; `--json` as an error object); when
 * lightningd never answers, start-up fails and the socket is gone.
 */
import { expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../../runtime/cli/exit-codes.ts';
import { CONFIG_SCHEMA } from '../../runtime/config/schema.ts';
import { startAppliance } from '../../runtime/daemon/appliance.ts';
import { RPC_ERROR } from '../../runtime/engine/rpc/errors.ts';
import { SimulatedButton } from '../../hw/soft-signer/approve-button.ts';
import { SoftSigner } from '../../hw/soft-signer/soft-signer.ts';
import { tempDir } from '../hw/fixtures.ts';
import { secretKey } from '../ticket/fixtures.ts';

const MAIN = join(import.meta.dir, '../../runtime/cli/main.ts');

async function hivebox(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn([process.execPath, MAIN, ...args], { stdout: 'pipe', stderr: 'pipe' });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, out, err };
}

test('while lightningd is not there the socket answers with the start-up line; a start-up that times out removes it', async () => {
  const t = tempDir();
  try {
    const socket = join(t.dir, 'plugin.sock');
    const rpc_file = join(t.dir, 'no-lightningd', 'lightning-rpc');
    const config = CONFIG_SCHEMA.parse({
      lightning: { rpc_file },
      daemon: { ipc_socket: socket, ipc_socket_mode: 0o600 },
      hive: { store_path: join(t.dir, 'hive.db') },
      supervisor: { startup_timeout_s: 15, interval_ms: 100, probe_timeout_ms: 500, mosquitto_unit: '' },
    });
    const start = startAppliance({ config, env: {}, log: () => {}, signer: new SoftSigner(secretKey(0x41), { button: new SimulatedButton('approve') }) });
    const failed = start.then(
      () => null,
      (e: unknown) => e as Error,
    );
    const deadline = Date.now() + 10_000;
    while (!existsSync(socket) && Date.now() < deadline) await Bun.sleep(20);
    const s = await hivebox('status', '--socket', socket);
    expect(s.code).toBe(EXIT.tempfail);
    expect(s.err).toStartWith(`hivebox status: starting: waiting for lightningd at ${rpc_file}`);
    const j = await hivebox('members', '--socket', socket, '--json');
    expect(j.code).toBe(EXIT.tempfail);
    expect(JSON.parse(j.out).error).toMatchObject({ command: 'members', rpc_code: RPC_ERROR.starting, message: expect.stringContaining('starting: waiting for lightningd') });
    expect(await failed).toBeInstanceOf(Error);
    expect(existsSync(socket)).toBe(false);
  } finally {
    t.cleanup();
  }
}, 60_000);
