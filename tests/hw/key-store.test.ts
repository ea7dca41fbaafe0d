/**
 * The simulated device's key store: keys generated from injected randomness, persisted 0600 in the
 * device's own folder, reloaded identically, distinct per slot and per device; a corrupt state
 * file stops the simulator instead of silently minting new keys.
 */
import { afterEach, expect, test } from 'bun:test';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEVICE_STATE_FILE, DeviceKeyStore } from '../../runtime/sim/signer/key-store.ts';
import { recoverSigner, zbase32 } from '../../runtime/core/crypto/lnsign.ts';
import { toHex } from '../../runtime/core/types.ts';
import { seededRandom, tempDir } from './fixtures.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return join(t.dir, 'device');
}

test('generated once, persisted 0600, reloaded with the same keys', () => {
  const d = dir();
  const a = DeviceKeyStore.open(d, seededRandom('ks'));
  expect(statSync(join(d, DEVICE_STATE_FILE)).mode & 0o777).toBe(0o600);
  expect(statSync(d).mode & 0o777).toBe(0o700);
  const b = DeviceKeyStore.open(d, () => {
    throw new Error('must not draw randomness for an existing device');
  });
  expect(b.serial).toBe(a.serial);
  expect(toHex(b.publicKey(0))).toBe(toHex(a.publicKey(0)));
  expect(toHex(a.publicKey(0))).not.toBe(toHex(a.publicKey(1)));
  expect(a.serial).toMatch(/^HBS-[0-9a-f]{8}$/);
  const other = DeviceKeyStore.open(dir(), seededRandom('ks-2'));
  expect(toHex(other.publicKey(0))).not.toBe(toHex(a.publicKey(0)));
});

test('signLightning is Lightning signmessage over the text', () => {
  const ks = DeviceKeyStore.open(dir(), seededRandom('ks'));
  const sig = ks.signLightning(1, 'hello "fleet"');
  expect(sig[0]).toBeGreaterThanOrEqual(31);
  expect(recoverSigner('hello "fleet"', zbase32.encode(sig))).toBe(toHex(ks.publicKey(1)));
  expect(() => ks.publicKey(2)).toThrow(RangeError);
});

test('a corrupt state file refuses to start and is left untouched', () => {
  const d = dir();
  DeviceKeyStore.open(d, seededRandom('ks'));
  const path = join(d, DEVICE_STATE_FILE);
  writeFileSync(path, JSON.stringify({ format: 'hivebox-signer-sim/1', serial: 'HBS-00000000', slots: ['00'] }));
  const before = readFileSync(path, 'utf8');
  expect(() => DeviceKeyStore.open(d, seededRandom('x'))).toThrow(/not a Hivebox signer simulator state/);
  expect(readFileSync(path, 'utf8')).toBe(before);
});
