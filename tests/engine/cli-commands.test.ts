/**
 * The operator CLI against running daemons (simnet nodes with the real plugin): `hivebox genesis |
 * invite | join | status | members | promote | vouch | ban` reach the daemon over its IPC socket, print text or one JSON
 * object, show the signer prompt while an invite waits, and exit with a distinct code per failure.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import type { InviteResult, JoinResult, MembersResult, StatusResult } from '../../runtime/node/hive/index.ts';
import { EXIT } from '../../runtime/cli/exit-codes.ts';
import { RPC_ERROR } from '../../runtime/node/hive/rpc/errors.ts';
import { startSignerSimulator } from '../../runtime/sim/signer/start.ts';
import { startSimHive, type SimHive } from './fixtures/sim-hive.ts';

const MAIN = join(import.meta.dir, '../../runtime/cli/main.ts');
let hive: SimHive;

beforeAll(async () => {
  hive = await startSimHive(['a', 'b', 'c']);
  await hive.fleet.network.openChannel(hive.member('a').node, hive.member('b').node.nodeId, { capacity_sat: 5_000_000 });
});

afterAll(async () => {
  await hive.stop();
});

/** Run `hivebox <args>` against node `name`'s daemon socket. */
async function hivebox(name: string | null, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const socket = name === null ? join(hive.fleet.network.root, 'nobody.sock') : hive.member(name).daemon.ipcPath;
  const p = Bun.spawn([process.execPath, MAIN, ...args, '--socket', socket], { stdout: 'pipe', stderr: 'pipe', env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HIVEBOX_'))) });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, stdout, stderr };
}

describe('hivebox CLI → daemon socket', () => {
  test('status before genesis, genesis, invite with the prompt, join, members', async () => {
    const s0 = await hivebox('a', 'status', '--json');
    expect(s0.code).toBe(EXIT.ok);
    expect((JSON.parse(s0.stdout) as StatusResult).hive_id).toBeNull();

    const g = await hivebox('a', 'genesis', '--hive-id', 'hive_cli_test');
    expect(g).toMatchObject({ code: EXIT.ok, stdout: expect.stringContaining('Founded hive_cli_test') });

    const inv = await hivebox('a', 'invite', '--req-splice', '--valid-hours', '6', '--json');
    expect(inv.code).toBe(EXIT.ok);
    const t = JSON.parse(inv.stdout) as InviteResult;
    expect(t).toMatchObject({ hive_id: 'hive_cli_test', valid_hours: 6, requires: ['splice'] });

    const j = await hivebox('b', 'join', t.ticket, '--peer', hive.member('a').node.nodeId, '--json');
    expect(j.code).toBe(EXIT.ok);
    const joined = JSON.parse(j.stdout) as JoinResult;

    const m = await hivebox('b', 'members');
    expect(m.code).toBe(EXIT.ok);
    expect(m.stdout).toContain(`hive_cli_test: 2 members, membership hash ${joined.membership_hash}`);
    const ma = JSON.parse((await hivebox('a', 'members', '--json')).stdout) as MembersResult;
    expect(ma.membership_hash).toBe(joined.membership_hash);
    const aId = hive.member('a').node.nodeId;
    expect(ma.members.find((x) => x.node_id === hive.member('b').node.nodeId)).toMatchObject({ tier: 'neophyte', admitted_by: aId, via: 'ticket' });
    expect(ma.members.find((x) => x.node_id === aId)).toMatchObject({ tier: 'member', admitted_by: null, via: null });
    expect(m.stdout).toContain(`ticket by ${aId.slice(0, 16)}…`);
    expect((await hivebox('b', 'status')).stdout).toMatch(/tier\s+neophyte/);
  });

  test('distinct exit codes: already in a hive 4, bad ticket 2, bad usage 64, neophyte invite 4, no daemon 69', async () => {
    expect((await hivebox('a', 'genesis')).code).toBe(EXIT.conflict);
    const bad = await hivebox('c', 'join', 'not-a-ticket', '--peer', hive.member('a').node.nodeId);
    expect(bad.code).toBe(EXIT.malformed);
    expect(bad.stderr).toContain('hivebox join: the ticket is not usable');
    expect((await hivebox('a', 'invite', '--valid-hours', '500')).code).toBe(EXIT.usage);
    expect((await hivebox('b', 'invite')).code).toBe(EXIT.conflict);
    const down = await hivebox(null, 'status');
    expect(down.code).toBe(EXIT.unavailable);
    expect(down.stderr).toContain('is `hivebox run` running?');
  });

  test('--json prints one error object on stdout with the same exit code', async () => {
    const again = await hivebox('a', 'genesis', '--json');
    expect(again.code).toBe(EXIT.conflict);
    expect(JSON.parse(again.stdout)).toEqual({ error: { command: 'genesis', message: expect.stringContaining('already in hive'), exit_code: EXIT.conflict, rpc_code: RPC_ERROR.alreadyInHive } });
    const bad = await hivebox('c', 'join', 'not-a-ticket', '--json');
    expect(bad.code).toBe(EXIT.malformed);
    expect(JSON.parse(bad.stdout).error).toMatchObject({ command: 'join', message: 'the ticket is not usable: malformed: not UTF-8 JSON', data: { rule: 'ticket_malformed', reason: 'not UTF-8 JSON' } });
    const down = await hivebox(null, 'status', '--json');
    expect(down.code).toBe(EXIT.unavailable);
    expect(JSON.parse(down.stdout).error).toMatchObject({ command: 'status', exit_code: EXIT.unavailable });
    const usage = await hivebox('a', 'ban', 'propose', '--json');
    expect(usage.code).toBe(EXIT.usage);
    expect(JSON.parse(usage.stdout).error).toMatchObject({ command: null, exit_code: EXIT.usage });
  });
});

describe('governance from the CLI', () => {
  test('promote, members with vouches against the quorum, vouch, ban list', async () => {
    const b = hive.member('b').node.nodeId;
    const asked = await hivebox('b', 'promote');
    expect(asked).toMatchObject({ code: EXIT.ok, stdout: expect.stringMatching(/: neophyte, request [0-9a-f]{32}; vouches 0\/1/) });
    const deadline = Date.now() + 10_000;
    let members = '';
    while (!members.includes('vouches 0/1') && Date.now() < deadline) members = (await hivebox('a', 'members')).stdout;
    expect(members).toMatch(new RegExp(`${b}  neophyte .* vouches 0/1`));
    const v = await hivebox('a', 'vouch', b);
    expect(v).toMatchObject({ code: EXIT.ok, stdout: expect.stringContaining(`${b}: promoted to member; vouched by 1 (${hive.member('a').node.nodeId.slice(0, 16)})`) });
    expect((await hivebox('a', 'vouch', b)).code).toBe(EXIT.conflict);
    const bans = await hivebox('a', 'ban', 'list');
    expect(bans.stdout).toBe('no ban proposals\nno ignored external peers\n');
    expect((await hivebox('a', 'ban', 'vote', 'f'.repeat(32), 'maybe')).code).toBe(EXIT.usage);
  });
});

describe('hivebox invite shows the signer prompt while it waits', () => {
  test('with a simulated USB signer whose button is pressed after 1.5 s', async () => {
    const sim = await startSignerSimulator({ mode: 'in-process', stateDir: join(hive.fleet.network.root, 'p-signer'), button: { press: 'approve', after_ms: 1_500 } });
    const solo = await startSimHive(['p'], {}, () => sim.signer);
    try {
      const socket = solo.member('p').daemon.ipcPath;
      const run = async (...args: string[]) => {
        const p = Bun.spawn([process.execPath, MAIN, ...args, '--socket', socket], { stdout: 'pipe', stderr: 'pipe' });
        return { stdout: await new Response(p.stdout).text(), stderr: await new Response(p.stderr).text(), code: await p.exited };
      };
      expect((await run('genesis')).code).toBe(EXIT.ok);
      const r = await run('invite', '--req-splice');
      expect(r.code).toBe(EXIT.ok);
      expect(r.stderr).toMatch(/^Press the button on your Hivebox signer to approve: invite to hive_[0-9a-f]{16}, valid 24 h, requires splice \(\d+ s\)$/m);
      expect(r.stdout).toMatch(/^Invite to hive_[0-9a-f]{16}, valid 24 h, requires splice \(ticket [0-9a-f]{32}\):\n\S+\n$/);
    } finally {
      await solo.stop();
      await sim.stop();
    }
  });
});
