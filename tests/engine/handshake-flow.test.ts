/**
 * The engine end to end on the loopback network: genesis, an invite approved on the signer, a
 * join (HELLO → facts → CHALLENGE → two node signatures → ATTEST → WELCOME) each committed in
 * one store transaction, a third node whose admission reaches the earlier joiner, and a restart
 * that keeps everything.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import type { LoopbackNet, LoopNode } from './fixtures/loopback.ts';
import { admit, genesis, members, threeNodes } from './fixtures/fleet.ts';

let net: LoopbackNet;
let a: LoopNode;
let b: LoopNode;
let c: LoopNode;

beforeEach(() => {
  ({ net, a, b, c } = threeNodes('channel'));
});

afterEach(async () => {
  await net.close();
});

describe('join happy path', () => {
  test('B joins A with a ticket: same members and membership hash on both, B is neophyte', async () => {
    const hive_id = await genesis(a);
    const joined = await admit(net, a, b);
    expect(joined).toMatchObject({ hive_id, member_id: a.node_id, tier: 'neophyte' });
    const ma = await members(a);
    const mb = await members(b);
    expect(ma.members.map((m) => [m.node_id, m.tier]).sort()).toEqual([
      [a.node_id, 'member'],
      [b.node_id, 'neophyte'],
    ].sort());
    expect(mb.members.map((m) => [m.node_id, m.tier])).toEqual(ma.members.map((m) => [m.node_id, m.tier]));
    expect(mb.membership_hash).toBe(ma.membership_hash);
    expect(joined.membership_hash).toBe(ma.membership_hash!);
  });

  test('the steps happen in protocol order, each message in spec framing', async () => {
    await genesis(a);
    await admit(net, a, b);
    const handshake = new Set(['HELLO', 'CHALLENGE', 'ATTEST', 'WELCOME']);
    const sentByB = b.eventsOf('sent').filter((e) => e.peer_id === a.node_id && handshake.has(e.type)).map((e) => e.type);
    const sentByA = a.eventsOf('sent').filter((e) => e.peer_id === b.node_id && handshake.has(e.type)).map((e) => e.type);
    expect(sentByB).toEqual(['HELLO', 'ATTEST']);
    expect(sentByA).toEqual(['CHALLENGE', 'WELCOME']);
    expect([...a.eventsOf('sent'), ...b.eventsOf('sent')].every((e) => e.framing === 'spec')).toBe(true);
    expect([...a.eventsOf('send_failed'), ...b.eventsOf('send_failed')]).toEqual([]);
    expect(a.eventsOf('peer_facts')).toEqual([{ kind: 'peer_facts', peer_id: b.node_id, features_hex: b.features_hex, channel_states: ['CHANNELD_NORMAL'] }]);
    expect(b.eventsOf('node_signed').map((e) => e.purpose).slice(0, 2)).toEqual(['challenge', 'manifest']);
    expect(a.eventsOf('member_admitted')).toEqual([{ kind: 'member_admitted', peer_id: b.node_id, via: 'ticket' }]);
    expect(b.eventsOf('joined')).toHaveLength(1);
    expect(a.button.shown.map((s) => s.title)).toEqual([expect.stringMatching(/^invite to hive_[0-9a-f]{16}, valid 24 h$/)]);
  });

  test('C joins right after B: the admission FULL_SYNC from A still reaches B (full member, new member named), all three agree', async () => {
    await genesis(a);
    await admit(net, a, b);
    await admit(net, a, c);
    const all = await Promise.all([a, b, c].map(members));
    expect(all.map((m) => m.members.length)).toEqual([3, 3, 3]);
    expect(new Set(all.map((m) => m.membership_hash)).size).toBe(1);
    expect(a.eventsOf('sent').some((e) => e.peer_id === b.node_id && e.type === 'FULL_SYNC')).toBe(true);
  });

  test('a ticket requiring splice admits a node that negotiated splice', async () => {
    await genesis(a);
    const t = (await a.engine.rpc('hive-invite', { req_splice: true, valid_hours: 2 })) as { ticket: string; requires: string[]; valid_hours: number };
    expect(t).toMatchObject({ requires: ['splice'], valid_hours: 2 });
    expect(a.button.shown.at(-1)?.title).toMatch(/valid 2 h, requires splice$/);
    await b.engine.rpc('hive-join', { ticket: t.ticket, peer_id: a.node_id });
    expect((await members(a)).members).toHaveLength(2);
  });

  test('without peer_id the join asks every connected peer; the member answers', async () => {
    await genesis(a);
    const t = (await a.engine.rpc('hive-invite', {})) as { ticket: string };
    const r = (await b.engine.rpc('hive-join', { ticket: t.ticket })) as { member_id: string };
    expect(r.member_id).toBe(a.node_id);
    expect(c.eventsOf('rejected').map((e) => e.reason)).toEqual(['not_admitting']);
  });
});

describe('restart keeps membership', () => {
  test('both stores reopen with the same members and hash; the restarted member still admits', async () => {
    await genesis(a);
    await admit(net, a, b);
    const before = await Promise.all([a, b].map(members));
    await net.restart(a);
    await net.restart(b);
    const after = await Promise.all([a, b].map(members));
    expect(after).toEqual(before);
    const status = (await b.engine.rpc('hive-status', {})) as { tier: string; hive_id: string };
    expect(status).toMatchObject({ tier: 'neophyte', hive_id: before[0]!.hive_id! });
    await admit(net, a, c);
    expect((await members(c)).membership_hash).toBe((await members(a)).membership_hash);
  });
});
