/**
 * Store and secret files are owner-only (issue 15 item 9): under a umask of 000 — `hivebox run` from
 * a shell without the unit's `UMask` — the membership store, the management store (L402 root keys)
 * and their `-wal`/`-shm` files are 0600, a store left 0644 by an older version is tightened on open,
 * and every secrets file is 0600.
 */
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyFile } from '../../hw/soft-signer/key-file.ts';
import { DeviceKeyStore, DEVICE_STATE_FILE } from '../../runtime/sim/signer/key-store.ts';
import { MgmtStore } from '../../services/mgmt-store/mgmt-store.ts';
import { KeyFileSigner } from '../../services/mgmt/key-file.ts';
import { openStoreDatabase } from '../../services/store/membership-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'hbx-modes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let saved = 0;
beforeEach(() => {
  saved = process.umask(0);
});
afterEach(() => {
  process.umask(saved);
});

const modeOf = (p: string) => statSync(p).mode & 0o777;

function expectPrivate(db: string): void {
  for (const p of [db, `${db}-wal`, `${db}-shm`]) {
    expect(existsSync(p)).toBe(true);
    expect({ file: p, mode: modeOf(p).toString(8) }).toEqual({ file: p, mode: '600' });
  }
}

describe('store files under umask 000', () => {
  test('membership store and its -wal/-shm are 0600', () => {
    const path = join(dir, 'hive.db');
    const r = openStoreDatabase(path, 1_700_000_000);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    r.value.run('CREATE TABLE probe (x INTEGER)');
    r.value.run('INSERT INTO probe VALUES (1)');
    expectPrivate(path);
    r.value.close();
  });

  test('management store (L402 root keys) and its -wal/-shm are 0600', () => {
    const path = join(dir, 'mgmt.sqlite');
    const store = new MgmtStore(path);
    store.setConfig('probe', 1);
    expectPrivate(path);
    store.close();
  });

  test('a store left world-readable by an older version is tightened when opened', () => {
    const path = join(dir, 'old.db');
    writeFileSync(path, '');
    chmodSync(path, 0o644);
    const r = openStoreDatabase(path, 1_700_000_000);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    r.value.run('CREATE TABLE probe (x INTEGER)');
    expectPrivate(path);
    r.value.close();
  });
});

describe('secrets files under umask 000', () => {
  test('soft-signer key, management key and signer-simulator state are 0600', () => {
    const soft = join(dir, 'soft.key');
    expect(createKeyFile(soft).ok).toBe(true);
    const mgmt = join(dir, 'advisor.key');
    KeyFileSigner.create(mgmt);
    const sim = join(dir, 'sim');
    DeviceKeyStore.open(sim, (n) => crypto.getRandomValues(new Uint8Array(n)));
    for (const p of [soft, mgmt, join(sim, DEVICE_STATE_FILE)]) expect({ file: p, mode: modeOf(p).toString(8) }).toEqual({ file: p, mode: '600' });
  });
});
