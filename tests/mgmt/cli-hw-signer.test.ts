/**
 * `hivebox credential issue|revoke --signer unix-socket:PATH` against a simulated USB signer: the
 * CLI prints the button prompt with the title the device shows, the credential's proof is by the
 * device's admin key, and a rejection on the device exits 77 with nothing issued.
 */
import { afterEach, expect, test } from 'bun:test';
import { join } from 'node:path';
import { startSignerSimulator, type RunningSimulator } from '../../runtime/sim/signer/start.ts';
import { didKeyFromPublicKey, resolveDidKey } from '../../runtime/core/mgmt/did.ts';
import { verifyDocumentProof } from '../../runtime/core/mgmt/proof.ts';
import { fromHex } from '../../runtime/core/types.ts';
import { KeyFileSigner } from '../../services/mgmt/key-file.ts';
import { tempDir } from '../hw/fixtures.ts';
import type { ButtonAction } from '../../runtime/sim/signer/button.ts';

const MAIN = join(import.meta.dir, '../../runtime/cli/main.ts');
const NODE = `02${'4e'.repeat(32)}`;
const AGENT = new KeyFileSigner(new Uint8Array(32).fill(0x21)).did;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function hivebox(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn([process.execPath, MAIN, ...args], { stdout: 'pipe', stderr: 'pipe', env: { ...process.env, HIVEBOX_SIGNER_KEY: '', HIVEBOX_SIGNER: '' } });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, out, err };
}

async function setup(button: ButtonAction | readonly ButtonAction[]): Promise<{ sim: RunningSimulator; db: string; via: string[]; issuer: string }> {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const sim = await startSignerSimulator({ mode: 'in-process', stateDir: join(t.dir, 'signer'), button });
  cleanups.push(() => sim.stop());
  const key = await sim.signer.publicKey('credential');
  if (!key.ok) throw new Error(key.error.kind);
  return { sim, db: join(t.dir, 'mgmt.sqlite'), via: ['--signer', `unix-socket:${sim.socketPath}`], issuer: didKeyFromPublicKey(fromHex(key.node_id)!) };
}

test('issue and revoke on the hardware signer, with the button prompt', async () => {
  const s = await setup({ press: 'approve', after_ms: 300 });
  const issued = await hivebox('credential', 'issue', '--db', s.db, ...s.via, '--agent', AGENT, '--node', NODE, '--tier', 'advanced', '--days', '7', '--schemas', 'hive:fee-policy/*');
  expect(issued.code).toBe(0);
  expect(issued.err).toBe(`Press the button on your Hivebox signer to approve: management credential for ${AGENT.slice(0, 12)}…: tier advanced, 7 days\n`);
  const cred = JSON.parse(issued.out);
  expect(cred.issuer).toBe(s.issuer);
  const keys = resolveDidKey(s.issuer);
  expect(keys.ok && verifyDocumentProof(cred, keys.value)).toBe(true);

  const revoked = await hivebox('credential', 'revoke', cred.id, '--db', s.db, ...s.via, '--reason', 'rotated');
  expect(revoked.code).toBe(0);
  expect(revoked.err).toContain(`approve: revoke credential ${cred.id.slice(0, 12)}…: rotated`);
  expect(keys.ok && verifyDocumentProof(JSON.parse(revoked.out), keys.value)).toBe(true);
  expect((await hivebox('credential', 'list', '--db', s.db)).out).toContain(`${cred.id}\t${AGENT}\tadvanced`);
});

test('rejected on the device → exit 77, nothing issued; a malformed --signer → usage error', async () => {
  const s = await setup('reject');
  const r = await hivebox('credential', 'issue', '--db', s.db, ...s.via, '--agent', AGENT, '--node', NODE);
  expect(r.code).toBe(77);
  expect(r.err).toContain('hivebox: rejected on the signer');
  expect(r.out).toBe('');
  expect((await hivebox('credential', 'list', '--db', s.db)).out).toBe('');
  const bad = await hivebox('credential', 'issue', '--db', s.db, '--signer', 'bluetooth:x', '--agent', AGENT, '--node', NODE);
  expect(bad.code).not.toBe(0);
  expect(bad.err).toContain('expected node-hid[:PATH], hidraw[:PATH] or unix-socket:PATH');
});
