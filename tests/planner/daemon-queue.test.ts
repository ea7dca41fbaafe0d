/**
 * One pending-actions queue, one id space, on the daemon (simnet, real 2019 graph): a planner
 * channel open and the fleet intent action it locks are one entry, decidable by either id (with
 * an amount override); offline decisions through the store inbox reach the daemon on its next
 * tick; bad ids, amounts and parameters are refused with their own codes and change nothing.
 */
import { afterEach, beforeAll, expect, test } from 'bun:test';
import { join } from 'node:path';
import type { Graph } from '../../runtime/core/graph/graph.ts';
import type { NodePeerChannel } from '../../runtime/core/ports.ts';
import type { ActionView } from '../../runtime/node/planner/action-queue.ts';
import type { PlannerStatus } from '../../runtime/node/planner/planner-status.ts';
import { RPC_ERROR } from '../../runtime/node/hive/rpc/errors.ts';
import type { DecideResult, PendingActionsResult } from '../../runtime/node/hive/rpc/actions.ts';
import { FILES, realGraph } from '../graph/real-graphs.ts';
import { fundedHive, hiveboxCli, SIMNET_TEST_TIMEOUT_MS, type PlannerHive } from './fixtures/planner-hive.ts';

let graph: Graph;
let hive: PlannerHive | null = null;
beforeAll(async () => {
  graph = await realGraph(FILES.json2019);
});
afterEach(async () => {
  await hive?.stop();
  hive = null;
});

/** One member on the 2019 graph, 1 BTC on chain, expansions on, first cycle run: its one proposal. */
async function proposed(): Promise<{ h: PlannerHive; a: ActionView }> {
  const h = await fundedHive(graph, { planner_enable_expansions: true });
  h.advance(60);
  await h.cycles('a', 1);
  const actions = (await h.cli<PendingActionsResult>('a', 'hive-pending-actions')).actions;
  expect(actions).toHaveLength(1);
  return { h, a: actions[0]! };
}

async function cliError(h: PlannerHive, method: string, params: Record<string, unknown>): Promise<{ code: number; message: string }> {
  try {
    await h.cli('a', method, params);
  } catch (e) {
    return e as { code: number; message: string };
  }
  throw new Error(`${method} succeeded`);
}

test('after the hold the fleet action joins the planner action; approving by the fleet id with a lower amount funds that amount', async () => {
  const { h, a } = await proposed();
  hive = h;
  h.advance(61);
  const joined = await h.until(async () => {
    const [v] = (await h.cli<PendingActionsResult>('a', 'hive-pending-actions')).actions;
    return v?.intent?.fleet_action_id ? v : null;
  });
  expect(joined).toMatchObject({ action_id: a.action_id, source: 'planner', intent: { status: 'pending' } });
  const fleetId = joined.intent!.fleet_action_id!;
  expect(fleetId).toMatch(/^[0-9a-f]{12}$/);
  expect((await h.cli<PendingActionsResult>('a', 'hive-pending-actions')).actions).toHaveLength(1);

  const r = await h.cli<DecideResult>('a', 'hive-approve-action', { action_id: fleetId, amount_sats: 2_000_000 });
  expect(r.decided).toHaveLength(1);
  expect(r.decided[0]).toMatchObject({ action_id: a.action_id, decision: 'approve', target: a.target });
  const ch = await h.until(async () => {
    const l = await h.member('a').backend.listpeerchannels(a.target!);
    return l.ok && l.value.length ? (l.value[0] as NodePeerChannel) : null;
  });
  expect(ch.total_msat).toBe(2_000_000_000);
  const again = await cliError(h, 'hive-approve-action', { action_id: a.action_id });
  expect(again.code).toBe(RPC_ERROR.actionNotPending);
  expect(again.message).toBe(`action ${a.action_id} is executed`);
}, SIMNET_TEST_TIMEOUT_MS);

test('offline: `hivebox reject --store` puts a planner decision in the inbox; the daemon applies it on its next tick', async () => {
  const { h, a } = await proposed();
  hive = h;
  const { out, exit } = await hiveboxCli(h, ['reject', a.action_id, '--reason', 'offline', '--store', join(h.root, 'a', 'hive.db')], null);
  expect(exit).toBe(0);
  expect(out).toContain(`reject ${a.action_id} recorded (inbox #1)`);
  const history = await h.until(async () => {
    const all = (await h.cli<PendingActionsResult>('a', 'hive-pending-actions', { all: true })).actions;
    return all.find((v) => v.action_id === a.action_id && v.status === 'rejected') ?? null;
  });
  expect(history.reason).toBe('offline');
  expect((await h.cli<PendingActionsResult>('a', 'hive-pending-actions')).actions).toEqual([]);
}, SIMNET_TEST_TIMEOUT_MS);

test('bad decisions and parameters are refused with their own codes and change nothing', async () => {
  const { h, a } = await proposed();
  hive = h;
  const before = await h.cli<PendingActionsResult>('a', 'hive-pending-actions');
  const statusBefore = await h.cli<PlannerStatus>('a', 'hive-planner-status');
  expect((await cliError(h, 'hive-approve-action', { action_id: 'pa-9-9' })).code).toBe(RPC_ERROR.unknownAction);
  expect((await cliError(h, 'hive-approve-action', { action_id: a.action_id, amount_sats: a.amount_sats! + 1 })).code).toBe(RPC_ERROR.invalidParams);
  expect((await cliError(h, 'hive-approve-action', { action_id: a.action_id, amount_sats: -5 })).code).toBe(RPC_ERROR.invalidParams);
  expect((await cliError(h, 'hive-approve-action', { action_id: 'all', amount_sats: 5 })).code).toBe(RPC_ERROR.invalidParams);
  expect((await cliError(h, 'hive-reject-action', { action_id: a.action_id, reason: 'x'.repeat(501) })).code).toBe(RPC_ERROR.invalidParams);
  expect((await cliError(h, 'hive-planner-enable-expansions', { enabled: 'maybe' })).code).toBe(RPC_ERROR.invalidParams);
  expect((await cliError(h, 'hive-planner-explain', { node_id: 'xyz' })).code).toBe(RPC_ERROR.invalidParams);
  expect((await cliError(h, 'hive-planner-log', { limit: 0 })).code).toBe(RPC_ERROR.invalidParams);
  expect(await h.cli<PendingActionsResult>('a', 'hive-pending-actions')).toEqual(before);
  expect(await h.cli<PlannerStatus>('a', 'hive-planner-status')).toEqual(statusBefore);
}, SIMNET_TEST_TIMEOUT_MS);
