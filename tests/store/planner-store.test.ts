/**
 * The planner's store and record (services/store/planner-store.ts, runtime/node/planner/planner-record.ts):
 * the record round-trips through SQLite beside the fleet tables; a corrupt row, a record of another
 * format or a shape this code did not write is never trusted — the loop starts fresh and says so —
 * and the inbox drains once, oldest first.
 */
import { afterAll, expect, test } from 'bun:test';
import { Database } from 'bun:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMPTY_MEMBERSHIP } from '../../runtime/core/machines/membership.ts';
import { INITIAL_PLANNER_RECORD, parsePlannerRecord, PLANNER_RECORD_FORMAT } from '../../runtime/node/planner/planner-record.ts';
import { PlannerLoop, type PlannerHost } from '../../runtime/node/planner/planner-loop.ts';
import { DEFAULT_PLANNER_SETTINGS } from '../../runtime/node/planner/planner-settings.ts';
import { openFleetStore } from '../../services/store/fleet-store.ts';
import { openPlannerStore } from '../../services/store/planner-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'hbx-plstore-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const record = { ...INITIAL_PLANNER_RECORD, expansions_enabled: true, next_jitter_s: 17 };

test('the record round-trips beside the fleet tables; the inbox drains once, oldest first', () => {
  const path = join(dir, 'a.db');
  const fleet = openFleetStore(path, 1);
  const store = openPlannerStore(path, 1);
  if (!fleet.ok || !store.ok) throw new Error('open');
  expect(store.value.load()).toBeNull();
  expect(store.value.save(PLANNER_RECORD_FORMAT, record, 5)).toEqual({ ok: true });
  expect(store.value.recordDecision('pa-1-1', 'approve', '', 2_000_000, 6)).toEqual({ ok: true, seq: 1 });
  expect(store.value.recordDecision('pa-1-2', 'reject', 'no', null, 7)).toEqual({ ok: true, seq: 2 });
  store.value.close();
  const again = openPlannerStore(path, 2);
  if (!again.ok) throw new Error('reopen');
  const loaded = again.value.load()!;
  expect(loaded).toEqual({ format: PLANNER_RECORD_FORMAT, record, updated_at: 5 });
  expect(parsePlannerRecord(loaded.format, loaded.record)).toEqual(record);
  expect(again.value.takeDecisions().map((d) => [d.seq, d.action_id, d.decision, d.amount_sat])).toEqual([
    [1, 'pa-1-1', 'approve', 2_000_000],
    [2, 'pa-1-2', 'reject', null],
  ]);
  expect(again.value.takeDecisions()).toEqual([]);
  again.value.close();
  fleet.value.close();
});

test('records of another format or shape are refused', () => {
  expect(parsePlannerRecord(PLANNER_RECORD_FORMAT + 1, record)).toBeNull();
  expect(parsePlannerRecord(PLANNER_RECORD_FORMAT, { ...record, handoffs: { x: { action_id: 'a', decision: 'maybe', amount_sat: 1, decided_at: 1, stage: 'waiting' } } })).toBeNull();
  expect(parsePlannerRecord(PLANNER_RECORD_FORMAT, { ...record, planner: { ...record.planner, pending: [{ action_id: 'p', proposal: { kind: 'drain_everything' }, created_at: 1, expires_at: 2 }] } })).toBeNull();
  expect(parsePlannerRecord(PLANNER_RECORD_FORMAT, null)).toBeNull();
});

test('a corrupt row starts the planner fresh with a warning; nothing of it is used', () => {
  const path = join(dir, 'b.db');
  const store = openPlannerStore(path, 1);
  if (!store.ok) throw new Error('open');
  store.value.close();
  const db = new Database(path);
  db.run("INSERT INTO planner_state (id, format, record, updated_at) VALUES (1, 1, '{\"planner\": 5', 9)");
  db.close();
  const reopened = openPlannerStore(path, 2);
  if (!reopened.ok) throw new Error('reopen');
  expect(reopened.value.load()).toEqual({ format: 1, record: null, updated_at: 9 });
  const logs: string[] = [];
  const host: PlannerHost = {
    backend: {} as PlannerHost['backend'],
    our_node_id: '02' + '11'.repeat(32),
    random: () => new Uint8Array(2),
    log: (_level, event) => logs.push(event),
    now: () => 100,
    state: () => ({ fleet: { membership: EMPTY_MEMBERSHIP } }) as unknown as ReturnType<PlannerHost['state']>,
    step: async () => ({ ok: true, value: null }),
    emit: () => {},
    configureFleet: () => {},
  };
  expect(new PlannerLoop(host, reopened.value, DEFAULT_PLANNER_SETTINGS).current).toEqual(INITIAL_PLANNER_RECORD);
  const db2 = new Database(path);
  db2.run(`UPDATE planner_state SET record = '${JSON.stringify({ ...record, next_jitter_s: -1 })}'`);
  db2.close();
  expect(new PlannerLoop(host, reopened.value, DEFAULT_PLANNER_SETTINGS).current).toEqual(INITIAL_PLANNER_RECORD);
  expect(logs).toEqual(['planner_record_discarded', 'planner_record_discarded']);
  reopened.value.close();
});
