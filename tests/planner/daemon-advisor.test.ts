/**
 * The daemon's planner in advisor mode on the real 2019-05-14 mainnet graph (real short_channel_ids,
 * so the 30-day age rule can pass) served by simnet's lightningd: with expansions disabled nothing is
 * proposed and the log says why; enabled, the best underserved target becomes ONE pending action
 * (planner proposal + the fleet intent it locks, one id); approval goes through the Intent Lock
 * Protocol (hold → commit) and `fundchannel` opens a real simnet channel that is CHANNELD_NORMAL
 * and public once mined; rejection starts the 24 h backoff; the CLI reaches all of it through the
 * daemon socket.
 */
import { afterEach, beforeAll, expect, test } from 'bun:test';
import type { Graph } from '../../runtime/core/graph/graph.ts';
import type { Explanation } from '../../runtime/core/planner/decision-log.ts';
import type { NodeChannel, NodePeerChannel } from '../../runtime/core/ports.ts';
import type { ActionView } from '../../runtime/node/planner/action-queue.ts';
import type { DecideResult, PendingActionsResult } from '../../runtime/node/hive/rpc/actions.ts';
import type { EnableExpansionsResult, PlannerLogResult } from '../../runtime/node/hive/rpc/planner.ts';
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

const start = () => fundedHive(graph);

async function pending(h: PlannerHive): Promise<readonly ActionView[]> {
  return (await h.cli<PendingActionsResult>('a', 'hive-pending-actions')).actions;
}

const hivebox = (h: PlannerHive, ...args: string[]) => hiveboxCli(h, args);

/** Enable expansions, run the first cycle, return its one channel-open action. */
async function firstProposal(h: PlannerHive): Promise<ActionView> {
  expect(await h.cli<EnableExpansionsResult>('a', 'hive-planner-enable-expansions', { enabled: true })).toEqual({ expansions_enabled: true, previous: false });
  h.advance(60);
  await h.cycles('a', 1);
  const actions = await pending(h);
  expect(actions).toHaveLength(1);
  return actions[0]!;
}

test('expansions disabled (the default): nothing is proposed, and the log and explain say why', async () => {
  hive = await start();
  hive.advance(60);
  const status = await hive.cycles('a', 1);
  expect(status).toMatchObject({ expansions_enabled: false, pending_actions: 0, last_cycle: { outcome: 'completed', cycle_id: 'c1' } });
  const { log, total_targets } = await hive.cli<PlannerLogResult>('a', 'hive-planner-log', { limit: 100_000 });
  expect(log!.graph).toEqual({ nodes: graph.nodeCount, channels: graph.channelCount, scids: 'real' });
  expect(log!.blockheight).toBe(hive.fleet.network.blockheight);
  expect(total_targets).toBe(log!.targets.length);
  const disabled = log!.targets.filter((t) => t.reason === 'expansions_disabled');
  expect(disabled.length).toBeGreaterThan(100);
  expect(log!.targets.some((t) => t.reason === 'expansion_proposed')).toBe(false);
  for (const t of log!.targets) expect(t.rule.length).toBeGreaterThan(10);
  const x = disabled[0]!;
  expect(x.age_days!).toBeGreaterThan(30);
  const e = await hive.cli<Explanation>('a', 'hive-planner-explain', [x.node_id]);
  expect(e).toMatchObject({ found: 'decision', cycle_id: 'c1', decision: { node_id: x.node_id, reason: 'expansions_disabled' } });
  expect(e.found === 'decision' && e.decision.rule).toContain('expansions are disabled (planner_enable_expansions = false)');
  expect(await pending(hive)).toEqual([]);
  const cli = await hivebox(hive, 'planner', 'explain', x.node_id);
  expect(cli.exit).toBe(0);
  expect(cli.out).toContain('expansions_disabled: hive_share 0.0 % < 5.0 %');
}, SIMNET_TEST_TIMEOUT_MS);

test('approve: one pending action → intent lock → hold → commit → fundchannel → channel visible once mined', async () => {
  hive = await start();
  const a = await firstProposal(hive);
  expect(a).toMatchObject({ action_id: 'pa-1-1', source: 'planner', kind: 'channel_open', intent_type: 'channel_open', status: 'pending', intent: { status: 'pending', fleet_action_id: null } });
  const x = a.target!;
  const amount = a.amount_sats!;
  expect(amount).toBeGreaterThanOrEqual(1_000_000);
  expect(a.rule).toContain(`open `);
  const listed = await hivebox(hive, 'actions', '--json');
  expect(listed.exit).toBe(0);
  expect(JSON.parse(listed.out)).toMatchObject([{ action_id: 'pa-1-1', target: x, amount_sats: amount }]);

  const approved = await hive.cli<DecideResult>('a', 'hive-approve-action', ['pa-1-1']);
  expect(approved.decided[0]).toMatchObject({ action_id: 'pa-1-1', decision: 'approve', kind: 'channel_open', target: x });
  expect(approved.decided[0]!.outcome).toContain('intent on hold');
  expect(await pending(hive)).toEqual([]);

  hive.advance(61);
  const opening = await hive.until(async () => {
    const r = await hive!.member('a').backend.listpeerchannels(x);
    return r.ok && r.value.length > 0 ? r.value[0]! : null;
  });
  expect(opening).toMatchObject({ peer_id: x, state: 'CHANNELD_AWAITING_LOCKIN', total_msat: amount * 1000 });
  expect(opening.short_channel_id).toBeUndefined();
  const history = (await hive.cli<PendingActionsResult>('a', 'hive-pending-actions', { all: true })).actions;
  expect(history.find((h) => h.action_id === 'pa-1-1' && h.status === 'executed')?.reason).toContain(`funded ${amount} sat`);
  expect(history.some((h) => h.source === 'fleet' && h.status === 'approved' && h.target === x)).toBe(true);

  hive.fleet.network.mineBlocks(3);
  const open = (await hive.member('a').backend.listpeerchannels(x)) as { ok: true; value: readonly NodePeerChannel[] };
  expect(open.value[0]).toMatchObject({ state: 'CHANNELD_NORMAL', total_msat: amount * 1000 });
  const scid = open.value[0]!.short_channel_id!;
  const pub = (await hive.member('a').backend.listchannels({ short_channel_id: scid })) as { ok: true; value: readonly NodeChannel[] };
  expect(pub.value.map((c) => c.amount_msat)).toEqual([amount * 1000, amount * 1000]);

  hive.advance(3_600);
  await hive.cycles('a', 2);
  const e = await hive.cli<Explanation>('a', 'hive-planner-explain', { node_id: x });
  expect(e.found === 'decision' && e.decision.reason).toBe('already_connected');
}, SIMNET_TEST_TIMEOUT_MS);

test('reject: the intent is aborted, the target is skipped for 24 h with the reason, then proposed again', async () => {
  hive = await start();
  const a = await firstProposal(hive);
  const x = a.target!;
  const rejected = await hivebox(hive, 'reject', 'pa-1-1', '--reason', 'not this one');
  expect(rejected.exit).toBe(0);
  expect(rejected.out).toContain(`reject pa-1-1 (channel_open ${x}): rejected; ${x.slice(0, 16)}… is not proposed again before`);
  hive.advance(61);
  await hive.until(async () => {
    const all = (await hive!.cli<PendingActionsResult>('a', 'hive-pending-actions', { all: true })).actions;
    return all.some((v) => v.source === 'fleet' && v.status === 'rejected' && v.target === x);
  });

  hive.advance(3_600);
  await hive.cycles('a', 2);
  const e = await hive.cli<Explanation>('a', 'hive-planner-explain', { node_id: x });
  expect(e.found === 'decision' && e.decision.reason).toBe('rejected_recently');
  const next = await pending(hive);
  expect(next).toHaveLength(1);
  expect(next[0]!.action_id).toBe('pa-2-1');
  expect(next[0]!.target).not.toBe(x);

  hive.advance(86_400);
  await hive.cycles('a', 3);
  const again = await pending(hive);
  expect(again.map((v) => [v.action_id, v.target])).toEqual([['pa-3-1', x]]);
}, SIMNET_TEST_TIMEOUT_MS);
