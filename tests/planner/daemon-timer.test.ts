/**
 * The daemon's planner timer in simnet: the 300 s floor holds whatever `planner_interval_s` says
 * (spec 003 §2.3 hard timer), the jitter only ever delays a cycle, a cycle that cannot read
 * lightningd waits `retry_after_failure_s`, and the record survives a daemon restart.
 */
import { afterEach, expect, test } from 'bun:test';
import type { PlannerStatus } from '../../runtime/node/planner/planner-status.ts';
import { SIMNET_TEST_TIMEOUT_MS, startPlannerHive, type PlannerHive } from './fixtures/planner-hive.ts';
import { smallGraph } from './small-graph.ts';

let hive: PlannerHive | null = null;
afterEach(async () => {
  await hive?.stop();
  hive = null;
});

/** Ten 2-BTC targets around a hub, real-looking scids (block 600,000). */
const GRAPH = smallGraph(
  12,
  Array.from({ length: 10 }, (_, i) => ({ a: 0, b: i + 1, capacity_sat: 200_000_000 })).concat([{ a: 11, b: 1, capacity_sat: 50_000_000 }]),
);

async function settle(h: PlannerHive, ms = 600): Promise<PlannerStatus> {
  await Bun.sleep(ms);
  return h.cli<PlannerStatus>('a', 'hive-planner-status');
}

test('planner_interval_s = 10 still runs every 300 s at most; no jitter, no early run', async () => {
  hive = await startPlannerHive({ names: ['a'], graph: GRAPH, planner: { planner_interval_s: 10 } });
  const first = await hive.cycles('a', 1);
  expect(first).toMatchObject({ planner_interval_s: 10, effective_interval_s: 300, jitter_max_s: 0, cycles_run: 1, governance_mode: 'advisor', expansions_enabled: false });
  const t0 = first.last_cycle!.at;
  expect(first.next_run_at).toBe(t0 + 300);
  hive.advance(10);
  expect((await settle(hive)).cycles_run).toBe(1);
  hive.advance(289);
  expect((await settle(hive)).cycles_run).toBe(1);
  hive.advance(1);
  const second = await hive.cycles('a', 2);
  expect(second.last_cycle!.at).toBe(t0 + 300);
  expect(second.last_cycle!.cycle_id).toBe('c2');
}, SIMNET_TEST_TIMEOUT_MS);

test('jitter from the injected randomness delays the next cycle by 0..jitter_max_s, never less than the interval', async () => {
  let k = 0;
  const random = (n: number) => Uint8Array.from({ length: n }, () => (k = (k * 73 + 41) & 0xff));
  hive = await startPlannerHive({ names: ['a'], graph: GRAPH, planner: { planner_interval_s: 300, jitter_max_s: 300 }, random });
  const first = await hive.cycles('a', 1);
  const t0 = first.last_cycle!.at;
  const jitter = first.next_run_at - t0 - 300;
  expect(jitter).toBeGreaterThanOrEqual(0);
  expect(jitter).toBeLessThanOrEqual(300);
  hive.advance(300 + jitter - 1);
  expect((await settle(hive)).cycles_run).toBe(1);
  hive.advance(1);
  expect((await hive.cycles('a', 2)).last_cycle!.at).toBe(t0 + 300 + jitter);
}, SIMNET_TEST_TIMEOUT_MS);

test('the record survives a daemon restart: the timer keeps counting from the last cycle', async () => {
  hive = await startPlannerHive({ names: ['a'], graph: GRAPH, planner: { planner_interval_s: 600 } });
  const first = await hive.cycles('a', 1);
  await hive.fleet.restartDaemon('a');
  await hive.fleet.waitPluginsConnected();
  const after = await hive.until(async () => {
    try {
      return await hive!.cli<PlannerStatus>('a', 'hive-planner-status');
    } catch {
      return null;
    }
  });
  expect(after).toMatchObject({ cycles_run: 1, next_run_at: first.last_cycle!.at + 600, last_cycle: { cycle_id: 'c1' } });
  hive.advance(600);
  expect((await hive.cycles('a', 2)).last_cycle!.cycle_id).toBe('c2');
}, SIMNET_TEST_TIMEOUT_MS);
