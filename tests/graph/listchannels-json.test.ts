/**
 * CLN listchannels / listnodes JSON readers on the real 2019 (old field set, real scids) and 2026
 * (derived) files, and their typed errors for malformed entries.
 */
import { describe, expect, test } from 'bun:test';
import { HALF } from '../../runtime/core/graph/graph.ts';
import { graphFromListChannels } from '../../services/graph/listchannels-json.ts';
import { nodeNamesFromListNodes, parseNodeMap } from '../../services/graph/node-names.ts';
import { nodeId } from '../planner/small-graph.ts';
import { FILES, realGraph } from './real-graphs.ts';

const entry = (over: Record<string, unknown> = {}) => ({
  source: nodeId(1),
  destination: nodeId(2),
  short_channel_id: '600000x1x0',
  direction: 0,
  public: true,
  amount_msat: 1_000_000_000,
  active: true,
  base_fee_millisatoshi: 1000,
  fee_per_millionth: 10,
  delay: 40,
  ...over,
});

describe('real files', () => {
  test('2019-05-14 verbatim CLN listchannels: 37,497 channels, 4,275 nodes, 1,038.55497704 BTC, real scids, aliases', async () => {
    const g = await realGraph(FILES.json2019);
    expect(g.scids).toBe('real');
    expect(g.channelCount).toBe(37_497);
    expect(g.nodeCount).toBe(4_275);
    expect(g.capacitySat.reduce((s, c) => s + c, 0)).toBe(103_855_497_704);
    let active = 0;
    for (let c = 0; c < g.channelCount; c++) if ((g.halfFlags[2 * c]! | g.halfFlags[2 * c + 1]!) & HALF.active) active++;
    expect(active).toBe(29_608);
    const first = g.nodeIndex.get('0250373555232cec757ea141273e75381c84cc3ab22f1e3a3ca5a2dc55b1904c24')!;
    const c = g.adjChannel[g.adjStart[first]!]!;
    expect(`${g.scidBlock[c]}x${g.scidTx[c]}x${g.scidOut[c]}`).toBe('505149x622x0');
    expect(g.capacitySat[c]).toBe(300_000);
    expect(g.lastUpdate[2 * c]).toBe(1557455485);
    expect(Number.isNaN(g.htlcMaxMsat[2 * c]!)).toBe(true);
    expect(g.aliases.filter(Boolean).length).toBeGreaterThan(3_500);
  });

  test('the xz original decodes to the same graph as its gzip copy', async () => {
    const [gz, xz] = await Promise.all([realGraph(FILES.json2019), realGraph(FILES.json2019xz)]);
    expect(xz.channelCount).toBe(gz.channelCount);
    expect(Bun.deepEquals(xz.capacitySat, gz.capacitySat)).toBe(true);
    expect(xz.nodeIds).toEqual(gz.nodeIds);
  });

  test('2026 derived listchannels matches the compressed snapshot it was made from', async () => {
    const [json, comp] = await Promise.all([realGraph(FILES.json2026), realGraph(FILES.compressed2026)]);
    expect(json.channelCount).toBe(50_808);
    expect(json.nodeCount).toBe(17_324);
    for (const id of ['03864ef025fde8fb587d989186ce6a4a186895ee44a926bfc370e2c366597a3f8f', '0217890e3aad8d35bc054f43acc00084b25229ecff0ab68debd82883ad65ee8266']) {
      expect(json.activeCapacitySat[json.nodeIndex.get(id)!]).toBe(comp.activeCapacitySat[comp.nodeIndex.get(id)!]!);
    }
    expect(json.aliases[json.nodeIndex.get('03864ef025fde8fb587d989186ce6a4a186895ee44a926bfc370e2c366597a3f8f')!]).toBe('ACINQ');
  });
});

describe('entries', () => {
  test('old CLN field set: "…msat" strings, satoshis, channel_flags for direction', () => {
    const r = graphFromListChannels({
      channels: [
        { ...entry({ amount_msat: '300000000msat', satoshis: 300_000, channel_flags: 0 }), direction: undefined },
        { ...entry({ source: nodeId(2), destination: nodeId(1), amount_msat: '300000000msat', channel_flags: 1, active: false }), direction: undefined },
      ],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.channelCount).toBe(1);
    expect(r.value.capacitySat[0]).toBe(300_000);
    expect(r.value.halfFlags[1]).toBe(HALF.present);
  });

  test('private entries are left out', () => {
    const r = graphFromListChannels({ channels: [entry({ public: false })] });
    expect(r.ok && r.value.channelCount).toBe(0);
  });

  const cases: [string, unknown, string, string?][] = [
    ['not an object', 42, 'BadJson'],
    ['bad node id', { channels: [entry({ source: 'zz' })] }, 'BadEntry', 'source'],
    ['bad scid', { channels: [entry({ short_channel_id: '1x2' })] }, 'BadEntry', 'short_channel_id'],
    ['scid output above 65535', { channels: [entry({ short_channel_id: '1x2x70000' })] }, 'BadEntry', 'short_channel_id'],
    ['amount not whole sat', { channels: [entry({ amount_msat: 1_000_500 })] }, 'BadEntry', 'amount_msat'],
    ['amount string without msat', { channels: [entry({ amount_msat: '1000' })] }, 'BadEntry', 'amount_msat'],
    ['negative fee', { channels: [entry({ fee_per_millionth: -1 })] }, 'BadEntry', 'fee_per_millionth'],
    ['delay above u16', { channels: [entry({ delay: 70_000 })] }, 'BadEntry', 'delay'],
    ['no direction', { channels: [entry({ direction: undefined })] }, 'BadEntry', 'direction'],
    ['direction against node order', { channels: [entry({ direction: 1 })] }, 'InconsistentChannel'],
    ['self channel', { channels: [entry({ destination: nodeId(1) })] }, 'InconsistentChannel'],
    ['halves disagree on capacity', { channels: [entry(), entry({ source: nodeId(2), destination: nodeId(1), direction: 1, amount_msat: 2_000_000_000 })] }, 'InconsistentChannel'],
    ['direction listed twice', { channels: [entry(), entry()] }, 'InconsistentChannel'],
  ];
  for (const [name, json, kind, field] of cases) {
    test(`${name} → ${kind}`, () => {
      const r = graphFromListChannels(json);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.kind).toBe(kind as never);
      if (field) expect(r.error.kind === 'BadEntry' && r.error.field).toBe(field);
    });
  }
});

describe('node names', () => {
  test('node map lines: alias may contain ":"; typed errors for bad lines and duplicates', () => {
    const ok = parseNodeMap(`0:${nodeId(1)}:a:b\n1:${nodeId(2)}:\n`);
    expect(ok).toEqual({ ok: true, value: { ids: [nodeId(1), nodeId(2)], aliases: ['a:b', ''] } });
    expect(parseNodeMap(`1:${nodeId(1)}:x`)).toEqual({ ok: false, error: { kind: 'NodeNamesInvalid', line: 1, reason: 'index must be 0' } });
    expect(parseNodeMap(`0:${nodeId(1)}`).ok).toBe(false);
    expect(parseNodeMap(`0:${nodeId(0xabc).toUpperCase()}:x`).ok).toBe(false);
    expect(parseNodeMap(`0:${nodeId(1)}:x\n1:${nodeId(1)}:y`)).toEqual({ ok: false, error: { kind: 'DuplicateNodeId', node_id: nodeId(1) } });
  });

  test('listnodes shape: nodes array, nodeid checked, alias optional', () => {
    expect(nodeNamesFromListNodes({ nodes: [{ nodeid: nodeId(3) }] })).toEqual({ ok: true, value: { ids: [nodeId(3)], aliases: [''] } });
    expect(nodeNamesFromListNodes({ nodes: [{ nodeid: 'x' }] }).ok).toBe(false);
    expect(nodeNamesFromListNodes({ nodes: [{ nodeid: nodeId(3), alias: 5 }] }).ok).toBe(false);
    expect(nodeNamesFromListNodes([]).ok).toBe(false);
  });
});
