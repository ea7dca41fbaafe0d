/**
 * Schema v3: the planner's tables (issue 7; runtime/node/planner/planner-loop.ts) next to the membership
 * (v1) and fleet (v2) tables. `planner_state` holds the planner's one persistent record as JSON
 * (hysteresis guards, pending actions, rejection backoff, the last decision log, the operator's
 * expansions switch, approvals waiting for the Intent Lock Protocol); `planner_decisions` is the
 * inbox `hivebox approve|reject --store` writes for planner actions without a running daemon.
 * Appended to `MIGRATIONS` in schema.ts.
 */
import type { Migration } from './schema.ts';

/** The planner migration. */
export const PLANNER_MIGRATION: Migration = {
  version: 3,
  description: 'planner: persistent planner record and the offline decision inbox for planner actions',
  sql: [
    `CREATE TABLE planner_state (
       id INTEGER PRIMARY KEY CHECK (id = 1),
       format INTEGER NOT NULL,
       record TEXT NOT NULL,
       updated_at INTEGER NOT NULL
     ) STRICT`,
    `CREATE TABLE planner_decisions (
       seq INTEGER PRIMARY KEY,
       action_id TEXT NOT NULL,
       decision TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
       reason TEXT NOT NULL,
       amount_sat INTEGER,
       decided_at INTEGER NOT NULL
     ) STRICT`,
  ],
};
