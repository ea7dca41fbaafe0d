/**
 * hive_share on the real graphs, checked against an independent, straightforward computation over the
 * raw listchannels JSON (plain objects and Maps, no typed arrays, no shared code), and the counts of
 * saturated and underserved targets for fixed fleets of three real well-connected nodes, recorded here.
 */
import { describe, expect, test } from 'bun:test';
import { analyze } from '../../runtime/core/planner/analysis.ts';
import { DEFAULT_PLANNER_CONFIG } from '../../runtime/core/planner/config.ts';
import { FILES, rawJson, realGraph } from '../graph/real-graphs.ts';

interface RawChannel {
  source: string;
  destination: string;
  short_channel_id: string;
  active: boolean;
  amount_msat: number | string;
}

/** hive_share, public capacity and age by node, the obvious way. */
function independent(channels: readonly RawChannel[], fleet: readonly string[], blockheight: number | null) {
  const chans = new Map<string, { a: string; b: string; sat: number; active: boolean; block: number }>();
  for (const c of channels) {
    const msat = typeof c.amount_msat === 'string' ? Number(c.amount_msat.replace('msat', '')) : c.amount_msat;
    const prev = chans.get(c.short_channel_id);
    const block = Number(c.short_channel_id.split('x')[0]);
    chans.set(c.short_channel_id, { a: c.source, b: c.destination, sat: msat / 1000, active: (prev?.active ?? false) || c.active, block });
  }
  const pub = new Map<string, number>();
  const oldest = new Map<string, number>();
  const pair = new Map<string, number>();
  for (const ch of chans.values()) {
    if (!ch.active) continue;
    for (const [x, y] of [[ch.a, ch.b], [ch.b, ch.a]] as const) {
      pub.set(x, (pub.get(x) ?? 0) + ch.sat);
      oldest.set(x, Math.min(oldest.get(x) ?? Infinity, ch.block));
      if (fleet.includes(x)) pair.set(`${x}|${y}`, Math.max(pair.get(`${x}|${y}`) ?? 0, ch.sat));
    }
  }
  const share = new Map<string, number>();
  for (const [node, p] of pub) {
    let f = 0;
    for (const m of fleet) f += pair.get(`${m}|${node}`) ?? 0;
    share.set(node, p > 0 ? f / p : 0);
  }
  const targets = [...pub.keys()].filter((n) => !fleet.includes(n) && pub.get(n)! >= 100_000_000);
  const saturated = targets.filter((n) => share.get(n)! >= 0.2).length;
  const underserved = targets.filter((n) => share.get(n)! < 0.05 && (blockheight === null || (blockheight - oldest.get(n)!) / 144 >= 30)).length;
  return { share, pub, saturated, underserved };
}

const FLEET_2026 = [
  '03864ef025fde8fb587d989186ce6a4a186895ee44a926bfc370e2c366597a3f8f', // ACINQ
  '0217890e3aad8d35bc054f43acc00084b25229ecff0ab68debd82883ad65ee8266', // 1ML.com node ALPHA
  '0242a4ae0c5bef18048fbecf995094b74bfb0f7391418d71ed394784373f41e4f3', // CoinGate
];
const FLEET_2019 = [
  '02809e936f0e82dfce13bcc47c77112db068f569e1db29e7bf98bcdd68b838ee84', // powernode.io
  '0331f80652fb840239df8dc99205792bba2e559a05469915804c08420230e23c7c', // LightningPowerUsers.com
  '03864ef025fde8fb587d989186ce6a4a186895ee44a926bfc370e2c366597a3f8f', // ACINQ
];

describe.each([
  { name: '2026-02-03 gossmap-compressed', graph: FILES.compressed2026, raw: FILES.json2026, fleet: FLEET_2026, blockheight: null, saturated: 15, underserved: 494 },
  { name: '2019-05-14 listchannels (real scids)', graph: FILES.json2019, raw: FILES.json2019, fleet: FLEET_2019, blockheight: 576_054, saturated: 1, underserved: 223 },
])('$name', ({ graph, raw, fleet, blockheight, saturated, underserved }) => {
  test('hive_share and public capacity of every node equal the independent computation', async () => {
    const g = await realGraph(graph);
    const ref = independent((await rawJson<{ channels: RawChannel[] }>(raw)).channels, fleet, blockheight);
    const a = analyze(g, fleet.map((node_id) => ({ node_id })), DEFAULT_PLANNER_CONFIG, blockheight ?? 0);
    let compared = 0;
    for (let n = 0; n < g.nodeCount; n++) {
      const f = a.figures(n);
      expect(f.public_capacity_sat).toBe(ref.pub.get(f.node_id) ?? 0);
      expect(Math.abs(f.hive_share - (ref.share.get(f.node_id) ?? 0))).toBeLessThan(1e-12);
      compared++;
    }
    expect(compared).toBe(g.nodeCount);
    expect(a.saturated.length).toBe(ref.saturated);
    expect(a.underserved.length).toBe(ref.underserved);
  });

  test('recorded counts of saturated and underserved targets', async () => {
    const g = await realGraph(graph);
    const a = analyze(g, fleet.map((node_id) => ({ node_id })), DEFAULT_PLANNER_CONFIG, blockheight ?? 0);
    expect({ saturated: a.saturated.length, underserved: a.underserved.length }).toEqual({ saturated, underserved });
  });
});
