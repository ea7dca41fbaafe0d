/**
 * Supervision by the appliance (runtime/daemon/appliance.ts) in simnet: two simulated CLN v26.06
 * nodes with the real plugin, each with an in-process appliance exactly as `hivebox run` builds
 * it (engine, IPC, supervisor over store/lightningd/signer/plugin) and a software fleet signer.
 *  - The plugin is SIGKILLed: lightningd does not restart it; the supervisor sees it missing from
 *    `plugin list` (degraded, with the reason), runs `plugin start` with the daemon's socket, and
 *    the fleet recovers: custom messages flow again and both members agree on the membership.
 *  - lightningd stops (RPC socket gone): degraded naming getinfo; it starts again: healthy.
 */
import { afterEach, beforeEach, expect, test } from 'bun:test';
import type { InviteResult, MembersResult } from '../../runtime/node/hive/index.ts';
import { HIVEBOX_PLUGIN_EXECUTABLE } from '../../services/cln-plugin/executable.ts';
import { SimNetwork } from '../../runtime/sim/simnet/index.ts';
import { waitUntil } from '../cln/fixtures/recording-engine.ts';
import { startSimBox, type SimBox } from './fixtures/sim-appliance.ts';

let net: SimNetwork;
let boxes: SimBox[];

const transitions = (box: SimBox) => box.logs.filter((l) => l.event === 'health_transition').map((l) => `${l.fields.from}->${l.fields.to}`);

beforeEach(async () => {
  net = await SimNetwork.create();
  boxes = [await startSimBox(net, 'a', 0x41), await startSimBox(net, 'b', 0x42)];
  const [a, b] = boxes as [SimBox, SimBox];
  await net.openChannel(a.node, b.node.nodeId, { capacity_sat: 5_000_000 });
  await waitUntil(() => boxes.every((x) => x.appliance.supervisor.health().status === 'healthy'), 'both boxes healthy');
  await a.call('hive-genesis');
  const t = await a.call<InviteResult>('hive-invite');
  await b.call('hive-join', { ticket: t.ticket, peer_id: a.node.nodeId });
});

afterEach(async () => {
  for (const x of boxes) await x.stop();
  await net.stop();
});

test('a crashed plugin is restarted with `plugin start` and the fleet recovers', async () => {
  const [a, b] = boxes as [SimBox, SimBox];
  await net.crashPlugin(a.node, 'hivebox-plugin');
  await waitUntil(() => a.appliance.supervisor.health().reasons.some((r) => r.component === 'plugin' && r.reason === `${HIVEBOX_PLUGIN_EXECUTABLE} not in plugin list`), 'degraded: plugin missing', 5_000);
  await waitUntil(() => a.logs.some((l) => l.event === 'supervisor_restart' && (l.fields.outcome as { ok: boolean }).ok), 'plugin start succeeded', 10_000);
  await waitUntil(() => a.appliance.supervisor.health().status === 'healthy', 'healthy again', 10_000);
  expect(transitions(a).slice(-2)).toEqual(['healthy->degraded', 'degraded->healthy']);
  expect(a.node.activePlugins().map((p) => p.path)).toEqual([HIVEBOX_PLUGIN_EXECUTABLE]);
  await waitUntil(() => a.appliance.daemon.stats().plugin_connections === 1, 'restarted plugin linked to the daemon');

  // Custom messages flow again: a reconnection makes both ends send STATE_HASH through the new plugin.
  const received = a.events.filter((e) => e.kind === 'received').length;
  net.disconnectPair(a.node, b.node.nodeId);
  await net.connect(b.node, a.node.nodeId);
  await waitUntil(() => a.events.filter((e) => e.kind === 'received').length > received, 'a receives Hive traffic after the restart', 10_000);
  const [ma, mb] = [await a.call<MembersResult>('hive-members'), await b.call<MembersResult>('hive-members')];
  expect(ma.members).toHaveLength(2);
  expect(ma.membership_hash).toBe(mb.membership_hash);
}, 120_000);

test('lightningd down → degraded naming getinfo; lightningd back → healthy', async () => {
  const [a] = boxes as [SimBox];
  await a.node.stop('clean');
  await waitUntil(() => a.appliance.supervisor.health().reasons.some((r) => r.component === 'lightningd' && r.reason.startsWith('getinfo: ')), 'degraded: lightningd', 5_000);
  const h = a.appliance.supervisor.health();
  expect(h.status).toBe('degraded');
  expect(h.components.lightningd!.up).toBe(false);
  await a.node.start();
  await net.reconnectChannelPeers(a.node);
  await waitUntil(() => a.appliance.supervisor.health().status === 'healthy', 'healthy after lightningd restart', 10_000);
  expect(transitions(a)).toContain('degraded->healthy');
  expect(await a.call<MembersResult>('hive-members')).toMatchObject({ members: [expect.anything(), expect.anything()] });
}, 120_000);
