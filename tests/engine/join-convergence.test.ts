/**
 * Fleet convergence right after joins (issue 13), through the daemons: three simulated CLN v26.06
 * nodes with the real plugin and `hivebox run`'s appliance each, public channels appearing in
 * `listchannels` only 3 s after they open (as a real lightningd lists them after confirmations and
 * propagation), and 150 ms on the A→B link so A's admission FULL_SYNC reaches B after C's first
 * GOSSIP. C opens a channel to an outside node just before it joins, so its GOSSIP claims a
 * channel the other members' lightningd do not know yet. Every member must hold every member's
 * state with one fleet hash within 10 s of the last join.
 */
import { expect, test } from 'bun:test';
import type { InviteResult, StatusResult } from '../../runtime/node/hive/index.ts';
import { simBoxRig, type SimBox } from '../systemd/fixtures/sim-appliance.ts';

const rig = simBoxRig();

test('equal fleet_hash on all members within 10 s of the last join, with a GOSSIP that raced its admission and one whose channel was not announced yet', async () => {
  const net = await rig.network({ announce_delay_ms: 3_000 });
  const hive = { hive: { status_interval_s: 5 } };
  const boxes = [await rig.box(net, 'a', 0x51, hive), await rig.box(net, 'b', 0x52, hive), await rig.box(net, 'c', 0x53, hive)];
  const [a, b, c] = boxes as [SimBox, SimBox, SimBox];
  const outside = await net.addNode({ name: 'x' });
  for (const [from, to] of [
    [a, b],
    [a, c],
    [b, c],
  ] as const) {
    await net.openChannel(from.node, to.node.nodeId, { capacity_sat: 5_000_000 });
  }
  await a.call('hive-genesis');
  await b.call('hive-join', { ticket: (await a.call<InviteResult>('hive-invite')).ticket, peer_id: a.node.nodeId });

  net.setLink(a.node, b.node, { latency_ms: 150 });
  await net.openChannel(c.node, outside.nodeId, { capacity_sat: 2_000_000 });
  await c.call('hive-join', { ticket: (await a.call<InviteResult>('hive-invite')).ticket, peer_id: a.node.nodeId });
  const joined_ms = Date.now();

  // C's own state (it claims the outside channel) is in everyone's hash: an equal hash means A
  // and B took that GOSSIP once the channel was announced, instead of dropping it.
  const converged = async () => {
    const s = await Promise.all(boxes.map((x) => x.call<StatusResult>('hive-status')));
    return s.every((x) => x.member_count === 3 && x.fleet_states === 3 && x.fleet_hash === s[0]!.fleet_hash);
  };
  while (!(await converged())) {
    if (Date.now() - joined_ms > 30_000) throw new Error('fleet hashes still differ 30 s after the last join');
    await Bun.sleep(50);
  }
  const converged_s = (Date.now() - joined_ms) / 1000;
  const kept = [a, b].flatMap((x) => x.logs.filter((l) => l.event === 'gossip_pending').map((l) => l.fields.reason));
  console.log(`converged ${converged_s.toFixed(1)} s after the last join; GOSSIP kept for later: ${kept.join(', ') || 'none'}`);
  expect(converged_s).toBeLessThan(10);
  expect(kept).toContain('capacity_unverified');
  expect([a, b].some((x) => x.logs.some((l) => l.event === 'pending_gossip_accepted'))).toBe(true);
  expect(c.events.some((e) => e.kind === 'sent' && e.type === 'GOSSIP')).toBe(true);
}, 90_000);
