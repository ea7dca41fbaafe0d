/**
 * The membership store: bun:sqlite in WAL mode holding the hive record, members, trusted admin
 * keys, used tickets, open challenges and banned keys (issue 2 §7). It applies the core's
 * `StoreWrite`s — the same values the machines reduce with `applyWrites` — and loads them back as
 * one `MembershipState`.
 *
 * Atomicity: `commit(effects)` applies every persist effect of one machine step inside one
 * `db.transaction`; if any write fails, none is kept (the transaction rolls back) and the caller
 * keeps its old state. One inbound message = one step = one transaction.
 */
import { Database } from 'bun:sqlite';
import { prepareStoreFile, tightenSidecars } from './private-file.ts';
import type {
  BanRecord,
  HiveRecord,
  MemberRecord,
  MembershipState,
  OpenChallenge,
  StoreWrite,
  TrustedAdmin,
  UsedTicket,
} from '../../runtime/core/machines/membership.ts';
import type { NodeId, Nonce } from '../../runtime/core/types.ts';
import type { Framing, Admission } from '../../runtime/core/wire/index.ts';
import { STORE_LIMITS } from './limits.ts';
import { migrate, schemaVersion } from './schema.ts';

/** Why the store could not open or commit. */
export type StoreError =
  | { readonly kind: 'open_failed'; readonly path: string; readonly reason: string }
  | { readonly kind: 'schema_too_new'; readonly found: number }
  | { readonly kind: 'write_failed'; readonly op: string; readonly reason: string };

/** Anything with a `kind`; `commit` applies those whose kind is `persist`. */
export type AnyEffect = { readonly kind: string; readonly write?: StoreWrite };

/** Every table's rows, for diagnostics and for tests that prove bad input changed nothing. */
export type StoreDump = Readonly<Record<string, readonly unknown[]>>;

interface MemberRow {
  node_id: string;
  tier: 'member' | 'neophyte';
  joined_at: number;
  addresses: string;
  admission: string | null;
}
interface ChallengeRow {
  peer_id: string;
  nonce: string;
  hive_id: string;
  framing: Framing;
  issued_at: number;
  join_via: 'ticket' | 'channel';
  ticket_id: string | null;
  requirements: number;
  min_version: string;
  features_hex: string;
}

function toMember(r: MemberRow): MemberRecord {
  const m: MemberRecord = { node_id: r.node_id as NodeId, tier: r.tier, joined_at: r.joined_at, addresses: JSON.parse(r.addresses) as string[] };
  return r.admission === null ? m : { ...m, admission: JSON.parse(r.admission) as Admission };
}

function toChallenge(r: ChallengeRow): OpenChallenge {
  return { ...r, peer_id: r.peer_id as NodeId, nonce: r.nonce as Nonce };
}

/** Typed access to the membership tables. Construct with {@link openMembershipStore}. */
export class MembershipStore {
  /** @param db an open, migrated database (WAL). */
  constructor(private readonly db: Database) {}

  /** The schema version of the open database. */
  schemaVersion(): number {
    return schemaVersion(this.db);
  }

  /** The hive record, or null before genesis / join. */
  hive(): HiveRecord | null {
    const r = this.db.query('SELECT hive_id, created_at, our_node_id, our_role FROM hive WHERE id = 1').get() as HiveRecord | null;
    return r ? { ...r } : null;
  }

  /** One member, or null. */
  member(node_id: string): MemberRecord | null {
    const r = this.db.query('SELECT * FROM members WHERE node_id = ?').get(node_id) as MemberRow | null;
    return r ? toMember(r) : null;
  }

  /** All members ordered by node_id. */
  members(): MemberRecord[] {
    return (this.db.query('SELECT * FROM members ORDER BY node_id').all() as MemberRow[]).map(toMember);
  }

  /** Trusted admin keys ordered by key. */
  trustedAdmins(): TrustedAdmin[] {
    return (this.db.query('SELECT * FROM trusted_admins ORDER BY admin_pubkey').all() as TrustedAdmin[]).map((r) => ({ ...r }));
  }

  /** Banned keys ordered by node_id. */
  bans(): BanRecord[] {
    return (this.db.query('SELECT * FROM banned_keys ORDER BY node_id').all() as BanRecord[]).map((r) => ({ ...r }));
  }

  /** One used ticket, or null. */
  usedTicket(ticket_id: string): UsedTicket | null {
    const r = this.db.query('SELECT * FROM used_tickets WHERE ticket_id = ?').get(ticket_id) as UsedTicket | null;
    return r ? { ...r } : null;
  }

  /** Used tickets ordered by first use. */
  usedTickets(): UsedTicket[] {
    return (this.db.query('SELECT * FROM used_tickets ORDER BY used_at, ticket_id').all() as UsedTicket[]).map((r) => ({ ...r }));
  }

  /** Open challenges, oldest first. */
  challenges(): OpenChallenge[] {
    return (this.db.query('SELECT * FROM open_challenges ORDER BY issued_at, peer_id').all() as ChallengeRow[]).map(toChallenge);
  }

  /** The whole membership state, as the machines take it. */
  load(): MembershipState {
    return {
      hive: this.hive(),
      members: new Map(this.members().map((m) => [m.node_id, m])),
      trusted_admins: new Map(this.trustedAdmins().map((a) => [a.admin_pubkey, a])),
      banned: new Map(this.bans().map((b) => [b.node_id, b])),
      used_tickets: new Map(this.usedTickets().map((t) => [t.ticket_id, t])),
      challenges: new Map(this.challenges().map((c) => [c.peer_id, c])),
    };
  }

  /**
   * Apply every `persist` effect in `effects` (other kinds are ignored) in one transaction.
   * @returns ok, or `write_failed` naming the op — in which case nothing was written.
   */
  commit(effects: readonly AnyEffect[]): { ok: true } | { ok: false; error: StoreError } {
    const writes = effects.flatMap((e) => (e.kind === 'persist' && e.write ? [e.write] : []));
    return this.applyWrites(writes);
  }

  /** Apply `writes` in order in one transaction (all or nothing). */
  applyWrites(writes: readonly StoreWrite[]): { ok: true } | { ok: false; error: StoreError } {
    let current = '';
    try {
      this.db.transaction(() => {
        for (const w of writes) {
          current = w.op;
          this.applyOne(w);
        }
      })();
      return { ok: true };
    } catch (e) {
      return { ok: false, error: { kind: 'write_failed', op: current, reason: e instanceof Error ? e.message : String(e) } };
    }
  }

  private applyOne(w: StoreWrite): void {
    const db = this.db;
    switch (w.op) {
      case 'put_hive': {
        const h = w.hive;
        db.run(
          `INSERT INTO hive (id, hive_id, created_at, our_node_id, our_role) VALUES (1, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET hive_id = excluded.hive_id, created_at = excluded.created_at,
             our_node_id = excluded.our_node_id, our_role = excluded.our_role`,
          [h.hive_id, h.created_at, h.our_node_id, h.our_role],
        );
        return;
      }
      case 'put_member': {
        const m = w.member;
        if (m.addresses.length > STORE_LIMITS.addressesPerMember) throw new Error(`more than ${STORE_LIMITS.addressesPerMember} addresses`);
        db.run(
          `INSERT INTO members (node_id, tier, joined_at, addresses, admission) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (node_id) DO UPDATE SET tier = excluded.tier, joined_at = excluded.joined_at, addresses = excluded.addresses,
             admission = excluded.admission`,
          [m.node_id, m.tier, m.joined_at, JSON.stringify(m.addresses), m.admission ? JSON.stringify(m.admission) : null],
        );
        return;
      }
      case 'delete_member':
        db.run('DELETE FROM members WHERE node_id = ?', [w.node_id]);
        return;
      case 'put_trusted_admin':
        db.run('INSERT OR REPLACE INTO trusted_admins (admin_pubkey, added_at) VALUES (?, ?)', [w.admin.admin_pubkey, w.admin.added_at]);
        return;
      case 'put_ban': {
        const b = w.ban;
        db.run('INSERT OR REPLACE INTO banned_keys (node_id, reason, banned_at, expires_at) VALUES (?, ?, ?, ?)', [
          b.node_id,
          b.reason,
          b.banned_at,
          b.expires_at,
        ]);
        return;
      }
      case 'use_ticket': {
        const u = w.use;
        db.run('INSERT OR IGNORE INTO used_tickets (ticket_id, used_by, used_at, expires_at) VALUES (?, ?, ?, ?)', [
          u.ticket_id,
          u.used_by,
          u.used_at,
          u.expires_at,
        ]);
        return;
      }
      case 'put_challenge': {
        const c = w.challenge;
        db.run(
          `INSERT OR REPLACE INTO open_challenges
             (peer_id, nonce, hive_id, framing, issued_at, join_via, ticket_id, requirements, min_version, features_hex)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [c.peer_id, c.nonce, c.hive_id, c.framing, c.issued_at, c.join_via, c.ticket_id, c.requirements, c.min_version, c.features_hex],
        );
        return;
      }
      case 'delete_challenge':
        db.run('DELETE FROM open_challenges WHERE peer_id = ?', [w.peer_id]);
        return;
    }
  }

  /** Every table's rows in primary-key order (schema_version included). */
  dump(): StoreDump {
    const tables = this.db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    const out: Record<string, unknown[]> = {};
    for (const { name } of tables) out[name] = this.db.query(`SELECT * FROM "${name}" ORDER BY 1`).all();
    return out;
  }

  /** Close the database. */
  close(): void {
    this.db.close();
  }
}

/**
 * Open (creating if needed) the SQLite file at `path`, switch it to WAL, and migrate it.
 * @param path file path, or `:memory:` for tests that need no durability.
 * @param now unix seconds, recorded with each applied migration.
 * @returns the open database, or `open_failed` / `schema_too_new`.
 */
export function openStoreDatabase(path: string, now: number): { ok: true; value: Database } | { ok: false; error: StoreError } {
  let db: Database;
  try {
    prepareStoreFile(path);
    db = new Database(path, { create: true, strict: true });
    db.run('PRAGMA journal_mode = WAL');
    db.run('PRAGMA synchronous = NORMAL');
    db.run(`PRAGMA busy_timeout = ${STORE_LIMITS.busyTimeout_ms}`);
    tightenSidecars(path);
  } catch (e) {
    return { ok: false, error: { kind: 'open_failed', path, reason: e instanceof Error ? e.message : String(e) } };
  }
  const m = migrate(db, now);
  if (!m.ok) {
    db.close();
    return { ok: false, error: { kind: 'schema_too_new', found: m.found } };
  }
  return { ok: true, value: db };
}

/**
 * Open (creating if needed) the store at `path`, switch it to WAL, and migrate it.
 * @param path file path, or `:memory:` for tests that need no durability.
 * @param now unix seconds, recorded with each applied migration.
 * @returns the store, or `open_failed` / `schema_too_new`.
 */
export function openMembershipStore(path: string, now: number): { ok: true; value: MembershipStore } | { ok: false; error: StoreError } {
  const db = openStoreDatabase(path, now);
  return db.ok ? { ok: true, value: new MembershipStore(db.value) } : db;
}
