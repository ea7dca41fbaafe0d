/**
 * `hivebox status` is answered from the daemon's first second (issue 16 §5): while `hivebox run`
 * waits for lightningd its IPC socket is already open and every command gets the start-up line
 * ("starting: waiting for lightningd at …", exit 75 = try again; `--json` as an error object); when
 * lightningd never answers, start-up fails and the socket is gone; when it comes, the daemon takes
 * the same socket over and a connection opened during start-up gets real answers.
 */
import { expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../../runtime/cli/exit-codes.ts';
import { CONFIG_SCHEMA } from '../../runtime/config/schema.ts';
import { startAppliance } from '../../runtime/daemon/appliance.ts';
import { DaemonConnection } from '../../runtime/cli/daemon-rpc.ts';
import { RPC_ERROR } from '../../runtime/node/hive/rpc/errors.ts';
import type { StatusResult } from '../../runtime/node/hive/index.ts';
import { SimNetwork } from '../../runtime/sim/simnet/index.ts';
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

test('lightningd arrives: the daemon takes the socket over and a connection opened during start-up is answered', async () => {
  const net = await SimNetwork.create();
  const socket = join(net.root, 'plugin.sock');
  const config = CONFIG_SCHEMA.parse({
    lightning: { rpc_file: join(net.root, 'a', 'lightning-rpc') },
    daemon: { ipc_socket: socket, ipc_socket_mode: 0o600, tick_ms: 100 },
    hive: { store_path: join(net.root, 'hive.db') },
    supervisor: { startup_timeout_s: 60, interval_ms: 100, probe_timeout_ms: 1000, mosquitto_unit: '' },
  });
  const events: string[] = [];
  const start = startAppliance({ config, env: {}, log: (_level, event) => void events.push(event), signer: new SoftSigner(secretKey(0x42), { button: new SimulatedButton('approve') }), units: { state: async () => ({ ok: false, error: { kind: 'SystemctlFailed', exit_code: 1, stderr: 'none' } }), restart: async () => ({ ok: false, error: { kind: 'SystemctlFailed', exit_code: 1, stderr: 'none' } }) } });
  const conn = DaemonConnection.open({ socket });
  try {
    let first = await conn.request('hive-status', {}, 5_000);
    for (let i = 0; 'failure' in first && i < 200; i++) first = (await Bun.sleep(20), await conn.request('hive-status', {}, 5_000));
    expect(first).toMatchObject({ error: { code: RPC_ERROR.starting, message: expect.stringContaining('starting: waiting for lightningd') } });
    await net.addNode({ name: 'a' });
    const appliance = await start;
    try {
      const answered = await conn.request('hive-status', {}, 5_000);
      expect('result' in answered && (answered.result as StatusResult).hive_id).toBeNull();
      // One hello, answered while starting; no reconnect to the daemon (that would log plugin_connected).
      expect(events.filter((e) => e.startsWith('plugin_connected'))).toEqual(['plugin_connected_while_starting']);
    } finally {
      await appliance.stop('test end');
    }
  } finally {
    conn.close();
    await net.stop();
  }
}, 90_000);
