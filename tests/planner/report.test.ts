/**
 * The plan report (what `hivebox plan` and the demo print): JSON shape, list order and limits, text.
 */
import { expect, test } from 'bun:test';
import { analyze } from '../../runtime/core/planner/analysis.ts';
import { DEFAULT_PLANNER_CONFIG } from '../../runtime/core/planner/config.ts';
import { buildPlanReport, plannerSummary, renderPlanReport } from '../../runtime/core/planner/report.ts';
import { FILES, realGraph } from '../graph/real-graphs.ts';

const FLEET_2019 = ['02809e936f0e82dfce13bcc47c77112db068f569e1db29e7bf98bcdd68b838ee84', '0331f80652fb840239df8dc99205792bba2e559a05469915804c08420230e23c7c', '03864ef025fde8fb587d989186ce6a4a186895ee44a926bfc370e2c366597a3f8f'];

test('report on the 2019 graph: shape, ordering, limits, counts', async () => {
  const g = await realGraph(FILES.json2019);
  const r = buildPlanReport(analyze(g, FLEET_2019.map((node_id) => ({ node_id })), DEFAULT_PLANNER_CONFIG, 576_054), DEFAULT_PLANNER_CONFIG, 5);
  expect(r.counts).toMatchObject({ saturated: 1, underserved: 223 });
  expect(r.top).toHaveLength(5);
  expect(r.underserved).toHaveLength(5);
  for (const list of [r.top, r.saturated, r.underserved]) for (const e of list) expect(Object.keys(e).sort()).toEqual(['alias', 'hive_share', 'node_id', 'public_capacity_sat']);
  for (let i = 1; i < r.top.length; i++) expect(r.top[i - 1]!.hive_share).toBeGreaterThanOrEqual(r.top[i]!.hive_share);
  expect(r.saturated.every((e) => e.hive_share >= 0.2 && e.public_capacity_sat >= 100_000_000)).toBe(true);
  expect(r.underserved.every((e) => e.hive_share < 0.05 && e.public_capacity_sat >= 100_000_000)).toBe(true);
  expect(r.members.map((m) => m.alias)).toEqual(['powernode.io', 'LightningPowerUsers.com', 'ACINQ']);
  expect(Object.keys(plannerSummary(r)).sort()).toEqual(['saturated', 'top', 'underserved']);
  const text = renderPlanReport(r);
  expect(text).toContain('Top 5 targets by hive_share');
  expect(text).toContain('Saturated (hive_share ≥ 20.0 %): 1 of 1');
  expect(text).toContain(`Underserved (hive_share < 5.0 %, ≥ 1.00 BTC, best expansion score first): 5 of 223`);
  expect(text).toContain(r.top[0]!.node_id);
});

test('synthetic scids are called out in the text', async () => {
  const g = await realGraph(FILES.compressed2026);
  const text = renderPlanReport(buildPlanReport(analyze(g, [{ node_id: g.nodeIds[0]! }], DEFAULT_PLANNER_CONFIG, 0), DEFAULT_PLANNER_CONFIG, 3));
  expect(text).toContain('synthetic scids: target ages unknown');
  expect(text).toContain('17,324 nodes, 50,808 channels, 5361.68 BTC');
});
