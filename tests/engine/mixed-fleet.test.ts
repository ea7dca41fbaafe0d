/**
 * A mixed fleet end to end through the real daemons (issue 18): simnet's lightningd nodes a and b
 * with the real plugin, and l, a simulated LND reached over gRPC/TLS with no plugin — the daemon
 * subscribes to LND's custom messages and peer events itself and answers its channel acceptor.
 * The fleet forms across both implementations, gossips, and converges on one membership hash; a
 * peer a CLN member bans is refused by the LND member's channel acceptor.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { InviteResult, JoinResult, MembersResult, StatusResult } from '../../runtime/node/hive/index.ts';
import type { HiveboxEngine } from '../../runtime/node/hive/hive-engine.ts';
import { CHANNEL_REFUSAL } from '../../services/lnd/events.ts';
import { SimLndNode } from '../../runtime/sim/simlnd/node.ts';
import { startSimHive, type SimHive } from './fixtures/sim-hive.ts';

let hive: SimHive;
const idOf = (name: string) => hive.member(name).node.nodeId;

async function until(cond: () => Promise<boolean> | boolean, what: string, timeout_ms = 30_000): Promise<void> {
  const deadline = Date.now() + timeout_ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeout_ms} ms`);
    await Bun.sleep(50);
  }
}

beforeAll(async () => {
  // Status gossip every 5 s (the configurable minimum), so every member talks to every other soon after joining.
  hive = await startSimHive(['a', 'b', 'l'], { status_interval_s: 5 }, undefined, ['l']);
  const net = hive.fleet.network;
  for (const [x, y] of [['a', 'b'], ['a', 'l'], ['b', 'l']] as const) await net.openChannel(hive.member(x).node, idOf(y), { capacity_sat: 5_000_000 });
  await hive.cli('a', 'hive-genesis');
});

afterAll(async () => {
  await hive.stop();
});

test('the LND member is a simulated LND behind the LND backend, with no plugin', () => {
  const l = hive.member('l');
  expect(l.node).toBeInstanceOf(SimLndNode);
  expect(l.backend.capabilities).toEqual({ implementation: 'lnd', plugin: false, cln_rpc: false });
  expect(l.node.plugins).toEqual([]);
});

test('a CLN node and the LND node join; all three converge on the same members and hash', async () => {
  const tb = await hive.cli<InviteResult>('a', 'hive-invite', {});
  await hive.cli<JoinResult>('b', 'hive-join', { ticket: tb.ticket, peer_id: idOf('a') });
  const tl = await hive.cli<InviteResult>('a', 'hive-invite', {});
  const j = await hive.cli<JoinResult>('l', 'hive-join', { ticket: tl.ticket, peer_id: idOf('a') });
  expect(j).toMatchObject({ member_id: idOf('a'), tier: 'neophyte' });
  const key = (m: MembersResult) => `${m.membership_hash}|${m.members.map((x) => `${x.node_id}:${x.tier}`).join(',')}`;
  await until(async () => {
    const lists = await Promise.all(['a', 'b', 'l'].map((n) => hive.cli<MembersResult>(n, 'hive-members')));
    return lists[0]!.members.length === 3 && lists.every((x) => key(x) === key(lists[0]!));
  }, 'membership convergence');
});

test('the LND node hears both CLN members and they hear it (custom messages both ways)', async () => {
  const heardFrom = (name: string, peer: string) => hive.events.get(name)!.some((e) => e.kind === 'received' && (e as { peer_id?: string }).peer_id === idOf(peer));
  await until(() => heardFrom('l', 'a') && heardFrom('a', 'l') && heardFrom('b', 'l') && heardFrom('l', 'b'), 'traffic between CLN and LND members');
});

test('0-fee routing between members: the LND member zeroes its member channels with UpdateChannelPolicy', async () => {
  const l = hive.member('l');
  const zeroed = async () => {
    const chans = await l.backend.listpeerchannels();
    if (!chans.ok) return false;
    const members = chans.value.filter((c) => c.peer_id === idOf('a') || c.peer_id === idOf('b'));
    return members.length === 2 && members.every((c) => c.updates?.local?.fee_base_msat === 0 && c.updates?.local?.fee_proportional_millionths === 0);
  };
  await until(zeroed, "the LND member's channels to A and B at 0 fee");
});

test("a peer banned on a CLN member is on the LND member's ignore list: lnd's ChannelAcceptor refuses its open, others open", async () => {
  const net = hive.fleet.network;
  const x = await net.addNode({ name: 'x' });
  const y = await net.addNode({ name: 'y' });
  await (hive.member('a').daemon.engine as HiveboxEngine).input({ kind: 'command', command: { name: 'ban_peer', peer_id: x.nodeId, reason: 'channel jamming', evidence: ['htlc flood'], random: crypto.getRandomValues(new Uint8Array(16)) } });
  await until(async () => (await hive.cli<StatusResult>('l', 'hive-status')).ignored_peers.length === 1, "the ban reaching the LND member");
  const refused = await hive.fund(x, idOf('l'));
  expect(refused.ok ? null : refused.error.message).toEndWith(`: ${CHANNEL_REFUSAL}`);
  expect((await hive.fund(y, idOf('l'))).ok).toBe(true);
});
