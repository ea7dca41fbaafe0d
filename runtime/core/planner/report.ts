/**
 * The planner's report on a graph for a fleet (issue 3 §3, issue 7): the top targets by hive_share and
 * the saturated (≥ 20 %) and underserved (< 5 %, ≥ 1 BTC, not known to be younger than 30 days)
 * targets. `hivebox plan` and `hivebox demo` print it; `plannerSummary` is the `planner` object of
 * the demo's JSON summary. Pure: rendering only.
 */
import type { Analysis } from './analysis.ts';
import type { PlannerConfig } from './config.ts';
import { formatSat, formatShare } from './decision-log.ts';

/** One target line. */
export interface PlanReportEntry {
  readonly node_id: string;
  readonly alias: string;
  /** 0..1, rounded to 6 decimals. */
  readonly hive_share: number;
  readonly public_capacity_sat: number;
}

/** The full report. Lists are truncated to `limit`; `counts` has the full sizes. */
export interface PlanReport {
  readonly graph: { readonly nodes: number; readonly channels: number; readonly capacity_sat: number; readonly scids: 'real' | 'synthetic' };
  readonly blockheight: number;
  readonly members: readonly { readonly node_id: string; readonly alias: string; readonly in_graph: boolean }[];
  readonly thresholds: {
    readonly saturation_share_min: number;
    readonly underserved_share_below: number;
    readonly min_target_capacity_sat: number;
    readonly underserved_min_target_age_days: number;
  };
  readonly counts: { readonly targets: number; readonly saturated: number; readonly underserved: number; readonly too_young: number };
  readonly top: readonly PlanReportEntry[];
  readonly saturated: readonly PlanReportEntry[];
  readonly underserved: readonly PlanReportEntry[];
}

/** The demo JSON summary's `planner` object: `{top, saturated, underserved}`. */
export interface PlannerSummary {
  readonly top: readonly PlanReportEntry[];
  readonly saturated: readonly PlanReportEntry[];
  readonly underserved: readonly PlanReportEntry[];
}

/** Build the report from an analysis, each list cut to `limit` entries. */
export function buildPlanReport(a: Analysis, cfg: PlannerConfig, limit: number): PlanReport {
  const g = a.graph;
  const entry = (n: number): PlanReportEntry => {
    const f = a.figures(n);
    return { node_id: f.node_id, alias: f.alias, hive_share: Math.round(f.hive_share * 1e6) / 1e6, public_capacity_sat: f.public_capacity_sat };
  };
  let capacity = 0;
  for (let c = 0; c < g.channelCount; c++) capacity += g.capacitySat[c]!;
  const inGraph = new Set(a.shares.memberIndexes.map((n) => g.nodeIds[n]!));
  const memberIds = [...inGraph, ...a.shares.membersNotInGraph];
  return {
    graph: { nodes: g.nodeCount, channels: g.channelCount, capacity_sat: capacity, scids: g.scids },
    blockheight: a.blockheight,
    members: memberIds.map((id) => ({ node_id: id, alias: g.aliases[g.nodeIndex.get(id) ?? -1] ?? '', in_graph: inGraph.has(id) })),
    thresholds: {
      saturation_share_min: cfg.saturation_share_min,
      underserved_share_below: cfg.underserved_share_below,
      min_target_capacity_sat: cfg.underserved_min_target_capacity_sat,
      underserved_min_target_age_days: cfg.underserved_min_target_age_days,
    },
    counts: { targets: a.ranked.length, saturated: a.saturated.length, underserved: a.underserved.length, too_young: a.tooYoung.length },
    top: a.ranked.slice(0, limit).map(entry),
    saturated: a.saturated.slice(0, limit).map(entry),
    underserved: a.underserved.slice(0, limit).map(entry),
  };
}

/** The `{top, saturated, underserved}` object of the demo's JSON summary. */
export function plannerSummary(r: PlanReport): PlannerSummary {
  return { top: r.top, saturated: r.saturated, underserved: r.underserved };
}

function table(title: string, rows: readonly PlanReportEntry[]): string[] {
  const out = [title];
  if (!rows.length) return [...out, '  (none)'];
  out.push(`  ${'node_id'.padEnd(66)}  ${'alias'.padEnd(24)}  ${'hive_share'.padStart(10)}  ${'public capacity'.padStart(15)}`);
  for (const r of rows) {
    const alias = r.alias.length > 24 ? `${r.alias.slice(0, 23)}…` : r.alias;
    out.push(`  ${r.node_id}  ${alias.padEnd(24)}  ${formatShare(r.hive_share).padStart(10)}  ${formatSat(r.public_capacity_sat).padStart(15)}`);
  }
  return out;
}

/** Render the report as text (one string, lines joined with \n). */
export function renderPlanReport(r: PlanReport): string {
  const t = r.thresholds;
  const min = formatSat(t.min_target_capacity_sat);
  const ageNote = r.graph.scids === 'synthetic' ? ' (synthetic scids: target ages unknown, so no target can be proposed for expansion)' : `, block height ${r.blockheight}`;
  const lines = [
    `Graph: ${r.graph.nodes.toLocaleString('en-US')} nodes, ${r.graph.channels.toLocaleString('en-US')} channels, ${formatSat(r.graph.capacity_sat)}${ageNote}`,
    `Fleet: ${r.members.map((m) => `${m.alias || m.node_id.slice(0, 16)}${m.in_graph ? '' : ' (not in graph)'}`).join(', ')}`,
    `Targets with ≥ ${min} public capacity: ${r.counts.targets}; saturated: ${r.counts.saturated}; underserved: ${r.counts.underserved}` +
      (r.counts.too_young ? `; left out as younger than ${t.underserved_min_target_age_days} days: ${r.counts.too_young}` : ''),
    '',
    ...table(`Top ${r.top.length} targets by hive_share (≥ ${min} public capacity)`, r.top),
    '',
    ...table(`Saturated (hive_share ≥ ${formatShare(t.saturation_share_min)}): ${r.saturated.length} of ${r.counts.saturated}`, r.saturated),
    '',
    ...table(`Underserved (hive_share < ${formatShare(t.underserved_share_below)}, ≥ ${min}, best expansion score first): ${r.underserved.length} of ${r.counts.underserved}`, r.underserved),
  ];
  return lines.join('\n');
}
