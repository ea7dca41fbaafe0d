/**
 * 49152 is an even BOLT 1 type (spec 002 §3): lightningd drops a peer that sends an unknown even
 * type unless a plugin declares it in getmanifest `custommessages`. Over simnet: a node with no
 * plugin, and a node whose plugin hooks 49152 without declaring it, both disconnect the advisor
 * for a genuine management request (and the hook never sees it); the Hivebox plugin declares
 * 49152/49153, so mgr receives the request, answers, and the connection stays up.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { toHex } from '../../runtime/core/types.ts';
import type { SimNode } from '../../runtime/sim/simnet/index.ts';
import { waitUntil } from '../cln/fixtures/recording-engine.ts';
import { writeProbePlugin } from '../simnet/fixtures/probe-wrapper.ts';
import { SimWorld } from './support/sim-world.ts';

let w: SimWorld;
beforeAll(async () => {
  w = await SimWorld.create();
});
afterAll(async () => {
  await w.stop();
});

async function requestBytes(): Promise<string> {
  const cred = await w.credential({ model: 'performance', schemas: ['hive:monitor/*'] });
  return toHex(w.client.buildBytes({ schema: 'hive:monitor/v1', action: 'health_summary', params: {} }, cred, null).bytes);
}

async function expectDropped(target: SimNode): Promise<void> {
  expect((await w.adv.backend.connect(target.nodeId)).ok).toBe(true);
  expect((await w.adv.backend.sendcustommsg(target.nodeId, await requestBytes())).ok).toBe(true);
  await waitUntil(() => !w.adv.node.peers.get(target.nodeId)?.connected, `${target.name} drops the advisor`);
  expect(target.logs.some((l) => l.message === 'Unknown even message type 49152: disconnecting')).toBe(true);
  expect(await w.adv.backend.listpeers(target.nodeId)).toEqual({ ok: true, value: [] });
}

test('no plugin: lightningd drops the advisor on 49152', async () => {
  await expectDropped(await w.fleet.network.addNode({ name: 'bare' }));
});

test('a plugin that hooks 49152 but does not declare it: dropped all the same, the hook never runs', async () => {
  const plugin = writeProbePlugin(w.root, 'undeclared', { PROBE_FILTERS: '49152' });
  const node = await w.fleet.network.addNode({ name: 'undecl', plugins: [{ path: plugin }] });
  await expectDropped(node);
  expect(node.logs.some((l) => l.message.startsWith('HOOK custommsg'))).toBe(false);
});

test('the Hivebox plugin declares 49152/49153: mgr answers and the peers stay connected', async () => {
  const manifest = w.mgr.node.activePlugins()[0]!.manifest!;
  expect(manifest.custommessages).toEqual([49152, 49153]);
  const before = w.stores.mgr.receipts().length;
  expect((await w.adv.backend.sendcustommsg(w.mgr.node.nodeId, await requestBytes())).ok).toBe(true);
  await waitUntil(() => w.stores.mgr.receipts().length === before + 1, 'mgr answers');
  expect(w.lastReceipt()).toMatchObject({ status: 'accepted', schema_id: 'hive:monitor/v1' });
  expect(w.adv.node.peers.get(w.mgr.node.nodeId)?.connected).toBe(true);
});
