/**
 * `hivebox signer info|ping|pubkey` against a simulator on a unix socket named by `--signer` or by the
 * configuration's `[signer]`, and the exit code when no signer is there (EXIT.unavailable = 69).
 */
import { afterEach, expect, test } from 'bun:test';
import { join } from 'node:path';
import { startSignerSimulator } from '../../runtime/sim/signer/start.ts';
import { tempDir } from './fixtures.ts';

const MAIN = join(import.meta.dir, '../../runtime/cli/main.ts');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function hivebox(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn([process.execPath, MAIN, ...args], { stdout: 'pipe', stderr: 'pipe' });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, out, err };
}

test('info, ping and pubkey over the simulator socket', async () => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const sim = await startSignerSimulator({ mode: 'in-process', stateDir: join(t.dir, 'signer') });
  cleanups.push(() => sim.stop());
  const via = ['--signer', `unix-socket:${sim.socketPath}`];
  const info = await hivebox('signer', 'info', ...via);
  expect(info.code).toBe(0);
  expect(JSON.parse(info.out)).toMatchObject({ connected: true, device: { model: 'Hivebox Signer', protocol: 1, timeout_s: 60 } });
  const ping = await hivebox('signer', 'ping', ...via, '--bytes', '7609');
  expect(ping.out).toMatch(/^7609 bytes echoed in [0-9.]+ ms\n$/);
  const pub = await hivebox('signer', 'pubkey', 'invite', ...via);
  const key = await sim.signer.publicKey('invite');
  expect(pub.out.trim()).toBe(key.ok ? key.node_id : 'unavailable');
  const cfg = join(t.dir, 'hivebox.toml');
  await Bun.write(cfg, `[signer]\ntransport = "unix-socket"\npath = ${JSON.stringify(sim.socketPath)}\n`);
  expect((await hivebox('signer', 'pubkey', 'invite', '--config', cfg)).out.trim()).toBe(key.ok ? key.node_id : 'unavailable');
});

test('no signer → exit 69 with the reason', async () => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const r = await hivebox('signer', 'info', '--signer', `unix-socket:${join(t.dir, 'none.sock')}`);
  expect(r.code).toBe(69);
  expect(r.err).toContain('Hivebox signer unavailable: no signer simulator at');
  expect((await hivebox('signer', 'pubkey', 'payments')).code).toBe(64);
  expect((await hivebox('signer', 'info', '--signer', 'usb:/dev/x')).code).toBe(64);
});
