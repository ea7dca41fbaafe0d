/**
 * The engine through the real path: lightning-cli → simulated lightningd (CLN v26.06) → the real
 * plugin process → daemon IPC socket → engine, and custom messages between nodes through
 * sendcustommsg and the custommsg hook. A partition during the handshake fails cleanly and the
 * join succeeds after heal; daemon and lightningd restarts keep membership; command errors reach
 * lightning-cli with their codes.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import type { InviteResult, JoinResult, MembersResult, StatusResult } from '../../runtime/node/hive/index.ts';
import { RPC_ERROR } from '../../runtime/node/hive/rpc/errors.ts';
import { startSimHive, type SimHive } from './fixtures/sim-hive.ts';

let hive: SimHive;

beforeEach(async () => {
  hive = await startSimHive(['a', 'b']);
  await hive.fleet.network.openChannel(hive.member('a').node, hive.member('b').node.nodeId, { capacity_sat: 5_000_000 });
  await hive.cli('a', 'hive-genesis');
});

afterEach(async () => {
  await hive.stop();
});

const idOf = (name: string) => hive.member(name).node.nodeId;

const cliError = (name: string, method: string, params: Record<string, unknown> = {}) => hive.cliError(name, method, params);

describe('over the plugin protocol', () => {
  test('B joins A: both list the same members and hash', async () => {
    const t = await hive.cli<InviteResult>('a', 'hive-invite', { valid_hours: 24, req_splice: true });
    const j = await hive.cli<JoinResult>('b', 'hive-join', { ticket: t.ticket, peer_id: idOf('a') });
    expect(j).toMatchObject({ member_id: idOf('a'), tier: 'neophyte' });
    const [ma, mb] = await Promise.all(['a', 'b'].map((n) => hive.cli<MembersResult>(n, 'hive-members')));
    expect(mb).toEqual(ma!);
    expect(ma!.members.map((m) => m.tier).sort()).toEqual(['member', 'neophyte']);
  });

  test('lightning-cli positional params and engine error codes pass through lightningd unchanged', async () => {
    const bad = await cliError('a', 'hive-invite', { valid_hours: 0 });
    expect(bad.code).toBe(RPC_ERROR.invalidParams);
    const t = await hive.cli<InviteResult>('a', 'hive-invite', [12]);
    expect(t.valid_hours).toBe(12);
    await hive.cli('b', 'hive-join', [t.ticket, idOf('a')]);
    expect((await cliError('b', 'hive-invite')).code).toBe(RPC_ERROR.notAllowed);
    expect((await cliError('a', 'hive-genesis')).code).toBe(RPC_ERROR.alreadyInHive);
  });
});

describe('partition during the handshake (simnet fault controls)', () => {
  test('messages vanish: the join fails cleanly with no_answer and changes nothing; after heal it succeeds', async () => {
    const t = await hive.cli<InviteResult>('a', 'hive-invite', {});
    const a = hive.member('a');
    const b = hive.member('b');
    hive.fleet.network.partition(a.node, b.node);
    const before = await hive.cli<MembersResult>('a', 'hive-members');
    const f = await cliError('b', 'hive-join', { ticket: t.ticket, peer_id: idOf('a') });
    expect(f.code).toBe(RPC_ERROR.joinFailed);
    expect(f.message).toContain('no_answer');
    expect(hive.events.get('b')!.filter((e) => e.kind === 'sent').map((e) => (e.kind === 'sent' ? `${e.type}/${e.framing}` : ''))).toEqual(['HELLO/spec', 'HELLO/clhive']);
    expect(await hive.cli<MembersResult>('a', 'hive-members')).toEqual(before);
    expect((await hive.cli<StatusResult>('b', 'hive-status')).hive_id).toBeNull();

    await hive.fleet.network.heal(a.node, b.node);
    const j = await hive.cli<JoinResult>('b', 'hive-join', { ticket: t.ticket, peer_id: idOf('a') });
    expect(j.members).toHaveLength(2);
    expect((await hive.cli<MembersResult>('a', 'hive-members')).membership_hash).toBe(j.membership_hash);
  });

  test('partition with disconnect: sendcustommsg fails, the join fails cleanly; heal reconnects and the join succeeds', async () => {
    const t = await hive.cli<InviteResult>('a', 'hive-invite', {});
    const a = hive.member('a');
    const b = hive.member('b');
    hive.fleet.network.partition(a.node, b.node, { disconnect: true });
    const f = await cliError('b', 'hive-join', { ticket: t.ticket, peer_id: idOf('a') });
    expect([RPC_ERROR.joinFailed, RPC_ERROR.nodeError] as number[]).toContain(f.code);
    await hive.fleet.network.heal(a.node, b.node);
    expect((await hive.cli<JoinResult>('b', 'hive-join', { ticket: t.ticket, peer_id: idOf('a') })).tier).toBe('neophyte');
  });
});

describe('restarts keep membership', () => {
  test('daemon restart and lightningd restart (plugin relaunched) both come back with the same members', async () => {
    const t = await hive.cli<InviteResult>('a', 'hive-invite', {});
    await hive.cli('b', 'hive-join', { ticket: t.ticket, peer_id: idOf('a') });
    const before = await Promise.all(['a', 'b'].map((n) => hive.cli<MembersResult>(n, 'hive-members')));
    await hive.fleet.restartDaemon('b');
    await hive.fleet.waitPluginsConnected();
    await hive.fleet.network.restartNode(hive.member('a').node);
    await hive.fleet.waitPluginsConnected();
    const deadline = Date.now() + 5_000;
    let after: MembersResult[] = [];
    while (Date.now() < deadline) {
      try {
        after = await Promise.all(['a', 'b'].map((n) => hive.cli<MembersResult>(n, 'hive-members')));
        break;
      } catch {
        await Bun.sleep(50);
      }
    }
    expect(after).toEqual(before);
  });
});
