/**
 * Member channels and connections after admission (issue 13), through the daemons in simnet:
 *  - a channel opened to a member after its admission gets 0 fee, like the channels it had;
 *  - a fee changed by hand on a member channel is reported (`member_fee_reset`) and put back to 0
 *    (the documented policy: member channels are 0-fee while the member is in the hive);
 *  - a member with no channel to us, disconnected by a lightningd restart (lightningd re-dials only
 *    channel peers), is dialled again from its gossiped address.
 */
import { expect, test } from 'bun:test';
import type { InviteResult, StatusResult } from '../../runtime/node/hive/index.ts';
import type { NodePeerChannel } from '../../runtime/core/ports.ts';
import { simBoxRig, type SimBox } from '../systemd/fixtures/sim-appliance.ts';

const rig = simBoxRig();

/** Poll `cond` (async) until true; fails after `timeout_ms`. */
async function until(cond: () => Promise<boolean>, what: string, timeout_ms = 60_000): Promise<void> {
  const deadline = Date.now() + timeout_ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(100);
  }
}

const policyOf = async (box: SimBox, scid: string) => {
  const { channels } = await box.call<{ channels: NodePeerChannel[] }>('listpeerchannels');
  const local = channels.find((c) => c.short_channel_id === scid)?.updates?.local;
  return local ? [local.fee_base_msat, local.fee_proportional_millionths] : null;
};

test('a channel opened after admission goes to 0 fee; a fee changed by hand is reported and put back', async () => {
  const net = await rig.network();
  const boxes = [await rig.box(net, 'a', 0x71), await rig.box(net, 'b', 0x72)];
  const [a, b] = boxes as [SimBox, SimBox];
  const first = await net.openChannel(a.node, b.node.nodeId, { capacity_sat: 5_000_000 });
  await a.call('hive-genesis');
  await b.call('hive-join', { ticket: (await a.call<InviteResult>('hive-invite')).ticket, peer_id: a.node.nodeId });
  await until(async () => String(await policyOf(a, first.short_channel_id)) === '0,0', 'the admission channel at 0 fee on a');

  const later = await net.openChannel(b.node, a.node.nodeId, { capacity_sat: 3_000_000 });
  expect(await policyOf(a, later.short_channel_id)).not.toEqual([0, 0]);
  await until(async () => String(await policyOf(a, later.short_channel_id)) === '0,0' && String(await policyOf(b, later.short_channel_id)) === '0,0', 'the later channel at 0 fee on both ends');

  await a.call('setchannel', { id: first.short_channel_id, feebase: 1000, feeppm: 250 });
  await until(async () => String(await policyOf(a, first.short_channel_id)) === '0,0', 'the hand-set fee put back to 0');
  expect(a.logs.some((l) => l.event === 'member_fee_reset' && l.fields.found_ppm === 250)).toBe(true);
  expect(a.events.some((e) => e.kind === 'fleet_event' && e.name === 'member_fee_reset')).toBe(true);
}, 90_000);

test('a member without a channel is dialled again from its gossiped address after a lightningd restart', async () => {
  const net = await rig.network();
  const boxes = [await rig.box(net, 'a', 0x73), await rig.box(net, 'b', 0x74), await rig.box(net, 'c', 0x75)];
  const [a, b, c] = boxes as [SimBox, SimBox, SimBox];
  await net.openChannel(a.node, b.node.nodeId, { capacity_sat: 5_000_000 });
  await net.openChannel(a.node, c.node.nodeId, { capacity_sat: 5_000_000 });
  await a.call('hive-genesis');
  for (const x of [b, c]) await x.call('hive-join', { ticket: (await a.call<InviteResult>('hive-invite')).ticket, peer_id: a.node.nodeId });
  await net.connect(b.node, c.node.nodeId);
  // Everyone's gossip, with its address, has reached everyone.
  await until(async () => (await Promise.all(boxes.map((x) => x.call<StatusResult>('hive-status')))).every((s) => s.fleet_states === 3), 'every state everywhere', 90_000);

  const [markB, markC] = [b.logs.length, c.logs.length];
  // The restart drops every connection; lightningd reconnects only A (a channel peer).
  await net.restartNode(b.node);
  await until(async () => b.node.peers.get(c.node.nodeId)?.connected === true, 'b and c connected again', 40_000);
  const redials = [...b.logs.slice(markB), ...c.logs.slice(markC)].filter((l) => l.event === 'member_redial' && l.fields.error === undefined);
  expect(redials.map((l) => l.fields.peer_id)).toContainEqual(expect.stringMatching(new RegExp(`^(${b.node.nodeId}|${c.node.nodeId})$`)));
}, 180_000);
