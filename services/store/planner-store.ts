/**
 * The planner store: the planner's persistent record (one JSON row, schema v3 planner-schema.ts)
 * and its offline decision inbox, in the node's SQLite file (bun:sqlite, WAL) beside the
 * membership and fleet tables. The record's shape belongs to runtime/node/planner/planner-record.ts;
 * this file stores and returns it verbatim with its format number. Every method returns a value:
 * write failures are `write_failed` and leave the previous row in place (one statement each).
 */
import type { Database } from 'bun:sqlite';
import { openStoreDatabase, type StoreError } from './membership-store.ts';

/** A stored record: its format number, the parsed JSON and when it was written (unix s). */
export interface StoredPlannerRecord {
  readonly format: number;
  readonly record: unknown;
  readonly updated_at: number;
}

/** A planner decision waiting in the inbox. `amount_sat` null = as proposed. */
export interface PlannerDecisionRow {
  readonly seq: number;
  readonly action_id: string;
  readonly decision: 'approve' | 'reject';
  readonly reason: string;
  readonly amount_sat: number | null;
  readonly decided_at: number;
}

/** Largest record accepted (a decision log on the full mainnet graph is well below 8 MiB). */
const MAX_RECORD_CHARS = 32 * 1024 * 1024;

/** The planner tables of one node store. Construct with {@link openPlannerStore}. */
export class PlannerStore {
  /** @param db an open, migrated database (WAL). */
  constructor(private readonly db: Database) {}

  /** The record, or null when none was written; a row that is not JSON comes back with `record: null` (the caller discards it). */
  load(): StoredPlannerRecord | null {
    const row = this.db.query('SELECT format, record, updated_at FROM planner_state WHERE id = 1').get() as { format: number; record: string; updated_at: number } | null;
    if (!row) return null;
    try {
      return { format: row.format, record: JSON.parse(row.record), updated_at: row.updated_at };
    } catch {
      return { format: row.format, record: null, updated_at: row.updated_at };
    }
  }

  /**
   * Replace the record.
   * @returns ok, or `write_failed` (too large, disk error); the previous record then stays.
   */
  save(format: number, record: unknown, now: number): { ok: true } | { ok: false; error: StoreError } {
    try {
      const text = JSON.stringify(record);
      if (text.length > MAX_RECORD_CHARS) return { ok: false, error: { kind: 'write_failed', op: 'put planner_state', reason: `record of ${text.length} chars exceeds ${MAX_RECORD_CHARS}` } };
      this.db.run('INSERT OR REPLACE INTO planner_state (id, format, record, updated_at) VALUES (1, ?, ?, ?)', [format, text, now]);
      return { ok: true };
    } catch (e) {
      return { ok: false, error: { kind: 'write_failed', op: 'put planner_state', reason: e instanceof Error ? e.message : String(e) } };
    }
  }

  /** Put an operator decision in the inbox (the caller checked the action is pending). @returns its sequence number. */
  recordDecision(action_id: string, decision: 'approve' | 'reject', reason: string, amount_sat: number | null, now: number): { ok: true; seq: number } | { ok: false; error: StoreError } {
    try {
      const r = this.db.query('INSERT INTO planner_decisions (action_id, decision, reason, amount_sat, decided_at) VALUES (?, ?, ?, ?, ?) RETURNING seq').get(action_id, decision, reason, amount_sat, now) as { seq: number };
      return { ok: true, seq: r.seq };
    } catch (e) {
      return { ok: false, error: { kind: 'write_failed', op: 'insert planner_decisions', reason: e instanceof Error ? e.message : String(e) } };
    }
  }

  /** Read and remove every inbox decision, oldest first, in one transaction. */
  takeDecisions(): PlannerDecisionRow[] {
    return this.db.transaction(() => {
      const rows = this.db.query('SELECT * FROM planner_decisions ORDER BY seq').all() as PlannerDecisionRow[];
      this.db.run('DELETE FROM planner_decisions');
      return rows.map((r) => ({ ...r }));
    })();
  }

  /** Close this connection. */
  close(): void {
    this.db.close();
  }
}

/**
 * Open (creating and migrating if needed) the node store at `path` for the planner tables.
 * @param now unix seconds, recorded with each applied migration.
 */
export function openPlannerStore(path: string, now: number): { ok: true; value: PlannerStore } | { ok: false; error: StoreError } {
  const db = openStoreDatabase(path, now);
  return db.ok ? { ok: true, value: new PlannerStore(db.value) } : db;
}
