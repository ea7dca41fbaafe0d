/**
 * HELLO floods (clhive-protocol.md §3.5): one HELLO per peer per 10 s, one open challenge per
 * peer, at most 1,000 open challenges overall with the oldest evicted — so a storm neither fills
 * the store nor evicts a legitimate candidate's fresh challenge faster than the cap allows.
 */
import { expect, test } from 'bun:test';
import { HANDSHAKE_LIMITS } from '../../runtime/core/machines/handshake-limits.ts';
import { issueTicket } from '../ticket/fixtures.ts';
import { Fleet, type SimNode } from '../handshake/pair.ts';
import { expectRefusedUnchanged, helloBytes } from './handshake-fixtures.ts';

test('a storm of HELLOs from one peer: one challenge, the rest rate_limited with the store unchanged', async () => {
  const { fleet, member } = Fleet.withMember(0xc0);
  const stormer = fleet.add(0xc1);
  const { encoded } = await issueTicket();
  fleet.deliverBytes(stormer, member, helloBytes(stormer, 'spec', encoded));
  expect(member.store.challenges()).toHaveLength(1);
  const first = member.store.challenges()[0]!;
  expectRefusedUnchanged(member, 'rate_limited', () => {
    for (let i = 0; i < 500; i++) fleet.deliverBytes(stormer, member, helloBytes(stormer, 'spec', encoded));
  });
  expect(member.rejects.filter((r) => r.reason === 'rate_limited')).toHaveLength(500);
  expect(member.effects.filter((e) => e.kind === 'fetch_facts')).toHaveLength(1);
  fleet.now += HANDSHAKE_LIMITS.helloInterval_s - 1;
  expectRefusedUnchanged(member, 'rate_limited', () => fleet.deliverBytes(stormer, member, helloBytes(stormer, 'spec', encoded)));
  fleet.now += 1;
  fleet.deliverBytes(stormer, member, helloBytes(stormer, 'spec', encoded));
  const open = member.store.challenges();
  expect(open).toHaveLength(1);
  expect(open[0]!.nonce).not.toBe(first.nonce);
  expect(member.store.load()).toEqual(member.state.membership);
});

test('a storm from many peers: at most 1,000 open challenges, the oldest evicted', async () => {
  const { fleet, member } = Fleet.withMember(0xc2, { config: { accept_clhive_channel_join: true } });
  const peers: SimNode[] = [];
  for (let i = 0; i < HANDSHAKE_LIMITS.maxOpenChallenges + 5; i++) {
    const sk = new Uint8Array(32);
    new DataView(sk.buffer).setUint32(0, 0x1000 + i);
    const p = fleet.add(sk);
    member.channels.set(p.node_id, ['CHANNELD_NORMAL']);
    peers.push(p);
  }
  for (const [i, p] of peers.entries()) {
    fleet.now = 1_760_000_000 + Math.floor(i / 100);
    fleet.deliverBytes(p, member, Fleet.encode('HELLO', { pubkey: p.node_id, protocol_version: 1 }, 'clhive'));
  }
  const open = member.store.challenges();
  expect(open).toHaveLength(HANDSHAKE_LIMITS.maxOpenChallenges);
  const openPeers = new Set(open.map((c) => c.peer_id));
  expect(peers.slice(0, 5).filter((p) => openPeers.has(p.node_id))).toEqual([]);
  expect(peers.slice(5).every((p) => openPeers.has(p.node_id))).toBe(true);
  expect(member.effects.filter((e) => e.kind === 'log' && e.event === 'challenge_evicted')).toHaveLength(5);
  expect(member.store.load()).toEqual(member.state.membership);
});
