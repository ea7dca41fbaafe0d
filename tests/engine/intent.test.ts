/**
 * Operator intents through the daemon (issue 13, the conflicting-intent scenario): `hive-intent`
 * via lightning-cli → simulated lightningd → the real plugin → daemon; INTENT and INTENT_ABORT
 * travel over sendcustommsg. Two members claim a channel open to the same outside node: on every
 * member the lower node id keeps its lock and the other's intent ends aborted (tie_breaker_loss);
 * a third member is refused (target_locked); bad parameters change nothing.
 */
import { afterEach, expect, test } from 'bun:test';
import { join } from 'node:path';
import { EXIT } from '../../runtime/cli/exit-codes.ts';
import type { InviteResult } from '../../runtime/node/hive/index.ts';
import type { IntentsResult, IntentView } from '../../runtime/node/hive/rpc/intent.ts';
import { RPC_ERROR } from '../../runtime/node/hive/rpc/errors.ts';
import { eventually, startSimHive, type SimHive } from './fixtures/sim-hive.ts';

let hive: SimHive;

afterEach(async () => {
  await hive.stop();
});

const idOf = (name: string) => hive.member(name).node.nodeId;
const MAIN = join(import.meta.dir, '../../runtime/cli/main.ts');

/** Run `hivebox <args>` against node `name`'s daemon socket (no HIVEBOX_* config from the environment). */
async function hivebox(name: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HIVEBOX_')));
  const p = Bun.spawn([process.execPath, MAIN, ...args, '--socket', hive.member(name).daemon.ipcPath], { stdout: 'pipe', stderr: 'pipe', env });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, stdout, stderr };
}

test('a conflicting channel_open intent resolves the same on every member: the lower node id wins', async () => {
  hive = await startSimHive(['a', 'b', 'c']);
  const outsider = await hive.fleet.network.addNode({ name: 'x' });
  await hive.cli('a', 'hive-genesis');
  for (const n of ['b', 'c']) {
    const t = await hive.cli<InviteResult>('a', 'hive-invite', {});
    await hive.cli(n, 'hive-join', { ticket: t.ticket, peer_id: idOf('a') });
  }
  for (const n of ['a', 'b', 'c']) await eventually(async () => (await hive.cli<{ member_count: number }>(n, 'hive-status')).member_count === 3, `${n} sees 3 members`);
  // INTENT goes straight to each member (no relay): b and c, who joined through a, connect too.
  await hive.fleet.network.connect(hive.member('b').node, idOf('c'));

  // Refused before anything is announced: nothing of ours afterwards.
  expect((await hive.cliError('a', 'hive-intent', { intent_type: 'channel_open', target: outsider.nodeId })).code).toBe(RPC_ERROR.invalidParams);
  expect((await hive.cliError('a', 'hive-intent', { intent_type: 'channel_open', target: 'not-a-node', amount_sats: 100_000 })).code).toBe(RPC_ERROR.invalidParams);
  expect((await hive.cliError('a', 'hive-intent', { intent_type: 'splice', target: outsider.nodeId })).code).toBe(RPC_ERROR.invalidParams);
  expect((await hive.cli<IntentsResult>('a', 'hive-intents')).intents).toEqual([]);

  const [low, high] = ['a', 'b'].sort((p, q) => idOf(p).localeCompare(idOf(q))) as [string, string];
  // Both claim before either hears of the other (lightning-cli positional form on one side).
  const [lowIntent, highIntent] = await Promise.all([
    hive.cli<IntentView>(low, 'hive-intent', { intent_type: 'channel_open', target: outsider.nodeId, amount_sats: 200_000 }),
    hive.cli<IntentView>(high, 'hive-intent', ['channel_open', outsider.nodeId, '200000']),
  ]);
  expect(lowIntent).toMatchObject({ status: 'pending', initiator: idOf(low), amount_sats: 200_000 });
  expect(highIntent).toMatchObject({ initiator: idOf(high) });
  expect(['pending', 'aborted']).toContain(highIntent.status);

  const mine = async (n: string) => (await hive.cli<IntentsResult>(n, 'hive-intents')).intents.find((i) => i.target === outsider.nodeId);
  await eventually(async () => (await mine(high))?.status === 'aborted', `${high} yields`);
  expect(await mine(high)).toMatchObject({ status: 'aborted', reason: 'tie_breaker_loss' });
  expect(await mine(low)).toMatchObject({ status: 'pending' });
  // Every member ends with the same view: the low id's lock live, the high id's aborted.
  for (const n of ['a', 'b', 'c']) {
    await eventually(async () => {
      const r = (await hive.cli<IntentsResult>(n, 'hive-intents')).remote.filter((i) => i.target === outsider.nodeId);
      const of = (who: string) => r.find((i) => i.initiator === idOf(who))?.status;
      return (n === low || of(low) === 'pending') && (n === high || of(high) === 'aborted');
    }, `${n} sees ${low} holding the lock and ${high} aborted`);
  }
  // A third member is refused while the lock lives (here through the operator CLI); nothing of its own is recorded.
  const locked = await hivebox('c', 'intent', 'channel_open', outsider.nodeId, '--amount', '100000', '--json');
  expect(locked.code).toBe(EXIT.conflict);
  expect(JSON.parse(locked.stdout).error).toMatchObject({ command: 'intent', rpc_code: RPC_ERROR.governanceRefused, message: expect.stringContaining('target_locked') });
  const listed = await hivebox('c', 'intents');
  expect(listed.code).toBe(EXIT.ok);
  expect(listed.stdout).toContain('no intents of ours');
  expect(listed.stdout).toContain(`channel_open ${outsider.nodeId} by ${idOf(low).slice(0, 16)}`);
  expect((await hive.cli<IntentsResult>('c', 'hive-intents')).intents).toEqual([]);
}, 120_000);
