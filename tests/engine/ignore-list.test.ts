/**
 * The global ignore list end to end over simnet (spec 000 §3.3; issue 4 §3): a full member bans an
 * external attacker (HIVE_BAN_PEER), every member's daemon pushes the list to its plugin, and the
 * plugin's openchannel/openchannel2 hooks refuse channels from that peer — on the banning node and
 * on the member that received the ban — while other peers still open channels. The list is kept in
 * the store and is in force again after a daemon restart.
 */
import { afterEach, beforeEach, expect, test } from 'bun:test';
import type { InviteResult, StatusResult } from '../../runtime/node/hive/index.ts';
import type { HiveboxEngine } from '../../runtime/node/hive/hive-engine.ts';
import { OPENCHANNEL_REFUSAL } from '../../services/cln-plugin/index.ts';
import { waitUntil } from '../cln/fixtures/recording-engine.ts';
import { eventually, startSimHive, type SimHive } from './fixtures/sim-hive.ts';

let hive: SimHive;

beforeEach(async () => {
  hive = await startSimHive(['a', 'b']);
  await hive.fleet.network.openChannel(hive.member('a').node, hive.member('b').node.nodeId, { capacity_sat: 5_000_000 });
  await hive.cli('a', 'hive-genesis');
  const t = await hive.cli<InviteResult>('a', 'hive-invite', {});
  await hive.cli('b', 'hive-join', { ticket: t.ticket, peer_id: hive.member('a').node.nodeId });
});

afterEach(async () => {
  await hive.stop();
});

test('a banned external peer is refused on every member (openchannel and openchannel2); others are not; the ban survives a daemon restart', async () => {
  const net = hive.fleet.network;
  const x = await net.addNode({ name: 'x' });
  const xv1 = await net.addNode({ name: 'xv1', seed: 'x-v1', features: '0a8a59a1' });
  const y = await net.addNode({ name: 'y' });
  const [a, b] = [hive.member('a'), hive.member('b')];
  expect((await hive.fund(x, a.node.nodeId)).ok).toBe(true);

  const engineA = a.daemon.engine as HiveboxEngine;
  for (const target of [x.nodeId, xv1.nodeId]) {
    await engineA.input({ kind: 'command', command: { name: 'ban_peer', peer_id: target, reason: 'channel jamming', evidence: ['htlc flood 2026-11-21'], random: crypto.getRandomValues(new Uint8Array(16)) } });
  }
  for (const n of ['a', 'b']) await eventually(async () => (await hive.cli<StatusResult>(n, 'hive-status')).ignored_peers.length === 2, `${n} has both bans`);
  await waitUntil(() => [a, b].every((m) => m.node.logs.some((l) => l.message === 'fleet ignore list: 2 peer(s)')), 'both plugins got the list');

  for (const m of [a, b]) {
    const refused = await hive.fund(x, m.node.nodeId);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toEndWith(`: ${OPENCHANNEL_REFUSAL}`);
    const refusedV1 = await hive.fund(xv1, m.node.nodeId);
    expect(refusedV1.ok === false && refusedV1.error.message.endsWith(OPENCHANNEL_REFUSAL)).toBe(true);
    expect((await hive.fund(y, m.node.nodeId)).ok).toBe(true);
  }
  expect(b.node.logs.filter((l) => l.message.startsWith('refused openchannel2 from') || l.message.startsWith('refused openchannel from')).map((l) => l.message.split(' ')[1])).toEqual(['openchannel2', 'openchannel']);

  await hive.fleet.restartDaemon('b');
  await waitUntil(() => b.node.logs.filter((l) => l.message === 'fleet ignore list: 2 peer(s)').length >= 2, 'list pushed again after the restart');
  expect((await hive.fund(x, b.node.nodeId)).ok).toBe(false);
  expect((await hive.cli<StatusResult>('b', 'hive-status')).ignored_peers.toSorted()).toEqual([x.nodeId, xv1.nodeId].sort());
});
