/**
 * The fleet store: the fleet tables of schema v2 (fleet-schema.ts) in the same bun:sqlite file
 * (WAL) as the membership tables, behind the core's `FleetWrite` effects
 * (runtime/core/fleet/tables.ts). It also owns the operator's decision inbox that `hivebox
 * approve|reject` writes without a running daemon and the daemon drains on its tick.
 *
 * Atomicity: `commit(effects)` applies every `persist` (membership) and `persist_fleet` effect of
 * one fleet step inside ONE transaction — the membership writes through `MembershipStore`
 * (nested, so it joins the outer transaction) and the fleet rows generically from `TABLES`. If
 * any write fails nothing is kept and the caller keeps its old state.
 */
import type { Database } from 'bun:sqlite';
import type { MembershipState, StoreWrite } from '../../runtime/core/machines/membership.ts';
import { EMPTY_TABLES, rowKey, TABLES, type ActionRow, type FleetRows, type FleetTables, type FleetWrite, type TableName } from '../../runtime/core/fleet/index.ts';
import { MembershipStore, openStoreDatabase, type StoreDump, type StoreError } from './membership-store.ts';

/** An operator decision waiting in the inbox. */
export interface DecisionRow {
  readonly seq: number;
  readonly action_id: string;
  readonly decision: 'approve' | 'reject';
  readonly reason: string;
  readonly decided_at: number;
}

/** Why a decision could not be recorded. */
export type DecisionError = { readonly kind: 'unknown_action' } | { readonly kind: 'action_not_pending'; readonly status: string } | { readonly kind: 'action_expired'; readonly expires_at: number };

/** Anything with a `kind`; `commit` applies `persist` and `persist_fleet` effects. */
export type FleetStoreEffect = { readonly kind: string; readonly write?: unknown };

/** Fleet and membership tables of one node. Construct with {@link openFleetStore}. */
export class FleetStore {
  private readonly columns = new Map<TableName, readonly string[]>();

  /** @param db an open, migrated database (WAL). */
  constructor(
    private readonly db: Database,
    readonly membership: MembershipStore,
  ) {
    for (const t of Object.keys(TABLES) as TableName[]) {
      const cols = (db.query(`PRAGMA table_info("${TABLES[t].sql}")`).all() as { name: string }[]).map((c) => c.name);
      this.columns.set(t, cols);
    }
  }

  /** Every fleet table, keyed as the core keys it. */
  loadTables(): FleetTables {
    const out: Record<string, Map<string, unknown>> = {};
    for (const t of Object.keys(TABLES) as TableName[]) {
      const spec = TABLES[t];
      const rows = this.db.query(`SELECT * FROM "${spec.sql}" ORDER BY rowid`).all() as Record<string, unknown>[];
      const map = new Map<string, unknown>();
      for (const r of rows) {
        for (const j of spec.json) r[j] = JSON.parse(r[j] as string);
        map.set(rowKey(t, r as never), r);
      }
      out[t] = map;
    }
    return { ...EMPTY_TABLES, ...out } as FleetTables;
  }

  /** Membership and fleet tables, as `initialFleetState` takes them. */
  load(): { membership: MembershipState; tables: FleetTables } {
    return { membership: this.membership.load(), tables: this.loadTables() };
  }

  /**
   * Apply every `persist` / `persist_fleet` effect in `effects` (others ignored) in one transaction.
   * @returns ok, or `write_failed` naming the op — in which case nothing was written.
   */
  commit(effects: readonly FleetStoreEffect[]): { ok: true } | { ok: false; error: StoreError } {
    const members: StoreWrite[] = [];
    const fleet: FleetWrite[] = [];
    for (const e of effects) {
      if (e.kind === 'persist') members.push(e.write as StoreWrite);
      else if (e.kind === 'persist_fleet') fleet.push(e.write as FleetWrite);
    }
    if (members.length === 0 && fleet.length === 0) return { ok: true };
    let current = 'membership';
    try {
      this.db.transaction(() => {
        const m = this.membership.applyWrites(members);
        if (!m.ok) throw new Error(`${m.error.kind}: ${'reason' in m.error ? m.error.reason : ''}`);
        for (const w of fleet) {
          current = `${w.op} ${w.table}`;
          this.applyOne(w);
        }
      })();
      return { ok: true };
    } catch (e) {
      return { ok: false, error: { kind: 'write_failed', op: current, reason: e instanceof Error ? e.message : String(e) } };
    }
  }

  private applyOne(w: FleetWrite): void {
    const spec = TABLES[w.table];
    if (w.op === 'delete') {
      const parts = w.key.split('|');
      this.db.run(`DELETE FROM "${spec.sql}" WHERE ${spec.key.map((k) => `"${k}" = ?`).join(' AND ')}`, parts);
      return;
    }
    const cols = this.columns.get(w.table)!;
    const row = w.row as unknown as Record<string, unknown>;
    const json = new Set<string>(spec.json);
    const values = cols.map((c) => {
      if (!(c in row)) throw new Error(`${w.table}: missing column ${c}`);
      const v = row[c];
      return (json.has(c) ? JSON.stringify(v) : v) as string | number | null;
    });
    this.db.run(`INSERT OR REPLACE INTO "${spec.sql}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, values);
  }

  /** One fleet row by key, or null (CLI and tests). */
  row<T extends TableName>(table: T, key: string): FleetRows[T] | null {
    return (this.loadTables()[table].get(key) as FleetRows[T] | undefined) ?? null;
  }

  /** Pending actions first, then the rest, newest first (`hivebox actions`). */
  actions(): ActionRow[] {
    const rows = [...this.loadTables().actions.values()];
    return rows.sort((a, b) => (a.status === 'pending' ? 0 : 1) - (b.status === 'pending' ? 0 : 1) || b.created_at - a.created_at);
  }

  /**
   * Record the operator's decision in the inbox (the daemon applies it on its next tick).
   * @param now unix seconds.
   * @returns the inbox sequence number, or why the action cannot be decided now.
   */
  recordDecision(action_id: string, decision: 'approve' | 'reject', reason: string, now: number): { ok: true; seq: number } | { ok: false; error: DecisionError } {
    const action = this.loadTables().actions.get(action_id);
    if (!action) return { ok: false, error: { kind: 'unknown_action' } };
    if (action.status !== 'pending') return { ok: false, error: { kind: 'action_not_pending', status: action.status } };
    if (now >= action.expires_at) return { ok: false, error: { kind: 'action_expired', expires_at: action.expires_at } };
    const r = this.db.query('INSERT INTO fleet_action_decisions (action_id, decision, reason, decided_at) VALUES (?, ?, ?, ?) RETURNING seq').get(action_id, decision, reason, now) as { seq: number };
    return { ok: true, seq: r.seq };
  }

  /** Read and remove every inbox decision, oldest first, in one transaction. */
  takeDecisions(): DecisionRow[] {
    return this.db.transaction(() => {
      const rows = this.db.query('SELECT * FROM fleet_action_decisions ORDER BY seq').all() as DecisionRow[];
      this.db.run('DELETE FROM fleet_action_decisions');
      return rows.map((r) => ({ ...r }));
    })();
  }

  /** Every table's rows (membership and fleet). */
  dump(): StoreDump {
    return this.membership.dump();
  }

  /** Close the database. */
  close(): void {
    this.db.close();
  }
}

/**
 * Open (creating if needed) the node's store at `path`, switch it to WAL, migrate it (membership
 * and fleet tables), and return the fleet store with its membership store.
 * @param now unix seconds, recorded with each applied migration.
 */
export function openFleetStore(path: string, now: number): { ok: true; value: FleetStore } | { ok: false; error: StoreError } {
  const db = openStoreDatabase(path, now);
  return db.ok ? { ok: true, value: new FleetStore(db.value, new MembershipStore(db.value)) } : db;
}
