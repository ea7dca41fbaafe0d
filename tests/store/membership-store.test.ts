/**
 * The membership store (issue 2 §7): a real SQLite file in WAL mode, schema version and
 * migrations, typed reads, all-or-nothing commits, and agreement with the core's reducer.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { Database } from 'bun:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { genesis } from '../../runtime/core/machines/genesis.ts';
import { applyWrites, EMPTY_MEMBERSHIP, persist, type StoreWrite } from '../../runtime/core/machines/membership.ts';
import type { NodeId, Nonce } from '../../runtime/core/types.ts';
import { MIGRATIONS, openMembershipStore, SCHEMA_VERSION, type MembershipStore } from '../../services/store/index.ts';
import { ADMIN_ID, T0, nodeIdOf, secretKey } from '../ticket/fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'membership-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function open(path = join(dir, `s${++n}.db`)): { store: MembershipStore; path: string } {
  const r = openMembershipStore(path, T0);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return { store: r.value, path };
}

const A = nodeIdOf(secretKey(0x01));
const B = nodeIdOf(secretKey(0x02));

const WRITES: StoreWrite[] = [
  { op: 'put_hive', hive: { hive_id: 'hive_x', created_at: T0, our_node_id: A, our_role: 'member' } },
  { op: 'put_member', member: { node_id: A, tier: 'member', joined_at: T0, addresses: ['1.2.3.4:9735'] } },
  { op: 'put_member', member: { node_id: B, tier: 'neophyte', joined_at: T0 + 1, addresses: [] } },
  { op: 'put_trusted_admin', admin: { admin_pubkey: ADMIN_ID, added_at: T0 } },
  { op: 'put_ban', ban: { node_id: nodeIdOf(secretKey(0x03)), reason: 'jamming', banned_at: T0, expires_at: null } },
  { op: 'use_ticket', use: { ticket_id: 'ab'.repeat(16), used_by: B, used_at: T0, expires_at: T0 + 86400 } },
  {
    op: 'put_challenge',
    challenge: {
      peer_id: nodeIdOf(secretKey(0x04)),
      nonce: 'cd'.repeat(32) as Nonce,
      hive_id: 'hive_x',
      framing: 'spec',
      issued_at: T0,
      join_via: 'ticket',
      ticket_id: 'ef'.repeat(16),
      requirements: 5,
      min_version: '1.4',
      features_hex: '0800',
    },
  },
];

describe('opening', () => {
  test('WAL mode, schema version recorded, tables present', () => {
    const { store, path } = open();
    expect(store.schemaVersion()).toBe(SCHEMA_VERSION);
    store.close();
    const db = new Database(path);
    expect(db.query('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    const tables = (db.query("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables.filter((t) => !t.startsWith('fleet_') && !t.startsWith('planner_'))).toEqual(['banned_keys', 'hive', 'members', 'open_challenges', 'schema_version', 'trusted_admins', 'used_tickets']);
    db.close();
  });

  test('reopening does not re-run migrations and keeps data', () => {
    const { store, path } = open();
    expect(store.applyWrites(WRITES)).toEqual({ ok: true });
    store.close();
    const again = open(path).store;
    expect(again.dump().schema_version).toEqual(MIGRATIONS.map((m) => ({ version: m.version, applied_at: T0 })));
    expect(again.load()).toEqual(applyWrites(EMPTY_MEMBERSHIP, WRITES));
    again.close();
  });

  test('a database from a newer Hivebox is refused, not guessed at', () => {
    const path = join(dir, 'newer.db');
    const db = new Database(path, { create: true });
    db.run('CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at INTEGER NOT NULL) STRICT');
    db.run('INSERT INTO schema_version VALUES (99, 0)');
    db.close();
    expect(openMembershipStore(path, T0)).toEqual({ ok: false, error: { kind: 'schema_too_new', found: 99 } });
  });

  test('an unopenable path is a typed error', () => {
    const r = openMembershipStore(join(dir, 'no/such/dir/x.db'), T0);
    expect(r.ok ? null : r.error.kind).toBe('open_failed');
  });
});

describe('writes', () => {
  test('store.load() equals the core reducer for the same writes', () => {
    const { store } = open();
    expect(store.applyWrites(WRITES)).toEqual({ ok: true });
    expect(store.load()).toEqual(applyWrites(EMPTY_MEMBERSHIP, WRITES));
    const more: StoreWrite[] = [
      { op: 'delete_challenge', peer_id: nodeIdOf(secretKey(0x04)) },
      { op: 'delete_member', node_id: B },
      { op: 'use_ticket', use: { ticket_id: 'ab'.repeat(16), used_by: A, used_at: T0 + 5, expires_at: T0 + 86400 } },
      { op: 'put_member', member: { node_id: A, tier: 'member', joined_at: T0, addresses: [] } },
    ];
    expect(store.applyWrites(more)).toEqual({ ok: true });
    expect(store.load()).toEqual(applyWrites(applyWrites(EMPTY_MEMBERSHIP, WRITES), more));
    expect(store.usedTicket('ab'.repeat(16))?.used_by).toBe(B);
    store.close();
  });

  test('typed reads', () => {
    const { store } = open();
    store.applyWrites(WRITES);
    expect(store.hive()).toEqual({ hive_id: 'hive_x', created_at: T0, our_node_id: A, our_role: 'member' });
    expect(store.member(A)).toEqual({ node_id: A, tier: 'member', joined_at: T0, addresses: ['1.2.3.4:9735'] });
    expect(store.member('02' + '00'.repeat(32))).toBeNull();
    expect(store.members().map((m) => m.node_id)).toEqual([A, B].sort());
    expect(store.trustedAdmins()).toEqual([{ admin_pubkey: ADMIN_ID, added_at: T0 }]);
    expect(store.bans()[0]?.reason).toBe('jamming');
    expect(store.challenges()[0]?.min_version).toBe('1.4');
    store.close();
  });

  test('a failing write rolls back every write of the same commit (full dump unchanged)', () => {
    const { store } = open();
    store.applyWrites(WRITES);
    const before = store.dump();
    const bad: StoreWrite[] = [
      { op: 'put_member', member: { node_id: nodeIdOf(secretKey(0x09)), tier: 'neophyte', joined_at: T0, addresses: [] } },
      { op: 'delete_challenge', peer_id: nodeIdOf(secretKey(0x04)) },
      { op: 'put_member', member: { node_id: B, tier: 'admin' as 'member', joined_at: T0, addresses: [] } },
    ];
    const r = store.applyWrites(bad);
    expect(r.ok ? null : r.error).toMatchObject({ kind: 'write_failed', op: 'put_member' });
    expect(store.dump()).toEqual(before);
    const tooMany = Array.from({ length: 21 }, (_, i) => `10.0.0.${i}:9735`);
    expect(store.applyWrites([{ op: 'put_member', member: { node_id: A, tier: 'member', joined_at: T0, addresses: tooMany } }]).ok).toBe(false);
    expect(store.dump()).toEqual(before);
    store.close();
  });

  test('commit() applies only persist effects, all in one transaction', () => {
    const { store } = open();
    const g = genesis(EMPTY_MEMBERSHIP, { our_node_id: A, admin_pubkey: ADMIN_ID, hive_id: 'hive_g' }, T0, new Uint8Array(8));
    if (!g.ok) throw new Error();
    const effects = [{ kind: 'log' }, ...g.value.effects, { kind: 'send' }];
    expect(store.commit(effects)).toEqual({ ok: true });
    expect(store.load()).toEqual(g.value.state);
    expect(store.commit([...persist({ op: 'put_hive', hive: { hive_id: 'x', created_at: 0, our_node_id: B, our_role: 'boss' as 'member' } })]).ok).toBe(false);
    expect(store.load()).toEqual(g.value.state);
    store.close();
  });

  test('two connections see each other through WAL', () => {
    const a = open();
    const b = open(a.path);
    a.store.applyWrites(WRITES);
    expect(b.store.load()).toEqual(a.store.load());
    a.store.close();
    b.store.close();
  });
});

describe('genesis', () => {
  test('founds a hive with us as member and the admin key trusted; refuses a second genesis', () => {
    const g = genesis(EMPTY_MEMBERSHIP, { our_node_id: A, admin_pubkey: ADMIN_ID }, T0, Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
    if (!g.ok) throw new Error();
    expect(g.value.state.hive).toEqual({ hive_id: 'hive_0102030405060708', created_at: T0, our_node_id: A, our_role: 'member' });
    expect([...g.value.state.trusted_admins.keys()]).toEqual([ADMIN_ID as NodeId]);
    expect(genesis(g.value.state, { our_node_id: A, admin_pubkey: ADMIN_ID }, T0, new Uint8Array(8))).toEqual({
      ok: false,
      error: { code: 'already_in_hive', hive_id: 'hive_0102030405060708' },
    });
    expect(genesis(EMPTY_MEMBERSHIP, { our_node_id: 'x', admin_pubkey: ADMIN_ID }, T0, new Uint8Array(8))).toEqual({
      ok: false,
      error: { code: 'invalid_request', field: 'our_node_id' },
    });
    expect(genesis(EMPTY_MEMBERSHIP, { our_node_id: A, admin_pubkey: ADMIN_ID }, T0, new Uint8Array(7))).toEqual({
      ok: false,
      error: { code: 'invalid_request', field: 'random_bytes' },
    });
  });
});
