/**
 * First-boot enrolment (runtime/daemon/hive-role.ts) through the appliance in simnet: the role
 * file `hivebox firstboot` writes makes a fresh box found a hive (genesis) or join one with its
 * ticket (member), once; a box already in a hive, a bad file and a bad ticket change nothing.
 */
import { afterEach, beforeEach, expect, test } from 'bun:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyHiveRole, readHiveRole } from '../../runtime/daemon/hive-role.ts';
import type { InviteResult, MembersResult, StatusResult } from '../../runtime/node/hive/index.ts';
import { SimNetwork } from '../../runtime/sim/simnet/index.ts';
import { waitUntil } from '../cln/fixtures/recording-engine.ts';
import { startSimBox, type SimBox } from './fixtures/sim-appliance.ts';

let net: SimNetwork;
let boxes: SimBox[];
const dir = mkdtempSync(join(tmpdir(), 'hbx-role-'));

function roleFile(name: string, content: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

const box = (name: string, seed: number, path: string) => startSimBox(net, name, seed, { daemon: { ipc_socket: join(net.root, `${name}.sock`), ipc_socket_mode: 0o600, tick_ms: 100, hive_role_file: path, hive_role_retry_s: 1 } });
const nowS = () => Math.floor(Date.now() / 1000);
const logged = (b: SimBox, event: string) => b.logs.find((l) => l.event === event);

beforeEach(async () => {
  net = await SimNetwork.create();
  boxes = [];
});

afterEach(async () => {
  for (const x of boxes) await x.stop();
  await net.stop();
});

test('genesis role: the box founds a hive at start; applied again, it changes nothing', async () => {
  const path = roleFile('genesis.json', { role: 'genesis' });
  const a = await box('a', 0x51, path);
  boxes.push(a);
  await waitUntil(() => logged(a, 'hive_role_founded') !== undefined, 'founded', 10_000);
  const status = await a.call<StatusResult>('hive-status');
  expect(status.hive_id).toMatch(/^hive_/);
  expect(logged(a, 'hive_role_founded')!.fields.hive_id).toBe(status.hive_id);
  expect(await applyHiveRole(path, a.appliance.daemon.engine, nowS())).toEqual({ kind: 'in_hive', hive_id: status.hive_id! });
  expect((await a.call<StatusResult>('hive-status')).membership_hash).toBe(status.membership_hash);
}, 120_000);

test('member role: the box joins with its ticket over the connected founder, then stays', async () => {
  const a = await box('a', 0x52, roleFile('founder.json', { role: 'genesis' }));
  boxes.push(a);
  await waitUntil(() => logged(a, 'hive_role_founded') !== undefined, 'founded', 10_000);
  const t = await a.call<InviteResult>('hive-invite');
  const path = roleFile('member.json', { role: 'member', ticket: t.ticket });

  // b starts before it has a peer: the join is retried until a's node is connected.
  const b = await box('b', 0x53, path);
  boxes.push(b);
  await waitUntil(() => logged(b, 'hive_role_retry') !== undefined, 'retry while no peer is connected', 10_000);
  expect(String(logged(b, 'hive_role_retry')!.fields.reason)).toContain('no connected peer');
  await net.openChannel(b.node, a.node.nodeId, { capacity_sat: 2_000_000 });
  await waitUntil(() => logged(b, 'hive_role_joined') !== undefined, 'joined', 20_000);
  const mb = await b.call<MembersResult>('hive-members');
  expect(mb.members.map((m) => m.node_id).sort()).toEqual([a.node.nodeId, b.node.nodeId].sort());
  expect((await a.call<MembersResult>('hive-members')).membership_hash).toBe(mb.membership_hash);

  // Already in a hive: the role is not applied again.
  expect(await applyHiveRole(path, b.appliance.daemon.engine, nowS())).toEqual({ kind: 'in_hive', hive_id: mb.hive_id! });
}, 120_000);

test('a garbled or expired ticket stops the retries with an error and leaves the box outside any hive', async () => {
  const b = await box('b', 0x54, roleFile('bad-ticket.json', { role: 'member', ticket: 'not-a-ticket' }));
  boxes.push(b);
  await waitUntil(() => logged(b, 'hive_role_bad_ticket') !== undefined, 'bad ticket reported', 10_000);
  expect(String(logged(b, 'hive_role_bad_ticket')!.fields.reason)).toContain('not a Hive invite ticket');
  expect((await b.call<StatusResult>('hive-status')).hive_id).toBeNull();
  expect(b.logs.filter((l) => l.event === 'hive_role_retry')).toEqual([]);

  const a = await box('a', 0x56, roleFile('founder2.json', { role: 'genesis' }));
  boxes.push(a);
  await waitUntil(() => logged(a, 'hive_role_founded') !== undefined, 'founded', 10_000);
  const t = await a.call<InviteResult>('hive-invite');
  const expiresAt = JSON.parse(Buffer.from(t.ticket, 'base64url').toString('utf8')).expires_at as number;
  const out = await applyHiveRole(roleFile('late.json', { role: 'member', ticket: t.ticket }), b.appliance.daemon.engine, expiresAt);
  expect(out).toMatchObject({ kind: 'bad_ticket', reason: expect.stringContaining('expired') });
  expect((await b.call<StatusResult>('hive-status')).hive_id).toBeNull();
}, 120_000);

test('role files: none, null role, garbage and wrong shapes are told apart; nothing is founded from them', async () => {
  expect(readHiveRole(join(dir, 'absent.json'))).toBeNull();
  expect(readHiveRole(roleFile('null.json', { role: null }))).toEqual({ role: null });
  expect(readHiveRole(roleFile('garbage.json', '{role'))).toEqual({ error: expect.stringContaining('not JSON') });
  expect(readHiveRole(roleFile('no-ticket.json', { role: 'member', ticket: null }))).toEqual({ error: expect.stringContaining('ticket') });
  expect(readHiveRole(roleFile('odd.json', { role: 'admin' }))).toEqual({ error: expect.stringContaining('role') });

  const b = await box('c', 0x55, roleFile('wrong.json', { role: 'member' }));
  boxes.push(b);
  await waitUntil(() => logged(b, 'hive_role_invalid') !== undefined, 'invalid file reported', 10_000);
  expect((await b.call<StatusResult>('hive-status')).hive_id).toBeNull();
  expect(await applyHiveRole(join(dir, 'absent.json'), b.appliance.daemon.engine, nowS())).toEqual({ kind: 'no_role' });
}, 120_000);
