/**
 * The `hive-*` commands' refusals: each failure class has its own JSON-RPC code and a message
 * that says what to do, and a refused command writes nothing. Also: signer approvals (rejected,
 * timed out, one at a time with the prompt in hive-status), and joins that fail cleanly when the
 * member is unreachable and succeed once the link heals.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { RpcFailure } from '../../runtime/node/engine.ts';
import { RPC_ERROR } from '../../runtime/node/hive/rpc/errors.ts';
import type { StatusResult } from '../../runtime/node/hive/rpc/status.ts';
import { admit, genesis, invite, members, threeNodes } from './fixtures/fleet.ts';
import { DEFAULT_HIVE_SETTINGS } from '../../runtime/node/hive/config.ts';
import { LoopbackNet, type LoopNode } from './fixtures/loopback.ts';

let net: LoopbackNet;
let a: LoopNode;
let b: LoopNode;
let c: LoopNode;

beforeEach(() => {
  ({ net, a, b, c } = threeNodes('none'));
});

afterEach(async () => {
  await net.close();
});

/** The RpcFailure `p` rejects with (fails the test if it resolves). */
async function failure(p: Promise<unknown>): Promise<RpcFailure> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RpcFailure) return e;
    throw e;
  }
  throw new Error('expected an RpcFailure');
}

describe('state checks', () => {
  test('invite before genesis → notInHive', async () => {
    expect((await failure(a.engine.rpc('hive-invite', {}))).code).toBe(RPC_ERROR.notInHive);
  });

  test('genesis twice → alreadyInHive, and the store is unchanged', async () => {
    await genesis(a);
    const before = a.store.dump();
    const f = await failure(a.engine.rpc('hive-genesis', {}));
    expect(f.code).toBe(RPC_ERROR.alreadyInHive);
    expect(a.store.dump()).toEqual(before);
  });

  test('a neophyte cannot invite → notAllowed', async () => {
    await genesis(a);
    await admit(net, a, b);
    const f = await failure(b.engine.rpc('hive-invite', {}));
    expect(f.code).toBe(RPC_ERROR.notAllowed);
    expect(f.message).toContain('neophyte');
  });

  test('a full hive issues no invite → notAllowed naming max_members', async () => {
    const small = new LoopbackNet({ ...DEFAULT_HIVE_SETTINGS, challenge_timeout_s: 30, join_wait_s: 600, max_members: 2 });
    const [x, y] = [small.add(11), small.add(12)];
    small.link(x, y, 'CHANNELD_NORMAL');
    await genesis(x);
    await admit(small, x, y);
    const f = await failure(x.engine.rpc('hive-invite', {}));
    expect(f.code).toBe(RPC_ERROR.notAllowed);
    expect(f.message).toContain('max_members = 2');
    await small.close();
  });

  test('join while in a hive → alreadyInHive', async () => {
    await genesis(a);
    const t = await invite(a);
    expect((await failure(a.engine.rpc('hive-join', { ticket: t.ticket, peer_id: b.node_id }))).code).toBe(RPC_ERROR.alreadyInHive);
  });

  test('genesis with a chosen hive id', async () => {
    const r = (await a.engine.rpc('hive-genesis', { hive_id: 'hive_demo' })) as { hive_id: string };
    expect(r.hive_id).toBe('hive_demo');
  });
});

describe('parameters', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ['valid_hours 0', 'hive-invite', { valid_hours: 0 }],
    ['valid_hours over a week', 'hive-invite', { valid_hours: 169 }],
    ['valid_hours not a number', 'hive-invite', { valid_hours: 'soon' }],
    ['req_splice not a boolean', 'hive-invite', { req_splice: 'yes' }],
    ['an unknown parameter', 'hive-status', { verbose: true }],
    ['peer_id not a node id', 'hive-join', { ticket: 'x', peer_id: '02abc' }],
    ['missing ticket', 'hive-join', {}],
    ['hive_id with a control character', 'hive-genesis', { hive_id: 'hive\u0001' }],
  ];
  for (const [name, method, params] of cases) {
    test(`${method}: ${name} → invalidParams`, async () => {
      await genesis(c);
      const before = a.store.dump();
      expect((await failure(a.engine.rpc(method, params))).code).toBe(RPC_ERROR.invalidParams);
      expect(a.store.dump()).toEqual(before);
    });
  }

  test('lightning-cli string forms are accepted: valid_hours "12", req_splice "true"', async () => {
    await genesis(a);
    expect(await a.engine.rpc('hive-invite', { valid_hours: '12', req_splice: 'true' })).toMatchObject({ valid_hours: 12, requires: ['splice'] });
  });

  test('an unknown method → -32601', async () => {
    expect((await failure(a.engine.rpc('hive-nothing', {}))).code).toBe(-32601);
  });
});

describe('tickets', () => {
  test('garbage ticket → badTicket, nothing sent', async () => {
    await genesis(a);
    const f = await failure(b.engine.rpc('hive-join', { ticket: 'not-a-ticket', peer_id: a.node_id }));
    expect(f.code).toBe(RPC_ERROR.badTicket);
    expect(b.eventsOf('sent')).toEqual([]);
  });

  test('expired ticket → badTicket', async () => {
    await genesis(a);
    const t = await invite(a, { valid_hours: 1 });
    net.now_ms += 2 * 3600 * 1000;
    expect((await failure(b.engine.rpc('hive-join', { ticket: t.ticket, peer_id: a.node_id }))).message).toContain('expired');
  });

  test('a ticket requiring dual-fund is refused by the member when the joiner did not negotiate it', async () => {
    const d = net.add(4, { features_hex: (1n << 63n).toString(16) });
    net.link(a, d, 'CHANNELD_NORMAL');
    await genesis(a);
    const t = await invite(a, { req_dual_fund: true });
    const p = d.engine.rpc('hive-join', { ticket: t.ticket, peer_id: a.node_id });
    // The member says why (JOIN_REFUSED): the join ends without waiting for the first-contact timeout.
    const f = await failure(p);
    expect(a.eventsOf('rejected').map((e) => e.reason)).toEqual(['ticket_requirements_not_met']);
    expect(f.code).toBe(RPC_ERROR.badTicket);
    expect(f.message).toContain('ticket_requirements_not_met (missing dual-fund)');
    expect((await members(a)).members).toHaveLength(1);
  });
});

describe('signer approvals', () => {
  test('rejected on the signer → approvalRejected; nothing written', async () => {
    await genesis(a);
    a.button.push('reject');
    const before = a.store.dump();
    expect((await failure(a.engine.rpc('hive-invite', {}))).code).toBe(RPC_ERROR.approvalRejected);
    expect(a.store.dump()).toEqual(before);
  });

  test('nobody presses → approvalTimeout', async () => {
    await genesis(a);
    a.button.push('never');
    expect((await failure(a.engine.rpc('hive-invite', {}))).code).toBe(RPC_ERROR.approvalTimeout);
  });

  test('one approval at a time: a second invite gets signerBusy; hive-status shows the prompt', async () => {
    await genesis(a);
    a.button.push('never');
    const first = a.engine.rpc('hive-invite', { req_splice: true });
    await net.until(() => a.button.shown.length === 1, 'the prompt on the signer');
    const status = (await a.engine.rpc('hive-status', {})) as StatusResult;
    expect(status.pending_approval).toMatchObject({ purpose: 'invite', prompt: expect.stringMatching(/^Press the button on your Hivebox signer to approve: invite to hive_[0-9a-f]{16}, valid 24 h, requires splice$/) });
    expect(status.pending_approval!.seconds_left).toBeGreaterThan(0);
    expect((await failure(a.engine.rpc('hive-invite', {}))).code).toBe(RPC_ERROR.signerBusy);
    expect((await failure(first)).code).toBe(RPC_ERROR.approvalTimeout);
    expect(((await a.engine.rpc('hive-status', {})) as StatusResult).pending_approval).toBeNull();
  });
});

describe('unreachable member', () => {
  test('no connected peer and no peer_id → joinFailed at once', async () => {
    const lonely = net.add(9);
    await genesis(a);
    const t = await invite(a);
    expect((await failure(lonely.engine.rpc('hive-join', { ticket: t.ticket }))).code).toBe(RPC_ERROR.joinFailed);
  });

  test('partition during the handshake: HELLO in spec then cl-hive framing go unanswered → joinFailed (no_answer); after heal the same ticket joins', async () => {
    await genesis(a);
    const t = await invite(a);
    net.partition(a, b);
    const p = b.engine.rpc('hive-join', { ticket: t.ticket, peer_id: a.node_id });
    await net.until(() => b.eventsOf('sent').length === 1, 'the first HELLO');
    await net.tick(31);
    expect(b.eventsOf('sent').map((e) => [e.type, e.framing])).toEqual([
      ['HELLO', 'spec'],
      ['HELLO', 'clhive'],
    ]);
    await net.tick(31);
    const f = await failure(p);
    expect(f).toMatchObject({ code: RPC_ERROR.joinFailed, data: { [a.node_id]: 'no_answer' } });
    expect(((await b.engine.rpc('hive-status', {})) as StatusResult).hive_id).toBeNull();
    net.heal(a, b);
    await net.tick(11);
    expect(await b.engine.rpc('hive-join', { ticket: t.ticket, peer_id: a.node_id })).toMatchObject({ member_id: a.node_id });
    expect((await members(b)).membership_hash).toBe((await members(a)).membership_hash);
  });

  test('ATTEST lost on the wire: the join times out after 300 s, the member admits nobody and drops the challenge; a retry with the same ticket works', async () => {
    await genesis(a);
    const t = await invite(a);
    net.keep = (_from, _to, hex) => !hex.startsWith('8005');
    const p = b.engine.rpc('hive-join', { ticket: t.ticket, peer_id: a.node_id });
    await net.until(() => b.eventsOf('sent').some((e) => e.type === 'ATTEST'), 'the ATTEST');
    expect(a.store.membership.challenges()).toHaveLength(1);
    for (let i = 0; i < 11; i++) await net.tick(30);
    expect((await failure(p)).data).toEqual({ [a.node_id]: 'join_timeout' });
    expect((await members(a)).members).toHaveLength(1);
    expect(a.store.membership.challenges()).toEqual([]);
    net.keep = null;
    expect(await b.engine.rpc('hive-join', { ticket: t.ticket, peer_id: a.node_id })).toMatchObject({ tier: 'neophyte' });
  });
});
