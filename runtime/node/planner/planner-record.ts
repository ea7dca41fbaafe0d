/**
 * What the daemon's planner keeps between cycles and restarts (services/store/planner-store.ts
 * stores it as one JSON row): the pure planner's state (hysteresis guards, pending actions,
 * rejection backoff, cycle counter, last decision log; runtime/core/planner/state.ts) plus the
 * loop's own bookkeeping — the operator's expansions switch, channel-open decisions on their way
 * through the Intent Lock Protocol, a short history of decided actions, mass-saturation events,
 * the last cycle's timings and the drawn jitter. `parsePlannerRecord` checks a stored record's
 * shape; anything else (corruption, a newer format) starts the planner fresh.
 */
import { z } from 'zod';
import { lazy } from '../../core/lazy.ts';
import type { ActionProposal } from '../../core/planner/actions.ts';
import type { DecisionLog } from '../../core/planner/decision-log.ts';
import { INITIAL_PLANNER_STATE, type PlannerState } from '../../core/planner/state.ts';

/** Format number of the stored record. */
export const PLANNER_RECORD_FORMAT = 1;

/** Decided actions kept for `hivebox actions --all`. */
export const DECIDED_HISTORY = 100;
/** Mass-saturation events kept for `hive-planner-status`. */
export const SATURATION_EVENT_HISTORY = 20;

/**
 * An operator decision on a planner channel open, on its way through the Intent Lock Protocol:
 * `waiting` until the fleet queues the intent's own action (or, with no intent left, until a
 * pre-approved one is announced), then `handed` until the intent commits and the channel is
 * funded (`amount_sat` is what `fundchannel` gets).
 */
export interface OpenHandoff {
  readonly action_id: string;
  readonly decision: 'approve' | 'reject';
  readonly amount_sat: number;
  readonly decided_at: number;
  readonly stage: 'waiting' | 'handed';
}

/** A decided action (planner or fleet), newest last. */
export interface DecidedAction {
  readonly action_id: string;
  readonly kind: string;
  readonly target: string | null;
  readonly amount_sats: number | null;
  readonly status: 'approved' | 'rejected' | 'expired' | 'executed' | 'failed';
  readonly decided_at: number;
  readonly reason: string;
  readonly proposal?: ActionProposal;
}

/** One cycle the circuit breaker aborted. */
export interface SaturationEvent {
  readonly at: number;
  readonly cycle_id: string;
  readonly new_saturated: number;
  /** Guard actions the aborted cycle would have taken (0 in records written before issue 15). */
  readonly guard_actions: number;
  readonly limit: number;
}

/** Timings and sizes of the last cycle (or why it could not run). */
export interface CycleSummary {
  readonly at: number;
  readonly cycle_id: string | null;
  readonly outcome: DecisionLog['outcome'] | 'inputs_unavailable' | 'bad_input';
  /** Reading lightningd (listchannels, listnodes, …) and building the graph, ms. */
  readonly gather_ms: number;
  /** `runCycle`, ms. */
  readonly cycle_ms: number;
  readonly error?: string;
}

/** The stored record. */
export interface PlannerRecord {
  readonly planner: PlannerState;
  /** `hive-planner-enable-expansions` override; null = the configured value. */
  readonly expansions_enabled: boolean | null;
  /** Channel-open decisions by target node id. */
  readonly handoffs: Readonly<Record<string, OpenHandoff>>;
  readonly decided: readonly DecidedAction[];
  readonly saturation_events: readonly SaturationEvent[];
  readonly last_cycle: CycleSummary | null;
  /** Extra delay (s) drawn for the next cycle, 0..jitter_max_s. */
  readonly next_jitter_s: number;
}

/** A planner that never ran. */
export const INITIAL_PLANNER_RECORD: PlannerRecord = {
  planner: INITIAL_PLANNER_STATE,
  expansions_enabled: null,
  handoffs: {},
  decided: [],
  saturation_events: [],
  last_cycle: null,
  next_jitter_s: 0,
};

const unix = lazy(() => z.number().int().min(0));
const RecordShape = lazy(() =>
  z.object({
    planner: z.object({
      guarded: z.record(z.string(), z.object({ since: unix(), hive_share: z.number() })),
      pending: z.array(z.object({ action_id: z.string(), proposal: z.looseObject({ kind: z.enum(['channel_open', 'saturation_guard', 'saturation_release', 'push_rebalance', 'splice_reallocation']) }), created_at: unix(), expires_at: unix() })),
      rejections: z.record(z.string(), unix()),
      last_cycle_at: unix().nullable(),
      cycle_seq: unix(),
      last_log: z.looseObject({ cycle_id: z.string(), targets: z.array(z.looseObject({ node_id: z.string() })), liquidity: z.array(z.unknown()) }).nullable(),
    }),
    expansions_enabled: z.boolean().nullable(),
    handoffs: z.record(z.string(), z.object({ action_id: z.string(), decision: z.enum(['approve', 'reject']), amount_sat: z.number().int().positive(), decided_at: unix(), stage: z.enum(['waiting', 'handed']) })),
    decided: z.array(z.looseObject({ action_id: z.string(), kind: z.string(), status: z.string(), decided_at: unix() })),
    saturation_events: z.array(z.object({ at: unix(), cycle_id: z.string(), new_saturated: unix(), guard_actions: unix().default(0), limit: unix() })),
    last_cycle: z.looseObject({ at: unix(), outcome: z.string() }).nullable(),
    next_jitter_s: unix(),
  }),
);

/**
 * A stored record, checked.
 * @returns the record, or null for another format or a shape this code did not write.
 */
export function parsePlannerRecord(format: number, json: unknown): PlannerRecord | null {
  if (format !== PLANNER_RECORD_FORMAT) return null;
  return RecordShape().safeParse(json).success ? (json as PlannerRecord) : null;
}

/** Append to a bounded history (oldest dropped). */
export function appendBounded<T>(list: readonly T[], item: T, max: number): T[] {
  return [...list, item].slice(-max);
}
