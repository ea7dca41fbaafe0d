/**
 * Joining across the cl-hive boundary through the daemons (issue 13), in simnet with `hivebox run`'s
 * appliance on each node:
 *  - `hive-invite clhive=true` prints a ticket in exactly the form cl-hive's `hive-join` reads
 *    (checked with Python: padded standard base64, `Ticket(**json)` with cl-hive's seven fields),
 *    names the peer, and is refused unless `accept_clhive_channel_join` is on;
 *  - `hive-join` with that ticket recognises it and runs cl-hive's ticketless join in cl-hive
 *    framing (channel as stake);
 *  - the framing learned in that handshake is kept for every later message both ways (GOSSIP,
 *    FULL_SYNC, STATE_HASH go out cl-hive framed), is in the store, and survives a daemon restart.
 */
import { expect, test } from 'bun:test';
import type { ClhiveInviteResult } from '../../runtime/node/hive/rpc/invite-clhive.ts';
import type { JoinResult } from '../../runtime/node/hive/rpc/join.ts';
import type { EngineEvent } from '../../runtime/node/events.ts';
import { openFleetStore } from '../../services/store/fleet-store.ts';
import { waitUntil } from '../cln/fixtures/recording-engine.ts';
import { simBoxRig, type SimBox } from '../systemd/fixtures/sim-appliance.ts';

const rig = simBoxRig();

/** cl-hive 2.2.6 `hive-join`: `Ticket(**json.loads(base64.b64decode(ticket)))` with its dataclass. */
const CLHIVE_READS_TICKET = `
import base64, json, sys
from dataclasses import dataclass
@dataclass
class Ticket:
    admin_pubkey: str
    hive_id: str
    requirements: int
    issued_at: int
    expires_at: int
    signature: str
    initial_tier: str = "neophyte"
t = Ticket(**json.loads(base64.b64decode(sys.argv[1], validate=True)))
print(t.admin_pubkey, t.hive_id, t.initial_tier)
`;

/** The error message of a `method` call that must fail. */
async function failure(box: SimBox, method: string, params: Record<string, unknown>): Promise<string> {
  try {
    await box.call(method, params);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${method} succeeded`);
}

const sentTo = (box: SimBox, peer: string, from = 0) =>
  box.events.slice(from).filter((e): e is Extract<EngineEvent, { kind: 'sent' }> => e.kind === 'sent' && e.peer_id === peer && ['GOSSIP', 'FULL_SYNC', 'STATE_HASH'].includes(e.type));

test('a cl-hive ticket from hive-invite clhive=true: cl-hive-framed join, framing kept both ways and across a daemon restart', async () => {
  const net = await rig.network();
  const a = await rig.box(net, 'a', 0x61, { hive: { accept_clhive_channel_join: true } });
  const b = await rig.box(net, 'b', 0x62);
  await net.openChannel(b.node, a.node.nodeId, { capacity_sat: 5_000_000 });
  await a.call('hive-genesis');
  expect(await failure(b, 'hive-invite', { clhive: true })).toContain('not in a hive');

  const inv = await a.call<ClhiveInviteResult>('hive-invite', { clhive: true, valid_hours: 2 });
  expect(inv).toMatchObject({ format: 'clhive', peer_id: a.node.nodeId, valid_hours: 2 });
  expect(inv.command).toBe(`lightning-cli hive-join ticket=${inv.ticket} peer_id=${a.node.nodeId}`);
  const py = Bun.spawnSync(['python3', '-c', CLHIVE_READS_TICKET, inv.ticket]);
  expect(py.stderr.toString()).toBe('');
  expect(py.stdout.toString().trim()).toBe(`${a.node.nodeId} ${inv.hive_id} neophyte`);

  const joined = await b.call<JoinResult>('hive-join', { ticket: inv.ticket });
  expect(joined).toMatchObject({ hive_id: inv.hive_id, member_id: a.node.nodeId, ticket_format: 'clhive' });
  const handshake = b.events.filter((e) => e.kind === 'sent' && ['HELLO', 'ATTEST'].includes(e.type)).map((e) => (e.kind === 'sent' ? `${e.type}/${e.framing}` : ''));
  expect(handshake).toEqual(['HELLO/clhive', 'ATTEST/clhive']);

  // Every fleet message after the handshake goes out cl-hive framed, both ways, from the first one.
  await waitUntil(() => sentTo(a, b.node.nodeId).length > 0 && sentTo(b, a.node.nodeId).length > 0, 'fleet traffic both ways', 15_000);
  expect(new Set([...sentTo(a, b.node.nodeId), ...sentTo(b, a.node.nodeId)].map((e) => e.framing))).toEqual(new Set(['clhive']));
  expect(a.events.some((e) => e.kind === 'rejected')).toBe(false);

  // Persisted, and still used after a daemon restart.
  await a.restartDaemon();
  const store = openFleetStore(`${a.node.dir}/hive.db`, 0);
  if (!store.ok) throw new Error(store.error.kind);
  expect(store.value.load().tables.framings.get(b.node.nodeId)?.framing).toBe('clhive');
  store.value.close();
  const after = a.events.length;
  net.disconnectPair(a.node, b.node.nodeId);
  await net.connect(b.node, a.node.nodeId);
  await waitUntil(() => sentTo(a, b.node.nodeId, after).length > 0, 'a speaks to b after its restart', 15_000);
  expect(new Set(sentTo(a, b.node.nodeId, after).map((e) => e.framing))).toEqual(new Set(['clhive']));
}, 90_000);

test('hive-invite clhive=true is refused while cl-hive joins are off; an expired or forged cl-hive ticket is refused by hive-join', async () => {
  const net = await rig.network();
  const a = await rig.box(net, 'a', 0x63);
  const c = await rig.box(net, 'c', 0x64, { hive: { accept_clhive_channel_join: true } });
  const b = await rig.box(net, 'b', 0x65);
  await a.call('hive-genesis');
  expect(await failure(a, 'hive-invite', { clhive: true })).toContain('accept_clhive_channel_join');
  await c.call('hive-genesis');
  const inv = await c.call<ClhiveInviteResult>('hive-invite', { clhive: true });
  const fields = JSON.parse(Buffer.from(inv.ticket, 'base64').toString());
  const reencode = (patch: Record<string, unknown>) => Buffer.from(JSON.stringify({ ...fields, ...patch })).toString('base64');
  expect(await failure(b, 'hive-join', { ticket: reencode({ expires_at: 1 }) })).toContain('expired');
  expect(await failure(b, 'hive-join', { ticket: reencode({ hive_id: 'someone-else' }) })).toContain('signature');
  expect(b.events.some((e) => e.kind === 'sent')).toBe(false);
}, 60_000);
