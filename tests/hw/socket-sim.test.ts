/**
 * The simulator as its own process behind a unix socket, end to end through the real framing code
 * (what `hivebox demo` and simnet use): the one-call start API in both modes, visible prompts,
 * keys persisting across restarts, the simulator dying mid-approval (an unplug) and coming back.
 */
import { afterEach, expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startSignerSimulator, type RunningSimulator } from '../../runtime/sim/signer/start.ts';
import { HidSigner } from '../../hw/host/hid-signer.ts';
import { unixSocketOpener } from '../../hw/transport/unix-socket-transport.ts';
import { recoverSigner } from '../../runtime/core/crypto/lnsign.ts';
import { INVITE_SUMMARY, inviteText, tempDir } from './fixtures.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(opts: Omit<Parameters<typeof startSignerSimulator>[0], 'stateDir'> & { stateDir?: string }): Promise<RunningSimulator & { lines: string[]; stateDir: string }> {
  let stateDir = opts.stateDir;
  if (!stateDir) {
    const t = tempDir('hivebox-sim-');
    cleanups.push(t.cleanup);
    stateDir = join(t.dir, 'signer');
  }
  const lines: string[] = [];
  const sim = await startSignerSimulator({ ...opts, stateDir, log: (l) => lines.push(l) });
  cleanups.push(() => sim.stop());
  return { ...sim, lines, stateDir };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await Bun.sleep(10);
  if (!cond()) throw new Error(`gave up waiting for ${what}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const invite = { purpose: 'invite' as const, summary: INVITE_SUMMARY };

test('subprocess simulator: sign an invite over the unix socket, prompt printed, signature verifies', async () => {
  const sim = await start({ mode: 'subprocess' });
  expect(sim.config).toEqual({ transport: 'unix-socket', path: sim.socketPath });
  const key = await sim.signer.publicKey('invite');
  if (!key.ok) throw new Error(key.error.kind);
  const text = inviteText(key.node_id);
  const res = await sim.signer.sign(text, invite);
  expect(res.ok && recoverSigner(text, res.value.zbase)).toBe(key.node_id);
  await until(() => sim.lines.length > 0, 'the prompt line');
  expect(sim.lines).toEqual(['[signer] Press the button to approve: invite to hive_1a2b3c, valid 24 h, requires splice … pressed']);
  expect(existsSync(join(sim.stateDir, 'device-state.json'))).toBe(true);
});

test('the simulator dying mid-approval is an unplug; restarted on the same folder it has the same keys and the driver reconnects', async () => {
  const sim = await start({ mode: 'subprocess', button: 'never' });
  const signer = new HidSigner({ opener: unixSocketOpener(sim.socketPath) });
  cleanups.push(() => signer.close());
  const key = await signer.publicKey('invite');
  if (!key.ok) throw new Error(key.error.kind);
  const text = inviteText(key.node_id);
  const pending = signer.sign(text, invite);
  await until(() => signer.pending()?.waiting_for_user === true, 'the device to wait for the button');
  await sim.stop();
  expect(await pending).toMatchObject({ ok: false, error: { kind: 'SignerUnavailable', reason: 'simulator socket closed' } });
  expect(await signer.publicKey('revoke')).toMatchObject({ ok: false, error: { kind: 'SignerUnavailable' } });

  await start({ mode: 'subprocess', stateDir: sim.stateDir, button: 'approve' });
  const res = await signer.sign(text, invite);
  expect(res.ok && res.value.node_id).toBe(key.node_id);
});

test('subprocess that never says ready: refused after ready_timeout_ms, the process ended', async () => {
  const t = tempDir('hivebox-sim-');
  cleanups.push(t.cleanup);
  const script = join(t.dir, 'silent.ts');
  const pidFile = join(t.dir, 'pid');
  await Bun.write(script, `await Bun.write(${JSON.stringify(pidFile)}, String(process.pid)); await Bun.sleep(60_000);`);
  const started = performance.now();
  const attempt = startSignerSimulator({ mode: 'subprocess', stateDir: join(t.dir, 'signer'), command: [process.execPath, script], ready_timeout_ms: 1_500 });
  await expect(attempt).rejects.toThrow('signer simulator did not become ready within 1.5 s');
  expect(performance.now() - started).toBeLessThan(15_000);
  // No pid file: it was ended before its first statement ran.
  const pid = existsSync(pidFile) ? Number(await Bun.file(pidFile).text()) : null;
  if (pid !== null) await until(() => !isAlive(pid), 'the silent simulator process to end');
});

test('in-process mode behind the socket, scripted reject', async () => {
  const sim = await start({ mode: 'in-process', button: 'reject' });
  const key = await sim.signer.publicKey('invite');
  if (!key.ok) throw new Error(key.error.kind);
  expect(await sim.signer.sign(inviteText(key.node_id), invite)).toEqual({ ok: false, error: { kind: 'ApprovalRejected' } });
  expect(sim.lines).toEqual(['[signer] Press the button to approve: invite to hive_1a2b3c, valid 24 h, requires splice … rejected (long press)']);
});

test('nothing listening on the socket → SignerUnavailable', async () => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const signer = new HidSigner({ opener: unixSocketOpener(join(t.dir, 'none.sock')) });
  expect(await signer.publicKey('invite')).toMatchObject({ ok: false, error: { kind: 'SignerUnavailable' } });
});
