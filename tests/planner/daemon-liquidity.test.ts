/**
 * Approved liquidity moves carried out by the daemon through simnet's lightningd: a push rebalance
 * the planner proposed in an earlier run (left in the node store) is approved with `hivebox
 * approve`, becomes an invoice of A's own paid over an explicit route out through A's idle channel,
 * into member B's draining channel and back over B's channel to A (sendpay/waitsendpay); balances
 * move, forwarding nodes list settled forwards, `hivebox actions --all` shows the outcome. A fee
 * cap below the route's fees and a broken hop fail with the reason and move nothing; a splice with a
 * peer that did not negotiate splicing says so; with one that did, our side splices out to the
 * wallet or in from it through splice_init / splice_update / splice_signed.
 */
import { afterEach, expect, test } from 'bun:test';
import type { ActionProposal, PendingAction } from '../../runtime/core/planner/actions.ts';
import { INITIAL_PLANNER_STATE } from '../../runtime/core/planner/state.ts';
import type { NodeForward, NodePeerChannel } from '../../runtime/core/ports.ts';
import type { ActionView } from '../../runtime/node/planner/action-queue.ts';
import { INITIAL_PLANNER_RECORD, PLANNER_RECORD_FORMAT } from '../../runtime/node/planner/planner-record.ts';
import type { PendingActionsResult } from '../../runtime/node/hive/rpc/actions.ts';
import { openPlannerStore } from '../../services/store/planner-store.ts';
import type { SimChannel } from '../../runtime/sim/simnet/channel.ts';
import { nodeKeyFromSeed } from '../../runtime/sim/simnet/keys.ts';
import { SIM_NODE_DEFAULTS } from '../../runtime/sim/simnet/limits.ts';
import { hiveboxCli, SIMNET_TEST_TIMEOUT_MS, startPlannerHive, type PlannerHive } from './fixtures/planner-hive.ts';

let hive: PlannerHive | null = null;
afterEach(async () => {
  await hive?.stop();
  hive = null;
});

/** simnet's node id of `name` and the scid of the `i`-th channel opened (runtime/sim/simnet/keys.ts, channel.ts). */
const IDS = Object.fromEntries(['a', 'b', 'x', 'y'].map((n) => [n, nodeKeyFromSeed(n).nodeId]));
const SCIDS = Object.fromEntries(['ax', 'xy', 'yb', 'ba'].map((k, i) => [k, `${SIM_NODE_DEFAULTS.blockheight - 100 + i}x${1 + i}x0`]));
/** init features without option_splice (62/63): the v26.06 default with those bits cleared. */
const NO_SPLICE_FEATURES = '000898882a8a59a1';

/**
 * A (the daemon under test), B, X and Y; channels A–X, X–Y, Y–B, B–A (1 M sat each, all on the
 * opener's side); `proposal` waits in A's planner store as an earlier run left it.
 */
async function start(proposal: ActionProposal, planner: Record<string, unknown> = {}, xFeatures?: string) {
  const now = Math.floor(Date.now() / 1000);
  const h = await startPlannerHive({
    names: ['a', 'b', 'x', 'y'],
    planner: { first_cycle_delay_s: 3_600, ...planner },
    ...(xFeatures ? { features: { x: xFeatures } } : {}),
    seed: (name, path) => {
      if (name !== 'a') return;
      const store = openPlannerStore(path, now);
      if (!store.ok) throw new Error('planner store');
      const pending: PendingAction = { action_id: 'pa-1-1', proposal, created_at: now, expires_at: now + 86_400 };
      store.value.save(PLANNER_RECORD_FORMAT, { ...INITIAL_PLANNER_RECORD, planner: { ...INITIAL_PLANNER_STATE, pending: [pending] } }, now);
      store.value.close();
    },
  });
  hive = h;
  const node = (n: string) => h.member(n).node;
  const open = (from: string, to: string) => h.fleet.network.openChannel(node(from), node(to).nodeId, { capacity_sat: 1_000_000 });
  const channels = { ax: await open('a', 'x'), xy: await open('x', 'y'), yb: await open('y', 'b'), ba: await open('b', 'a') };
  for (const [k, ch] of Object.entries(channels)) expect(ch.short_channel_id).toBe(SCIDS[k]!);
  return { h, channels };
}

const PUSH: ActionProposal = {
  kind: 'push_rebalance',
  from_member: IDS.a!,
  out_scid: SCIDS.ax!,
  to_member: IDS.b!,
  in_scid: SCIDS.yb!,
  amount_sat: 200_000,
  fleet_route: [IDS.b!, IDS.a!],
  days_to_empty: 2,
  in_velocity_sat_per_day: 100_000,
};

const local = (ch: SimChannel, id: string) => ch.to_msat.get(id)!;

async function history(h: PlannerHive): Promise<readonly ActionView[]> {
  return (await h.cli<PendingActionsResult>('a', 'hive-pending-actions', { all: true })).actions;
}

test('approve a push rebalance: a circular payment A → X → Y → B → A settles; balances, forwards and the record show it', async () => {
  const { h, channels } = await start(PUSH);
  const ids = IDS;
  const scids = SCIDS;
  const listed = await hiveboxCli(h, ['actions', '--json']);
  expect(JSON.parse(listed.out)).toMatchObject([{ action_id: 'pa-1-1', kind: 'push_rebalance', amount_sats: 200_000 }]);
  const before = { ax: local(channels.ax, ids.a!), yb: local(channels.yb, ids.b!), ba: local(channels.ba, ids.a!) };

  const approved = await hiveboxCli(h, ['approve', 'pa-1-1']);
  expect(approved.exit).toBe(0);
  expect(approved.out).toContain('paid 200000 sat around 4 hops');

  // Fees: X forwards 200_000_000 + B's fee over X→Y, Y over Y→B, B over B→A (1000 msat + 10 ppm each, simnet defaults).
  const fee = (amt: number) => 1000 + Math.floor((amt * 10) / 1_000_000);
  const atB = 200_000_000 + fee(200_000_000);
  const atY = atB + fee(atB);
  const atX = atY + fee(atY);
  expect(local(channels.ax, ids.a!)).toBe(before.ax - atX);
  expect(local(channels.yb, ids.b!)).toBe(before.yb + atB);
  expect(local(channels.ba, ids.a!)).toBe(before.ba + 200_000_000);

  const all = await history(h);
  const done = all.find((v) => v.action_id === 'pa-1-1' && v.status === 'executed')!;
  expect(done.reason).toContain(`for ${atX - 200_000_000} msat fee`);
  const forwards = await h.member('y').backend.listforwards({ status: 'settled' });
  expect(forwards.ok && forwards.value.map((f: NodeForward) => [f.in_channel, f.out_channel, f.fee_msat])).toEqual([[scids.xy, scids.yb, atY - atB]]);
  const listedAll = await hiveboxCli(h, ['actions', '--all']);
  expect(listedAll.out).toContain('executed');
  const peerChannels = await h.member('a').backend.listpeerchannels(ids.b);
  expect(peerChannels.ok && (peerChannels.value[0] as NodePeerChannel).to_us_msat).toBe(200_000_000);
}, SIMNET_TEST_TIMEOUT_MS);

test('a fee cap below the route fees: nothing is sent, the action is recorded failed with the costs', async () => {
  const { h, channels } = await start(PUSH, { rebalance_max_fee_ppm: 1 });
  const ids = IDS;
  const before = local(channels.ax, ids.a!);
  const approved = await hiveboxCli(h, ['approve', 'pa-1-1']);
  expect(approved.exit).toBe(0);
  expect(approved.out).toContain('failed: cheapest route costs');
  expect(approved.out).toContain('above the cap of 200 msat');
  expect(local(channels.ax, ids.a!)).toBe(before);
  expect((await history(h)).find((v) => v.action_id === 'pa-1-1' && v.status === 'failed')?.reason).toContain('above the cap');
}, SIMNET_TEST_TIMEOUT_MS);

test('a hop that cannot forward: waitsendpay reports WIRE_TEMPORARY_CHANNEL_FAILURE from X, X lists a local_failed forward, nothing moved', async () => {
  const { h, channels } = await start(PUSH);
  const ids = IDS;
  const scids = SCIDS;
  channels.xy.to_msat.set(ids.x!, 0);
  channels.xy.to_msat.set(ids.y!, 1_000_000_000);
  const before = local(channels.ax, ids.a!);
  const approved = await hiveboxCli(h, ['approve', 'pa-1-1']);
  expect(approved.out).toContain('WIRE_TEMPORARY_CHANNEL_FAILURE');
  expect(local(channels.ax, ids.a!)).toBe(before);
  const failed = await h.member('x').backend.listforwards({ status: 'local_failed' });
  expect(failed.ok && failed.value.map((f) => [f.in_channel, f.out_channel])).toEqual([[scids.ax, scids.xy]]);
}, SIMNET_TEST_TIMEOUT_MS);

test('a push paid by another member is recorded with the reason; nothing is sent', async () => {
  const { h, channels } = await start({ ...PUSH, from_member: IDS.b!, out_scid: SCIDS.ba! });
  const before = local(channels.ba, IDS.b!);
  const approved = await hiveboxCli(h, ['approve', 'pa-1-1']);
  expect(approved.out).toContain(`belongs to member ${IDS.b!.slice(0, 16)}…, which pays the rebalance on its own node`);
  expect(local(channels.ba, IDS.b!)).toBe(before);
  expect((await history(h)).find((v) => v.action_id === 'pa-1-1' && v.status === 'failed')).toBeDefined();
}, SIMNET_TEST_TIMEOUT_MS);

test('a splice out of a channel whose peer did not negotiate splicing says why and changes nothing', async () => {
  const splice: ActionProposal = { kind: 'splice_reallocation', loser_member: IDS.a!, loser_scid: SCIDS.ax!, winner_member: IDS.b!, winner_scid: SCIDS.yb!, amount_sat: 100_000, loser_yield_ppm_year: 1, winner_yield_ppm_year: 5_000 };
  const { h, channels } = await start(splice, {}, NO_SPLICE_FEATURES);
  const approved = await hiveboxCli(h, ['approve', 'pa-1-1']);
  expect(approved.out).toContain(`failed: peer ${IDS.x!.slice(0, 16)}… did not negotiate splicing (option_splice, feature bits 62/63)`);
  expect(channels.ax.capacity_msat).toBe(1_000_000_000);
  expect((await history(h)).find((v) => v.action_id === 'pa-1-1' && v.status === 'failed')?.reason).toContain('did not negotiate splicing');
}, SIMNET_TEST_TIMEOUT_MS);

test('a splice out where both peers negotiated splicing: splice_init/update/signed move 100 k sat from the channel to the wallet', async () => {
  const splice: ActionProposal = { kind: 'splice_reallocation', loser_member: IDS.a!, loser_scid: SCIDS.ax!, winner_member: IDS.b!, winner_scid: SCIDS.yb!, amount_sat: 100_000, loser_yield_ppm_year: 1, winner_yield_ppm_year: 5_000 };
  const { h, channels } = await start(splice);
  const before = local(channels.ax, IDS.a!);
  const approved = await hiveboxCli(h, ['approve', 'pa-1-1']);
  expect(approved.out).toMatch(new RegExp(`spliced 100000 sat out of ${SCIDS.ax!}, txid [0-9a-f]{64}`));
  expect(channels.ax.capacity_msat).toBe(900_000_000);
  expect(local(channels.ax, IDS.a!)).toBe(before - 100_000_000);
  const funds = await h.member('a').backend.listfunds();
  expect(funds.ok && funds.value.outputs.filter((o) => o.status === 'unconfirmed').map((o) => o.amount_msat)).toHaveLength(1);
  const pub = await h.member('b').backend.listchannels({ short_channel_id: SCIDS.ax! });
  expect(pub.ok && pub.value.map((c) => c.amount_msat)).toEqual([900_000_000, 900_000_000]);
  expect((await history(h)).find((v) => v.action_id === 'pa-1-1' && v.status === 'executed')?.reason).toContain('spliced 100000 sat out');
}, SIMNET_TEST_TIMEOUT_MS);

test('a splice in on the winner: fundpsbt reserves the wallet, signpsbt signs, splice_signed adds 100 k sat to the channel', async () => {
  const splice: ActionProposal = { kind: 'splice_reallocation', loser_member: IDS.b!, loser_scid: SCIDS.yb!, winner_member: IDS.a!, winner_scid: SCIDS.ax!, amount_sat: 100_000, loser_yield_ppm_year: 1, winner_yield_ppm_year: 5_000 };
  const { h, channels } = await start(splice);
  h.member('a').node.wallet.deposit(1_000_000, h.fleet.network.blockheight - 10);
  const before = local(channels.ax, IDS.a!);
  const approved = await hiveboxCli(h, ['approve', 'pa-1-1']);
  expect(approved.out).toMatch(new RegExp(`spliced 100000 sat into ${SCIDS.ax!}, txid [0-9a-f]{64}`));
  expect(channels.ax.capacity_msat).toBe(1_100_000_000);
  expect(local(channels.ax, IDS.a!)).toBe(before + 100_000_000);
  const funds = await h.member('a').backend.listfunds();
  expect(funds.ok && funds.value.outputs.filter((o) => o.status === 'confirmed').length).toBe(0);
}, SIMNET_TEST_TIMEOUT_MS);
