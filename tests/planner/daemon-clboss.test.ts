/**
 * CLBoss coexistence (spec 003 §4) on the daemon, real 2026 graph, three saturated targets, with a
 * CLBoss stand-in plugin loaded in simnet's lightningd (`plugin list` shows it): in advisor mode each
 * guard is a pending `clboss-unmanage <peer> lnfee` action that runs only when approved (a rejected
 * guard is not proposed again for 24 h); in failsafe mode the cycle runs the reversible fee-control
 * commands itself. CLBoss has no `clboss-ignore`, so nothing else is asked of it.
 */
import { afterEach, beforeAll, expect, test } from 'bun:test';
import type { Graph } from '../../runtime/core/graph/graph.ts';
import type { Explanation } from '../../runtime/core/planner/decision-log.ts';
import type { PlannerStatus } from '../../runtime/node/planner/planner-status.ts';
import type { DecideResult, PendingActionsResult } from '../../runtime/node/hive/rpc/actions.ts';
import { FILES, realGraph } from '../graph/real-graphs.ts';
import { writeClbossStandin } from './fixtures/clboss-standin.ts';
import { attach, midTargets, SIMNET_TEST_TIMEOUT_MS, startPlannerHive, type PlannerHive } from './fixtures/planner-hive.ts';

let graph: Graph;
let sat: string[];
let hive: PlannerHive | null = null;
beforeAll(async () => {
  graph = await realGraph(FILES.compressed2026);
  sat = midTargets(graph).slice(0, 3);
});
afterEach(async () => {
  await hive?.stop();
  hive = null;
});

async function withClboss(planner: Record<string, unknown>): Promise<PlannerHive> {
  const h = await startPlannerHive({ names: ['a'], graph, planner: { first_cycle_delay_s: 30, ...planner } });
  await attach(h, 'a', sat, 50_000_000);
  const started = await h.member('a').cli.call('plugin', { subcommand: 'start', plugin: writeClbossStandin(h.root) });
  expect(started.ok).toBe(true);
  h.advance(30);
  await h.cycles('a', 1);
  return h;
}

const clbossCalls = (h: PlannerHive) => h.member('a').node.logs.map((l) => l.message).filter((m) => m.startsWith('CLBOSS '));

test('advisor: each saturated target is a pending clboss-unmanage action; approval runs it, rejection backs off 24 h', async () => {
  hive = await withClboss({});
  const status = await hive.cli<PlannerStatus>('a', 'hive-planner-status');
  expect(status).toMatchObject({ clboss_present: true, guarded_targets: 0, pending_actions: 3 });
  const actions = (await hive.cli<PendingActionsResult>('a', 'hive-pending-actions')).actions;
  expect(actions.map((a) => a.kind)).toEqual(['saturation_guard', 'saturation_guard', 'saturation_guard']);
  expect(actions.map((a) => a.target).sort()).toEqual([...sat].sort());
  for (const a of actions) expect(a.rule).toContain(`proposed \`clboss-unmanage ${a.target!.slice(0, 16)}… lnfee\``);
  expect(clbossCalls(hive)).toEqual([]);

  const [first, second] = actions;
  const ok = await hive.cli<DecideResult>('a', 'hive-approve-action', [first!.action_id]);
  expect(ok.decided[0]).toMatchObject({ decision: 'approve', kind: 'saturation_guard', target: first!.target });
  await hive.until(async () => clbossCalls(hive!).length === 1);
  expect(clbossCalls(hive)).toEqual([`CLBOSS clboss-unmanage ${first!.target} lnfee`]);
  await hive.cli('a', 'hive-reject-action', { action_id: second!.action_id, reason: 'keep CLBoss on it' });
  expect((await hive.cli<PlannerStatus>('a', 'hive-planner-status')).guarded_targets).toBe(1);

  hive.advance(3_600);
  await hive.cycles('a', 2);
  const e = await hive.cli<Explanation>('a', 'hive-planner-explain', { node_id: second!.target! });
  expect(e.found === 'decision' && e.decision.reason).toBe('rejected_recently');
  const g = await hive.cli<Explanation>('a', 'hive-planner-explain', { node_id: first!.target! });
  expect(g.found === 'decision' && g.decision.reason).toBe('already_guarded');
  expect(clbossCalls(hive)).toHaveLength(1);
}, SIMNET_TEST_TIMEOUT_MS);

test('failsafe: the cycle runs clboss-unmanage itself for every new saturated target; nothing waits', async () => {
  hive = await withClboss({ governance_mode: 'failsafe' });
  await hive.until(async () => clbossCalls(hive!).length === 3);
  expect(clbossCalls(hive).sort()).toEqual(sat.map((t) => `CLBOSS clboss-unmanage ${t} lnfee`).sort());
  expect(await hive.cli<PlannerStatus>('a', 'hive-planner-status')).toMatchObject({ governance_mode: 'failsafe', guarded_targets: 3, pending_actions: 0, clboss_present: true });
}, SIMNET_TEST_TIMEOUT_MS);
