/**
 * The managed node's wiring and edge paths: the daemon's custommsg entry point (hex in,
 * `sendcustommsg` out, other types left alone), rebalance fallback to public routes, an execution
 * failure answered with status 2, an unresolvable did:cid, and the performance/reputation maths.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { decodeResponse } from '../../runtime/core/mgmt/messages.ts';
import { MGMT_REQUEST_TYPE } from '../../runtime/core/wire/traffic.ts';
import { performanceBonus, revenueDeltaPct, routingRevenueMsat } from '../../runtime/core/mgmt/performance.ts';
import { advisorMetrics, reputationOutcome } from '../../runtime/core/mgmt/reputation.ts';
import { toHex } from '../../runtime/core/types.ts';
import { KeyFileSigner } from '../../services/mgmt/key-file.ts';
import { expectRefused, snapshot } from './support/refusal.ts';
import { SCIDS, World } from './support/world.ts';

let w: World;
beforeEach(async () => {
  w = await World.create({ hiveRouteAvailable: false });
});
afterEach(async () => {
  await w.close();
});

const rebalance = (amount: number) => ({ schema: 'hive:rebalance/v1', action: 'circular_rebalance', params: { from_channel: SCIDS.c, to_channel: SCIDS.b, amount_sats: amount, max_fee_ppm: 500 } });

test('onCustomMsg: 49152 hex in → 49153 sent back with sendcustommsg; other types are not ours', async () => {
  const cred = await w.credential({ model: 'performance' });
  const { bytes } = w.client.buildBytes({ schema: 'hive:monitor/v1', action: 'health_summary', params: {} }, cred, null);
  expect(MGMT_REQUEST_TYPE).toBe(49152);
  expect(await w.node.onCustomMsg(w.advisorNodeId, toHex(bytes))).toBe(true);
  const sent = w.sim.sent.at(-1)!;
  expect(sent.nodeId).toBe(w.advisorNodeId);
  expect(sent.msgHex.slice(0, 4)).toBe('c001');
  const d = decodeResponse(Uint8Array.from(Buffer.from(sent.msgHex, 'hex')));
  expect(d.ok && d.value.status).toBe(0);
  expect(await w.node.onCustomMsg(w.advisorNodeId, '8001' + '48495645')).toBe(false);
  expect(w.sim.sent.length).toBe(1);
});

test('without a fleet route the rebalance falls back to a public route and pays its fee', async () => {
  const cred = await w.credential({ model: 'performance' });
  const r = await w.client.command(w.sim.id, rebalance(100_000), cred, null);
  expect(r.ok && r.value.result).toMatchObject({ status: 'accepted', result: { route: 'public', fee_msat: 30_000 } });
  expect(w.hiveRoutes.calls).toBe(1);
  expect(w.publicRoutes.calls).toBe(1);
});

test('an execution failure is answered with status 2 and an error receipt', async () => {
  const cred = await w.credential({ model: 'performance', maxRebalanceSats: 10_000_000 });
  const before = snapshot(w);
  const r = await w.client.command(w.sim.id, rebalance(9_000_000), cred, null);
  if (!r.ok) throw new Error('no response');
  expect(r.value.status).toBe(2);
  expect(r.value.result).toMatchObject({ layer: 'execution', rule: 'backend_error', detail: 'rebalance: insufficient liquidity' });
  expect(r.value.receipt).toMatchObject({ status: 'error', rule: 'backend_error' });
  expect(snapshot(w)).toMatchObject({ fees: before.fees, liquidity: before.liquidity, receipts: before.receipts + 1 });
});

test('a did:cid agent the gatekeeper does not know is refused as unresolvable', async () => {
  const did = 'did:cid:bagaaierunknownagentaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
  const key = Object.assign(Object.create(Object.getPrototypeOf(w.advisorKey)), new KeyFileSigner(new Uint8Array(32).fill(0x31)), { did });
  const cred = await w.credential({ model: 'performance', agentDid: did });
  expectRefused(w, snapshot(w), await w.advisor(key).command(w.sim.id, rebalance(1000), cred, null), 'transport', 'unresolvable_did');
});

describe('performance and reputation maths', () => {
  test('revenue windows, bonus, delta', () => {
    const fw = [
      { status: 'settled', fee_msat: 100, received_time: 10, resolved_time: 11 },
      { status: 'failed', fee_msat: 999, received_time: 12 },
      { status: 'settled', fee_msat: 50, received_time: 5 },
    ];
    expect(routingRevenueMsat(fw, 11, 5)).toBe(100);
    expect(routingRevenueMsat(fw, 11, 100)).toBe(150);
    expect(performanceBonus(1000, 3000, 10)).toEqual({ baseline_msat: 1000, current_msat: 3000, delta_msat: 2000, share_pct: 10, bonus_msat: 200 });
    expect(performanceBonus(3000, 1000, 10).bonus_msat).toBe(0);
    expect([revenueDeltaPct(1000, 4400), revenueDeltaPct(1000, 0), revenueDeltaPct(0, 5), revenueDeltaPct(10, 10_000)]).toEqual([340, -100, 1000, 1000]);
  });

  test('advisor metrics and outcome', () => {
    const base = { status: 'accepted' as const };
    const receipts = [
      { ...base, executed_at: 0 },
      { ...base, executed_at: 100 },
      { status: 'rejected' as const, executed_at: 86_400 * 2 },
    ] as unknown as Parameters<typeof advisorMetrics>[0];
    const m = advisorMetrics(receipts, ['1x1x1', '1x1x1', '2x2x2'], 12, 0, 86_400 * 4);
    expect(m).toEqual({ revenue_delta_pct: 12, actions_taken: 2, uptime_pct: 50, channels_managed: 2 });
    expect(reputationOutcome(m, false)).toBe('renew');
    expect(reputationOutcome(m, true)).toBe('revoke');
    expect(reputationOutcome({ ...m, revenue_delta_pct: -5 }, false)).toBe('neutral');
  });
});
