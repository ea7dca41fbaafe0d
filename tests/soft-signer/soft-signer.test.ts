/**
 * The software fleet signer (issue 2 §4): key file rules, the simulated approve button, and
 * Lightning signmessage output.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recoverSigner } from '../../runtime/core/crypto/lnsign.ts';
import { SimulatedButton } from '../../hw/soft-signer/approve-button.ts';
import { createKeyFile, readKeyFile } from '../../hw/soft-signer/key-file.ts';
import { SoftSigner } from '../../hw/soft-signer/soft-signer.ts';

const dir = mkdtempSync(join(tmpdir(), 'soft-signer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const summary = { title: 'invite to hive_x, valid 24 h', fields: { hive_id: 'hive_x' } };

describe('key file', () => {
  test('created with mode 0600, read back, never overwritten', () => {
    const path = join(dir, 'created.key');
    const made = createKeyFile(path);
    expect(made.ok).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readKeyFile(path)).toEqual(made);
    expect(createKeyFile(path)).toEqual({ ok: false, error: { kind: 'exists', path } });
  });

  test('group- or world-readable key files are refused', () => {
    for (const mode of [0o640, 0o604, 0o644, 0o660]) {
      const path = join(dir, `loose-${mode.toString(8)}.key`);
      writeFileSync(path, `${'11'.repeat(32)}\n`);
      chmodSync(path, mode);
      expect(readKeyFile(path)).toEqual({ ok: false, error: { kind: 'insecure_permissions', path, mode: `0${mode.toString(8)}` } });
      expect(SoftSigner.open(path, { button: new SimulatedButton() }).ok).toBe(false);
    }
  });

  test('missing, not a file, malformed', () => {
    expect(readKeyFile(join(dir, 'nope.key'))).toEqual({ ok: false, error: { kind: 'missing', path: join(dir, 'nope.key') } });
    expect(readKeyFile(dir)).toMatchObject({ ok: false, error: { kind: 'not_a_file', path: dir } });
    for (const [name, body] of [['short', 'abcd'], ['zero', '00'.repeat(32)], ['nonhex', 'zz'.repeat(32)]] as const) {
      const path = join(dir, `${name}.key`);
      writeFileSync(path, body, { mode: 0o600 });
      expect(readKeyFile(path)).toMatchObject({ ok: false, error: { kind: 'malformed' } });
    }
  });

  test('open(create) generates a key once and reuses it', async () => {
    const path = join(dir, 'fresh.key');
    const a = SoftSigner.open(path, { button: new SimulatedButton(), create: true });
    const b = SoftSigner.open(path, { button: new SimulatedButton() });
    if (!a.ok || !b.ok) throw new Error('open failed');
    expect(await a.value.publicKey('invite')).toEqual(await b.value.publicKey('invite'));
  });
});

describe('approval', () => {
  const sk = new Uint8Array(32).fill(0x42);

  test('approve → a signmessage signature over the exact text; the display showed the summary', async () => {
    const button = new SimulatedButton('approve');
    const signer = new SoftSigner(sk, { button });
    const text = 'hive:\\"quoted\\" text';
    const r = await signer.sign(text, { purpose: 'invite', summary });
    if (!r.ok) throw new Error(r.error.kind);
    expect(r.value.zbase).toHaveLength(104);
    expect(recoverSigner(text, r.value.zbase)).toBe(r.value.node_id);
    expect(button.shown).toEqual([summary]);
  });

  test('reject → ApprovalRejected; never pressed → ApprovalTimeout after the timeout', async () => {
    const signer = new SoftSigner(sk, { button: new SimulatedButton('approve', ['reject', 'never']), approvalTimeout_ms: 20 });
    expect(await signer.sign('x', { purpose: 'ban', summary })).toEqual({ ok: false, error: { kind: 'ApprovalRejected' } });
    expect(await signer.sign('x', { purpose: 'revoke', summary })).toEqual({ ok: false, error: { kind: 'ApprovalTimeout', after_s: 0.02 } });
    expect((await signer.sign('x', { purpose: 'credential', summary })).ok).toBe(true);
  });

  test('governance needs no press; unknown purposes are refused', async () => {
    const button = new SimulatedButton('never');
    const signer = new SoftSigner(sk, { button });
    expect((await signer.sign('x', { purpose: 'governance', summary })).ok).toBe(true);
    expect(button.shown).toEqual([]);
    const bogus = { purpose: 'steal' as 'invite', summary };
    expect(await signer.sign('x', bogus)).toMatchObject({ ok: false, error: { kind: 'SignerRefused' } });
    expect(await signer.publicKey('steal' as 'invite')).toMatchObject({ ok: false, error: { kind: 'SignerRefused' } });
  });

  test('one request at a time: a second request while waiting for the button is SignerBusy', async () => {
    const signer = new SoftSigner(sk, { button: new SimulatedButton('never'), approvalTimeout_ms: 30 });
    const first = signer.sign('a', { purpose: 'invite', summary });
    expect(await signer.sign('b', { purpose: 'invite', summary })).toEqual({ ok: false, error: { kind: 'SignerBusy' } });
    expect(await first).toMatchObject({ ok: false, error: { kind: 'ApprovalTimeout' } });
    expect((await signer.sign('c', { purpose: 'governance', summary })).ok).toBe(true);
  });
});
