/**
 * cl-hive message types Hivebox does not implement (issue 13), through the daemon in simnet: a
 * member sends SETTLEMENT_OFFER and PHYSARUM_RECOMMENDATION (as cl-hive 2.2.6 does) and a type
 * number no registry knows, all cl-hive framed. The receiver counts them per type in `hive-status`
 * (`unhandled_types`), logs each type once per peer at debug level, warns about none, answers none,
 * and the peer stays connected.
 */
import { expect, test } from 'bun:test';
import type { InviteResult, StatusResult } from '../../runtime/node/hive/index.ts';
import { createLightningBackend } from '../../services/lightning-rpc/index.ts';
import { waitUntil } from '../cln/fixtures/recording-engine.ts';
import { simBoxRig, type SimBox } from '../systemd/fixtures/sim-appliance.ts';

const rig = simBoxRig();

/** cl-hive framing: `HIVE` + JSON envelope (BOLT type 18505). */
const clhive = (type: number, payload: Record<string, unknown>) => Buffer.from(`HIVE${JSON.stringify({ type, version: 1, payload })}`).toString('hex');

test('unimplemented cl-hive types are counted, logged once per type and peer at debug, never warned about or answered', async () => {
  const net = await rig.network();
  const boxes = [await rig.box(net, 'a', 0x81), await rig.box(net, 'b', 0x82)];
  const [a, b] = boxes as [SimBox, SimBox];
  await net.openChannel(a.node, b.node.nodeId, { capacity_sat: 5_000_000 });
  await a.call('hive-genesis');
  await b.call('hive-join', { ticket: (await a.call<InviteResult>('hive-invite')).ticket, peer_id: a.node.nodeId });

  const logsBefore = a.logs.length;
  const eventsBefore = a.events.length;
  const sends: [number, number][] = [
    [32821, 5], // SETTLEMENT_OFFER
    [32867, 2], // PHYSARUM_RECOMMENDATION
    [32999, 1], // outside the registry
  ];
  for (const [type, n] of sends) for (let i = 0; i < n; i++) await b.call('sendcustommsg', { node_id: a.node.nodeId, msg: clhive(type, { sender_id: b.node.nodeId, seq: i }) });
  await waitUntil(() => a.events.slice(eventsBefore).filter((e) => e.kind === 'received').length >= 7, 'the registered types reach the engine', 15_000);
  await waitUntil(() => a.logs.slice(logsBefore).some((l) => l.event === 'hive_unhandled_type' && l.fields.type === 'unknown_type'), 'the unknown type reaches the engine', 15_000);

  const status = await a.call<StatusResult>('hive-status');
  expect(status.unhandled_types).toEqual({ PHYSARUM_RECOMMENDATION: 2, SETTLEMENT_OFFER: 5, unknown_type: 1 });
  const once = a.logs.slice(logsBefore).filter((l) => l.event === 'hive_unhandled_type');
  expect(once.map((l) => l.fields.type).sort()).toEqual(['PHYSARUM_RECOMMENDATION', 'SETTLEMENT_OFFER', 'unknown_type']);
  const later = a.events.slice(eventsBefore);
  expect(later.filter((e) => e.kind === 'rejected' || e.kind === 'dropped')).toEqual([]);
  expect(later.filter((e) => e.kind === 'sent' && e.peer_id === b.node.nodeId && e.type === 'MSG_ACK')).toEqual([]);
  expect(a.node.peers.get(b.node.nodeId)?.connected).toBe(true);
  // Nothing about them above debug level in the daemon log (each arrival is a debug `hive_received`).
  const noisy = a.logs.slice(logsBefore).filter((l) => ['hive_received', 'hive_unhandled_type', 'hive_rejected', 'hive_dropped'].includes(l.event) && l.level !== 'debug');
  expect(noisy).toEqual([]);
  // No warning of any kind naming b (the fleet layer's `fleet_reject` warned on each one on the real rig).
  expect(a.logs.slice(logsBefore).filter((l) => l.level === 'warn' && JSON.stringify(l.fields).includes(b.node.nodeId))).toEqual([]);
}, 60_000);

test("a non-member's undecodable Hive message is logged at debug (anyone can send it at will); a member's still warns", async () => {
  const net = await rig.network();
  const boxes = [await rig.box(net, 'a', 0x83), await rig.box(net, 'b', 0x84)];
  const [a, b] = boxes as [SimBox, SimBox];
  const x = await net.addNode({ name: 'x' });
  await net.openChannel(a.node, b.node.nodeId, { capacity_sat: 5_000_000 });
  await a.call('hive-genesis');
  await b.call('hive-join', { ticket: (await a.call<InviteResult>('hive-invite')).ticket, peer_id: a.node.nodeId });
  // cl-hive framing (18505, the magic) with a body that is not UTF-8: what the real rig's outsider sent.
  const junk = '48495645' + 'ff'.repeat(16);
  const logsBefore = a.logs.length;
  const xCli = createLightningBackend({ socketPath: x.rpcPath, idPrefix: 'x' }).client;
  await net.connect(x, a.node.nodeId);
  expect((await xCli.call('sendcustommsg', { node_id: a.node.nodeId, msg: junk })).ok).toBe(true);
  xCli.close();
  await waitUntil(() => a.logs.slice(logsBefore).some((l) => l.event === 'hive_dropped' && l.fields.peer_id === x.nodeId), 'x’s junk reaches the engine', 15_000);
  expect(a.logs.slice(logsBefore).filter((l) => l.event === 'hive_dropped').map((l) => l.level)).toEqual(['debug']);
  await b.call('sendcustommsg', { node_id: a.node.nodeId, msg: junk });
  await waitUntil(() => a.logs.slice(logsBefore).some((l) => l.event === 'hive_dropped' && l.fields.peer_id === b.node.nodeId), 'b’s junk reaches the engine', 15_000);
  expect(a.logs.slice(logsBefore).find((l) => l.event === 'hive_dropped' && l.fields.peer_id === b.node.nodeId)?.level).toBe('warn');
}, 60_000);
