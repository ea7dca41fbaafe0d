/**
 * The membership store's SQLite schema and its migrations (issue 2 §7). Each migration runs in its
 * own transaction and records itself in `schema_version`; a database written by a newer Hivebox
 * (a version this code does not know) is refused rather than guessed at. Column names follow
 * cl-hive's tables where they exist (clhive-protocol.md §10: `hive_members`, `hive_bans`).
 */
import type { Database } from 'bun:sqlite';
import { FLEET_MIGRATION } from './fleet-schema.ts';
import { PLANNER_MIGRATION } from './planner-schema.ts';

/** One schema step. `sql` statements run in order inside one transaction. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: readonly string[];
}

/** All migrations, oldest first. Append only; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'membership: hive record, members, trusted admin keys, used tickets, open challenges, banned keys',
    sql: [
      `CREATE TABLE hive (
         id INTEGER PRIMARY KEY CHECK (id = 1),
         hive_id TEXT NOT NULL,
         created_at INTEGER NOT NULL,
         our_node_id TEXT NOT NULL,
         our_role TEXT NOT NULL CHECK (our_role IN ('member', 'neophyte'))
       ) STRICT`,
      `CREATE TABLE members (
         node_id TEXT PRIMARY KEY,
         tier TEXT NOT NULL CHECK (tier IN ('member', 'neophyte')),
         joined_at INTEGER NOT NULL,
         addresses TEXT NOT NULL DEFAULT '[]'
       ) STRICT`,
      `CREATE TABLE trusted_admins (
         admin_pubkey TEXT PRIMARY KEY,
         added_at INTEGER NOT NULL
       ) STRICT`,
      `CREATE TABLE used_tickets (
         ticket_id TEXT PRIMARY KEY,
         used_by TEXT NOT NULL,
         used_at INTEGER NOT NULL,
         expires_at INTEGER NOT NULL
       ) STRICT`,
      `CREATE TABLE open_challenges (
         peer_id TEXT PRIMARY KEY,
         nonce TEXT NOT NULL UNIQUE,
         hive_id TEXT NOT NULL,
         framing TEXT NOT NULL CHECK (framing IN ('spec', 'clhive')),
         issued_at INTEGER NOT NULL,
         join_via TEXT NOT NULL CHECK (join_via IN ('ticket', 'channel')),
         ticket_id TEXT,
         requirements INTEGER NOT NULL,
         min_version TEXT NOT NULL,
         features_hex TEXT NOT NULL
       ) STRICT`,
      `CREATE INDEX open_challenges_issued_at ON open_challenges (issued_at)`,
      `CREATE TABLE banned_keys (
         node_id TEXT PRIMARY KEY,
         reason TEXT NOT NULL,
         banned_at INTEGER NOT NULL,
         expires_at INTEGER
       ) STRICT`,
    ],
  },
  FLEET_MIGRATION,
  PLANNER_MIGRATION,
  {
    version: 5,
    description: "fleet: each member's framing, learned in the handshake, kept across restarts (issue 13)",
    sql: [
      `CREATE TABLE fleet_framings (
         peer_id TEXT PRIMARY KEY,
         framing TEXT NOT NULL CHECK (framing IN ('spec', 'clhive')),
         learned_at INTEGER NOT NULL
       ) STRICT`,
    ],
  },
  {
    version: 6,
    description: 'members: the admission proof each member row carries (issue 15; JSON, NULL for the founder and older rows)',
    sql: [`ALTER TABLE members ADD COLUMN admission TEXT`],
  },
];

/** The newest schema version this code knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Current schema version of `db` (0 for a fresh file). */
export function schemaVersion(db: Database): number {
  db.run('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at INTEGER NOT NULL) STRICT');
  const row = db.query('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
  return row.v ?? 0;
}

/**
 * Bring `db` up to {@link SCHEMA_VERSION}.
 * @param now unix seconds, recorded per applied migration.
 * @returns the versions applied, or `schema_too_new` with the version found.
 */
export function migrate(db: Database, now: number): { ok: true; applied: number[] } | { ok: false; found: number } {
  const current = schemaVersion(db);
  if (current > SCHEMA_VERSION) return { ok: false, found: current };
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      for (const stmt of m.sql) db.run(stmt);
      db.run('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)', [m.version, now]);
    })();
    applied.push(m.version);
  }
  return { ok: true, applied };
}
