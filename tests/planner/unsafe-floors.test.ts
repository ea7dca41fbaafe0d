/**
 * Spec-003 floors lowered by `unsafe_` keys are flagged (issue 15 item 11): the planner status and
 * `hive-status` list them in `unsafe_floors`, `hivebox status` prints an UNSAFE line, and the planner
 * loop logs `planner_unsafe_floors` at start. Without such a key nothing is flagged.
 */
import { expect, test } from 'bun:test';
import { plannerConfig } from '../../runtime/core/planner/config.ts';
import { renderStatus } from '../../runtime/cli/commands/status.ts';
import { INITIAL_PLANNER_RECORD } from '../../runtime/node/planner/planner-record.ts';
import { PlannerSection } from '../../runtime/node/planner/planner-settings.ts';
import { plannerStatus, plannerSummaryView } from '../../runtime/node/planner/planner-status.ts';
import type { StatusResult } from '../../runtime/node/hive/rpc/status.ts';

const FACTS = { now: 1000, next_run_at: 2000, effective_interval_s: 3600, jitter_max_s: 300, clboss_present: false, degraded: [], last_persist_ms: null };

function statusWith(overrides: Record<string, unknown>): StatusResult {
  const cfg = plannerConfig(overrides);
  if (!cfg.ok) throw new Error(cfg.error.reason);
  return {
    node_id: `03${'86'.repeat(32)}`,
    version: 'hivebox v0.1.0',
    hive_id: null,
    tier: null,
    member_count: 0,
    membership_hash: null,
    fleet_hash: null,
    joins: [],
    open_challenges: 0,
    pending_actions: 0,
    planner: plannerSummaryView(plannerStatus(INITIAL_PLANNER_RECORD, cfg.value, FACTS)),
    ignored_peers: [],
    unhandled_types: {},
    pending_approval: null,
  } as unknown as StatusResult;
}

test('unsafe_ keys are accepted by the [planner] section and flagged in status and `hivebox status`', () => {
  expect(PlannerSection.safeParse({ unsafe_underserved_min_target_age_days: 0 }).success).toBe(true);
  expect(PlannerSection.safeParse({ underserved_min_target_age_days: 0 }).success).toBe(false);
  const s = statusWith({ unsafe_underserved_min_target_age_days: 0 });
  expect(s.planner.unsafe_floors).toEqual(['underserved_min_target_age_days']);
  expect(renderStatus(s)).toContain('UNSAFE    planner floors of spec 003 lowered by unsafe_ keys: underserved_min_target_age_days');
});

test('without unsafe_ keys nothing is flagged', () => {
  const s = statusWith({});
  expect(s.planner.unsafe_floors).toEqual([]);
  expect(renderStatus(s)).not.toContain('UNSAFE');
});
