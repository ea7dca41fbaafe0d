/**
 * Liquidity advisor: channel health from CLN's own listpeerchannels / listforwards examples (schema
 * vectors), push rebalancing between members over 0-fee fleet hops, splice reallocation from a loser
 * to a winner channel, and both inside a cycle as pending actions (feerate-gated for splices).
 */
import { describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { decideAction } from '../../runtime/core/planner/actions.ts';
import { type ChannelHealth, channelHealth, type MemberLiquidity } from '../../runtime/core/planner/channel-health.ts';
import { DEFAULT_PLANNER_CONFIG } from '../../runtime/core/planner/config.ts';
import { runCycle } from '../../runtime/core/planner/cycle.ts';
import { fleetRoute, pushRebalanceStep } from '../../runtime/core/planner/push-rebalance.ts';
import { spliceStep } from '../../runtime/core/planner/splice-reallocation.ts';
import { INITIAL_PLANNER_STATE } from '../../runtime/core/planner/state.ts';
import type { NodeForward, NodePeerChannel } from '../../runtime/core/ports.ts';
import { DATA_DIR } from '../graph/real-graphs.ts';
import { nodeId } from './small-graph.ts';
import { scenarioGraph, scenarioInput } from './scenario.ts';

const SCHEMAS = join(DATA_DIR, 'vectors/cln-schemas');
const DAY = 86_400;

async function example<T>(file: string, key: string, n: number): Promise<T[]> {
  const schema = await Bun.file(join(SCHEMAS, file)).json();
  return schema.examples[n].response[key] as T[];
}

describe('channel health from CLN shapes', () => {
  test('listpeerchannels + listforwards examples: ratios, alerts, forwards, fees, success rate', async () => {
    const channels = await example<NodePeerChannel>('listpeerchannels.json', 'channels', 1);
    const forwards = await example<NodeForward>('listforwards.json', 'forwards', 1);
    const now = Math.max(...forwards.map((f) => f.received_time)) + 1;
    const health = channelHealth(channels, forwards, { now_s: now, window_s: 7 * DAY }, DEFAULT_PLANNER_CONFIG);
    expect(health.every((h) => h.short_channel_id !== '168x1x0')).toBe(true);
    const byScid = new Map(health.map((h) => [h.short_channel_id, h]));
    const c116 = byScid.get('116x1x1')!;
    expect(c116.capacity_sat).toBe(1_000_000);
    expect(c116.local_sat).toBe(609_507.21);
    expect(c116.liquidity_ratio).toBeCloseTo(0.6095, 4);
    expect(c116.alert).toBeNull();
    const c130 = byScid.get('130x1x0')!;
    expect(c130.alert).toBe('low_inbound');
    const settledOut = new Map<string, { n: number; fee: number }>();
    let tried = 0;
    let ok = 0;
    for (const f of forwards) {
      if (f.out_channel === '116x1x1' && f.status !== 'offered') tried++;
      if (f.out_channel === '116x1x1' && f.status === 'settled') ok++;
      if (f.status !== 'settled' || !f.out_channel) continue;
      const s = settledOut.get(f.out_channel) ?? { n: 0, fee: 0 };
      settledOut.set(f.out_channel, { n: s.n + 1, fee: s.fee + (f.fee_msat ?? 0) });
    }
    for (const h of health) {
      expect(h.forwards_out).toBe(settledOut.get(h.short_channel_id)?.n ?? 0);
      expect(h.fees_earned_msat).toBe(settledOut.get(h.short_channel_id)?.fee ?? 0);
    }
    expect(c116.success_rate).toBe(tried ? ok / tried : null);
  });

  test('forwards outside the window are ignored; alerts below 0.2 and above 0.8', () => {
    const ch = (scid: string, toUs: number): NodePeerChannel => ({ peer_id: nodeId(9), peer_connected: true, state: 'CHANNELD_NORMAL', short_channel_id: scid, total_msat: 1_000_000_000, to_us_msat: toUs });
    const fwd = (t: number): NodeForward => ({ in_channel: '1x1x1', out_channel: '2x2x2', in_msat: 1_000_100, out_msat: 1_000_000, fee_msat: 100, status: 'settled', received_time: t });
    const h = channelHealth([ch('1x1x1', 900_000_000), ch('2x2x2', 100_000_000)], [fwd(1000), fwd(10 * DAY)], { now_s: 10 * DAY, window_s: DAY }, DEFAULT_PLANNER_CONFIG);
    expect(h.map((x) => [x.alert, x.forwards_in, x.forwards_out])).toEqual([['low_inbound', 1, 0], ['low_outbound', 0, 1]]);
    expect(h[1]!.yield_ppm_year).toBeCloseTo((0.1 / 1_000_000) * 1e6 * 365, 6);
  });
});

/** A channel health record with the fields the advisor reads. */
function health(scid: string, peer: number, capacity: number, local: number, outPerDay: number, inPerDay = 0, yieldPpm = 0): ChannelHealth {
  return {
    short_channel_id: scid,
    peer_id: nodeId(peer),
    capacity_sat: capacity,
    local_sat: local,
    liquidity_ratio: local / capacity,
    alert: local / capacity < 0.2 ? 'low_outbound' : local / capacity > 0.8 ? 'low_inbound' : null,
    forwards_out: outPerDay ? 10 : 0,
    forwards_out_attempted: outPerDay ? 10 : 0,
    forwards_in: 0,
    out_sat_per_day: outPerDay,
    in_sat_per_day: inPerDay,
    net_out_sat_per_day: outPerDay - inPerDay,
    fees_earned_msat: 0,
    success_rate: null,
    yield_ppm_year: yieldPpm,
    window_days: 7,
  };
}

// Members 0, 1, 2 with fleet channels 0–1 and 1–2; member 2's channel to 50 drains fast; member 0's channel to 60 is idle.
const FLEET: MemberLiquidity[] = [
  { member: nodeId(0), splice_capable: true, channels: [health('10x0x0', 1, 10_000_000, 6_000_000, 0), health('60x0x0', 60, 20_000_000, 19_000_000, 1_000, 0, 10)] },
  { member: nodeId(1), splice_capable: true, channels: [health('10x0x0', 0, 10_000_000, 4_000_000, 0), health('12x0x0', 2, 8_000_000, 5_000_000, 0)] },
  { member: nodeId(2), splice_capable: true, channels: [health('12x0x0', 1, 8_000_000, 3_000_000, 0), health('50x0x0', 50, 10_000_000, 1_500_000, 900_000, 100_000, 5_000)] },
];

describe('push rebalancing', () => {
  test('fleet route goes member to member over channels with sender-side balance', () => {
    expect(fleetRoute(FLEET, nodeId(2), nodeId(0))).toEqual({ route: [nodeId(2), nodeId(1), nodeId(0)], min_local_sat: 3_000_000 });
    expect(fleetRoute(FLEET, nodeId(0), nodeId(0))).toBeNull();
  });

  test('the draining high-velocity channel is refilled from the idle member, bounded by the smallest fleet hop', () => {
    const items = pushRebalanceStep(FLEET, DEFAULT_PLANNER_CONFIG, new Set(), 3);
    expect(items).toHaveLength(1);
    expect(items[0]!.proposal).toEqual({
      kind: 'push_rebalance',
      from_member: nodeId(0),
      out_scid: '60x0x0',
      to_member: nodeId(2),
      in_scid: '50x0x0',
      amount_sat: 3_000_000,
      fleet_route: [nodeId(2), nodeId(1), nodeId(0)],
      days_to_empty: 1_500_000 / 800_000,
      in_velocity_sat_per_day: 900_000,
    });
  });

  test('no idle member or no fleet route: logged, not proposed', () => {
    const noIdle = FLEET.map((m) => ({ ...m, channels: m.channels.filter((c) => c.short_channel_id !== '60x0x0') }));
    const items = pushRebalanceStep(noIdle, DEFAULT_PLANNER_CONFIG, new Set(), 3);
    expect(items.map((i) => [i.decision.proposed, i.proposal])).toEqual([[false, undefined]]);
    expect(items[0]!.decision.rule).toContain('no member with idle outbound');
  });
});

describe('splice reallocation', () => {
  test('loser (idle, low yield) on one member feeds the winner (high yield, short of outbound) on another', () => {
    const items = spliceStep(FLEET, DEFAULT_PLANNER_CONFIG, new Set(), 3);
    expect(items.map((i) => i.proposal)).toEqual([
      { kind: 'splice_reallocation', loser_member: nodeId(0), loser_scid: '60x0x0', winner_member: nodeId(2), winner_scid: '50x0x0', amount_sat: 18_000_000, loser_yield_ppm_year: 10, winner_yield_ppm_year: 5_000 },
    ]);
  });

  test('members without splicing are not used', () => {
    const noSplice = FLEET.map((m) => ({ ...m, splice_capable: false }));
    const items = spliceStep(noSplice, DEFAULT_PLANNER_CONFIG, new Set(), 3);
    expect(items.map((i) => [i.decision.proposed, i.decision.rule.split('; ')[1]])).toEqual([[false, 'its member does not support splicing']]);
  });
});

describe('in a cycle', () => {
  const T0 = 1_800_000_000;
  const graph = scenarioGraph([]);

  test('the push becomes a pending action with its numbers (its channels are then busy for splices); approval yields the rebalance effect', () => {
    const r = runCycle(INITIAL_PLANNER_STATE, scenarioInput(graph, { liquidity: FLEET }), DEFAULT_PLANNER_CONFIG, T0);
    if (!r.ok) throw new Error('cycle failed');
    expect(r.value.state.pending.map((a) => a.proposal.kind)).toEqual(['push_rebalance']);
    expect(r.value.log.liquidity.map((d) => [d.kind, d.proposed, d.action_id])).toEqual([['push_rebalance', true, r.value.state.pending[0]!.action_id]]);
    const push = r.value.state.pending[0]!;
    const approved = decideAction(r.value.state, { decision: 'approve', action_id: push.action_id }, T0 + 5);
    expect(approved.ok && approved.value.effects[0]).toMatchObject({ type: 'rebalance', action_id: push.action_id, proposal: { amount_sat: 3_000_000 } });
  });

  test('without the push, the splice is proposed; a high feerate holds it', () => {
    const noDrain = FLEET.map((m) => ({ ...m, channels: m.channels.map((c) => (c.short_channel_id === '50x0x0' ? { ...c, out_sat_per_day: 0, net_out_sat_per_day: 0 } : c)) }));
    const ok = runCycle(INITIAL_PLANNER_STATE, scenarioInput(graph, { liquidity: noDrain }), DEFAULT_PLANNER_CONFIG, T0);
    expect(ok.ok && ok.value.state.pending.map((a) => a.proposal.kind)).toEqual(['splice_reallocation']);
    const held = runCycle(INITIAL_PLANNER_STATE, scenarioInput(graph, { liquidity: noDrain, feerate_perkb: 20_000 }), DEFAULT_PLANNER_CONFIG, T0);
    if (!held.ok) throw new Error('cycle failed');
    expect(held.value.state.pending).toEqual([]);
    expect(held.value.log.liquidity[0]!.rule).toContain('held: on-chain feerate 20000');
  });
});
