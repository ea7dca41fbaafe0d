/**
 * Governance end to end through the daemon (issue 16 §1): lightning-cli → simulated lightningd →
 * the real plugin → daemon IPC → engine, and the members' messages over sendcustommsg. A neophyte
 * is promoted by vouches (quorum 1 in a one-member hive, then 2); a member is banned by vote and
 * the 0-fee policies toward it are restored on every member; an external node is banned and its
 * channel open refused; leaving restores the leaver's fees; an admin revocation (signer button)
 * removes a member everywhere; refusals name the rule and change nothing.
 */
import { afterEach, expect, test } from 'bun:test';
import type { InviteResult, MembersResult, StatusResult } from '../../runtime/node/hive/index.ts';
import type { BanPeerResult, BanProposalView, BansResult, LeaveResult, PromoteResult, RevokeResult } from '../../runtime/node/hive/rpc/governance.ts';
import type { HiveSettings } from '../../runtime/node/hive/config.ts';
import { RPC_ERROR } from '../../runtime/node/hive/rpc/errors.ts';
import { OPENCHANNEL_REFUSAL } from '../../services/cln-plugin/index.ts';
import { eventually, startSimHive, type SimHive } from './fixtures/sim-hive.ts';

let hive: SimHive;

afterEach(async () => {
  await hive.stop();
});

const idOf = (name: string) => hive.member(name).node.nodeId;

const cliError = (name: string, method: string, params: Record<string, unknown> = {}) => hive.cliError(name, method, params);

/** `name`'s fee policy (base msat, ppm) on its channel with `peer`, from listpeerchannels. */
async function feeOf(name: string, peer: string): Promise<[number, number]> {
  const r = await hive.cli<{ channels: { peer_id: string; updates?: { local?: { fee_base_msat: number; fee_proportional_millionths: number } } }[] }>(name, 'listpeerchannels', { id: idOf(peer) });
  const local = r.channels[0]!.updates!.local!;
  return [local.fee_base_msat, local.fee_proportional_millionths];
}

async function tierOn(name: string, of: string): Promise<string | null> {
  return (await hive.cli<MembersResult>(name, 'hive-members')).members.find((m) => m.node_id === idOf(of))?.tier ?? null;
}

/** Start `names`, open a channel between every pair, set each channel's fee to 1000 msat + 200 ppm, genesis on the first and join the rest. */
async function fleetOf(names: readonly string[], settings: Partial<HiveSettings> = {}): Promise<void> {
  hive = await startSimHive(names, settings);
  const net = hive.fleet.network;
  for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) await net.openChannel(hive.member(names[i]!).node, idOf(names[j]!), { capacity_sat: 5_000_000 });
  for (const n of names) for (const m of names) if (n !== m) await hive.cli(n, 'setchannel', { id: idOf(m), feebase: 1000, feeppm: 200 });
  await hive.cli(names[0]!, 'hive-genesis');
  for (const n of names.slice(1)) {
    const t = await hive.cli<InviteResult>(names[0]!, 'hive-invite', {});
    await hive.cli(n, 'hive-join', { ticket: t.ticket, peer_id: idOf(names[0]!) });
  }
  for (const n of names) for (const m of names) if (n !== m) await eventually(async () => (await feeOf(n, m))[1] === 0, `${n} zeroes its fee toward ${m}`);
}

test('promotion by vouches, ban by vote with fees restored, external ban refusing a channel, leave restoring fees', async () => {
  await fleetOf(['a', 'b', 'c']);

  // Promotion: a vouch needs a request first; a one-member hive's quorum is 1.
  const early = await cliError('a', 'hive-vouch', { node_id: idOf('b') });
  expect(early).toMatchObject({ code: RPC_ERROR.governanceRefused });
  expect(early.message).toContain('unknown_request');
  const asked = await hive.cli<PromoteResult>('b', 'hive-promote');
  expect(asked).toMatchObject({ node_id: idOf('b'), tier: 'neophyte', vouchers: [], quorum: 1 });
  await eventually(async () => (await hive.cli<MembersResult>('a', 'hive-members')).promotions.some((p) => p.node_id === idOf('b') && p.request_id === asked.request_id), 'a has b’s request');
  expect((await hive.cli<MembersResult>('a', 'hive-members')).promotions.find((p) => p.node_id === idOf('b'))).toMatchObject({ vouchers: [], quorum: 1 });
  expect(await hive.cli<PromoteResult>('a', 'hive-vouch', [idOf('b')])).toMatchObject({ tier: 'member', vouchers: [idOf('a')] });
  for (const n of ['a', 'b', 'c']) await eventually(async () => (await tierOn(n, 'b')) === 'member', `${n} sees b promoted`);
  expect((await hive.cli<StatusResult>('b', 'hive-status')).tier).toBe('member');

  // With two full members the quorum is 2: c needs a's and b's vouches.
  const c = await hive.cli<PromoteResult>('c', 'hive-promote');
  expect(c.quorum).toBe(2);
  await eventually(async () => (await hive.cli<MembersResult>('b', 'hive-members')).promotions.some((p) => p.request_id === c.request_id), 'b has c’s request');
  await eventually(async () => (await hive.cli<MembersResult>('a', 'hive-members')).promotions.some((p) => p.request_id === c.request_id), 'a has c’s request');
  expect(await hive.cli<PromoteResult>('a', 'hive-vouch', { node_id: idOf('c') })).toMatchObject({ tier: 'neophyte', vouchers: [idOf('a')], quorum: 2 });
  expect((await cliError('a', 'hive-vouch', { node_id: idOf('c') })).message).toContain('duplicate');
  await eventually(async () => (await hive.cli<MembersResult>('b', 'hive-members')).promotions.find((p) => p.node_id === idOf('c'))?.vouchers.length === 1, 'b counts a’s vouch');
  expect(await hive.cli<PromoteResult>('b', 'hive-vouch', { node_id: idOf('c') })).toMatchObject({ tier: 'member', quorum: 2 });
  for (const n of ['a', 'b', 'c']) await eventually(async () => (await tierOn(n, 'c')) === 'member', `${n} sees c promoted`);

  // Ban c by vote: eligible a, b → 2 approvals needed; a's proposal carries its own approve.
  const proposal = await hive.cli<BanProposalView>('a', 'hive-ban-propose', { node_id: idOf('c'), reason: 'probing our channels' });
  expect(proposal).toMatchObject({ target: idOf('c'), status: 'pending', approvals: 1, threshold: 2, our_vote: 'approve' });
  expect((await cliError('a', 'hive-ban-propose', { node_id: idOf('c'), reason: 'again' })).message).toContain('ban_cooldown');
  await eventually(async () => (await hive.cli<BansResult>('b', 'hive-bans')).proposals.some((p) => p.proposal_id === proposal.proposal_id && p.approvals === 1), 'b has the proposal and a’s vote');
  expect((await cliError('c', 'hive-ban-vote', { proposal_id: proposal.proposal_id, vote: 'reject' })).code).toBe(RPC_ERROR.notAllowed);
  expect(await hive.cli<BanProposalView>('b', 'hive-ban-vote', [proposal.proposal_id, 'approve'])).toMatchObject({ status: 'approved', approvals: 2 });
  for (const n of ['a', 'b']) {
    await eventually(async () => (await tierOn(n, 'c')) === null, `${n} removed c`);
    await eventually(async () => (await feeOf(n, 'c'))[1] === 200, `${n} restored its fee toward c`);
    expect(await feeOf(n, 'c')).toEqual([1000, 200]);
    expect(await feeOf(n, n === 'a' ? 'b' : 'a')).toEqual([0, 0]);
  }

  // An external node on the ignore list: its channel open is refused on both members.
  const x = await hive.fleet.network.addNode({ name: 'x' });
  const banned = await hive.cli<BanPeerResult>('b', 'hive-ban-peer', { node_id: x.nodeId, reason: 'channel jamming', evidence: 'htlc flood' });
  expect(banned.ignored_peers).toEqual([x.nodeId]);
  expect((await cliError('b', 'hive-ban-peer', { node_id: idOf('a'), reason: 'no' })).message).toContain('target_is_member');
  await eventually(async () => (await hive.cli<StatusResult>('a', 'hive-status')).ignored_peers.includes(x.nodeId), 'a has the ban');
  await eventually(async () => ['a', 'b'].every((n) => hive.member(n).node.logs.some((l) => l.message === 'fleet ignore list: 1 peer(s)')), 'both plugins got the list');
  for (const n of ['a', 'b']) {
    const r = await hive.fund(x, idOf(n));
    expect(r.ok === false && r.error.message.endsWith(OPENCHANNEL_REFUSAL)).toBe(true);
  }

  // b leaves: its fee toward a comes back, and a's toward b.
  expect(await hive.cli<LeaveResult>('b', 'hive-leave', { reason: 'moving the node' })).toMatchObject({ fees_restored: 1 });
  expect(await feeOf('b', 'a')).toEqual([1000, 200]);
  expect(await hive.cli<StatusResult>('b', 'hive-status')).toMatchObject({ tier: null, member_count: 0 });
  await eventually(async () => (await tierOn('a', 'b')) === null, 'a removed b');
  await eventually(async () => (await feeOf('a', 'b'))[1] === 200, 'a restored its fee toward b');
  expect((await cliError('a', 'hive-leave')).message).toContain('last_member');
}, 120_000);

test('an admin revocation (signer button) removes a member on every node and restores the fees toward it', async () => {
  await fleetOf(['a', 'b', 'c']);
  const before = await hive.cli<MembersResult>('b', 'hive-members');
  expect((await cliError('b', 'hive-revoke', { node_id: idOf('c') })).message).toContain('not_admin');
  expect(await hive.cli<MembersResult>('b', 'hive-members')).toEqual(before);
  const r = await hive.cli<RevokeResult>('a', 'hive-revoke', { node_id: idOf('c'), reason: 'key leaked' });
  expect(r).toMatchObject({ node_id: idOf('c'), member_count: 2 });
  expect(hive.events.get('a')!.some((e) => e.kind === 'approval' && e.purpose === 'revoke' && e.state === 'done' && e.outcome === 'approved')).toBe(true);
  for (const n of ['a', 'b']) {
    await eventually(async () => (await tierOn(n, 'c')) === null, `${n} removed c`);
    await eventually(async () => (await feeOf(n, 'c'))[1] === 200, `${n} restored its fee toward c`);
  }
  await eventually(async () => (await feeOf('c', 'a'))[1] === 200, 'c dropped the fleet and restored its fees');
}, 120_000);

test('[hive] auto_vouch: a full member vouches by itself for a neophyte past its probation', async () => {
  await fleetOf(['a', 'b'], { auto_vouch: true, probation_days: 0 });
  expect(await tierOn('a', 'b')).toBe('neophyte');
  await hive.cli<PromoteResult>('b', 'hive-promote');
  for (const n of ['a', 'b']) await eventually(async () => (await tierOn(n, 'b')) === 'member', `${n} sees b promoted without an operator vouch`);
}, 60_000);
