/**
 * The graph served in CLN `listchannels` / `listnodes` shapes (what simnet's fake lightning-rpc
 * returns), checked against the CLN schema example's field set and the filters lightningd accepts.
 */
import { expect, test } from 'bun:test';
import { join } from 'node:path';
import { channelByScid, listChannels, listNodes } from '../../runtime/core/graph/cln-view.ts';
import { DATA_DIR, FILES, realGraph } from './real-graphs.ts';

const ACINQ = '03864ef025fde8fb587d989186ce6a4a186895ee44a926bfc370e2c366597a3f8f';

test('entries carry the CLN listchannels fields of the schema example', async () => {
  const schema = await Bun.file(join(DATA_DIR, 'vectors/cln-schemas/listchannels.json')).json();
  const example = schema.examples[0].response.channels[0] as Record<string, unknown>;
  const g = await realGraph(FILES.json2019);
  const [e] = listChannels(g, { short_channel_id: '505149x622x0' });
  const ours = Object.keys(e!);
  for (const k of ours) expect(Object.keys(example)).toContain(k);
  for (const k of ['source', 'destination', 'short_channel_id', 'direction', 'public', 'amount_msat', 'active', 'base_fee_millisatoshi', 'fee_per_millionth', 'delay']) {
    expect(ours).toContain(k);
  }
});

test('filters: short_channel_id gives both directions, source / destination the node\'s side', async () => {
  const g = await realGraph(FILES.compressed2026);
  const out = listChannels(g, { source: ACINQ });
  const into = listChannels(g, { destination: ACINQ });
  expect(out.length).toBe(1_989);
  expect(into.length).toBe(1_989);
  expect(out.every((c) => c.source === ACINQ)).toBe(true);
  expect(into.every((c) => c.destination === ACINQ)).toBe(true);
  const both = listChannels(g, { short_channel_id: out[0]!.short_channel_id });
  expect(both.map((c) => c.direction).sort()).toEqual([0, 1]);
  expect(channelByScid(g, '99999999x1x1')).toBeUndefined();
  expect(listChannels(g, { source: '02'.padEnd(66, '0') })).toEqual([]);
});

test('listnodes: all nodes or one, with aliases', async () => {
  const g = await realGraph(FILES.compressed2026);
  expect(listNodes(g).length).toBe(17_324);
  expect(listNodes(g, ACINQ)).toEqual([{ nodeid: ACINQ, alias: 'ACINQ' }]);
  expect(listNodes(g, '02'.padEnd(66, '1'))).toEqual([]);
});
