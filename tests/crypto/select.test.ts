/**
 * Start-up crypto selection (issue 19 §1): the system libsecp256k1 when it opens, otherwise the
 * pure-JS fallback with exactly one log line; either way signatures verify the same.
 */
import { expect, test } from 'bun:test';
import { defaultScheme } from '../../runtime/core/crypto/default-scheme.ts';
import { curvesScheme } from '../../runtime/core/crypto/curves-scheme.ts';
import { recoverSigner, signMessage } from '../../runtime/core/crypto/lnsign.ts';
import { portableSha256, sha256 } from '../../runtime/core/crypto/sha256.ts';
import { toHex } from '../../runtime/core/types.ts';
import { bunSha256, nativeScheme } from '../../services/secp256k1/select.ts';

test('a missing library is a thrown error naming it, so the caller can fall back', () => {
  expect(() => nativeScheme('/nonexistent/libsecp256k1.so.1')).toThrow();
});

test('Bun\'s SHA-256 equals @noble/hashes on lengths 0..300, reusing one hasher', () => {
  const native = bunSha256();
  for (let n = 0; n <= 300; n++) {
    const data = new Uint8Array(n).map((_, i) => (i * 31 + n) & 0xff);
    expect(toHex(native.bytes(data))).toBe(toHex(portableSha256.bytes(data)));
  }
  for (const text of ['', 'abc', 'ü "q" \\', '😀', 'lone \ud800 surrogate', 'x'.repeat(5000)]) {
    expect(toHex(native.utf8(text))).toBe(toHex(portableSha256.utf8(text)));
  }
});

test('hivebox selects libsecp256k1 at start-up, or falls back logging one line', async () => {
  const script = `
    import { selectCrypto } from './services/secp256k1/select.ts';
    import { defaultScheme } from './runtime/core/crypto/default-scheme.ts';
    const lines = [];
    const path = process.env.LIBSECP;
    const a = selectCrypto((l) => lines.push(l), path);
    const b = selectCrypto((l) => lines.push(l), path);
    console.log(JSON.stringify({ a, same: a === b, name: defaultScheme.name, lines: lines.length }));`;
  const run = (path: string) => {
    const r = Bun.spawnSync([process.execPath, '-e', script], { cwd: `${import.meta.dir}/../..`, env: { ...process.env, LIBSECP: path }, stderr: 'pipe' });
    return JSON.parse(r.stdout.toString());
  };
  const native = run('libsecp256k1.so.1');
  expect(native).toMatchObject({ a: { scheme: 'libsecp256k1', fallback_reason: null }, same: true, name: 'libsecp256k1', lines: 0 });
  const missing = run('/nonexistent/libsecp256k1.so.1');
  expect(missing).toMatchObject({ a: { scheme: '@noble/curves' }, same: true, name: '@noble/curves', lines: 1 });
  expect(missing.a.fallback_reason).toBeString();
});

test('the in-process default still signs and recovers like @noble/curves', () => {
  const sk = new Uint8Array(32).fill(7);
  const z = signMessage('x', sk);
  expect(z).toBe(signMessage('x', sk, curvesScheme));
  expect(recoverSigner('x', z)).toBe(toHex(defaultScheme.publicKey(sk)));
  expect(sha256(new Uint8Array(0))).toEqual(portableSha256.bytes(new Uint8Array(0)));
});
