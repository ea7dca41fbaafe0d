/**
 * Pending actions that come from outside the planner and the fleet but belong in the operator's
 * one queue (`hivebox actions`, `approve`, `reject`): remote management's expansion proposals and
 * performance payouts (runtime/node/mgmt/pending-queue.ts). A source owns an id prefix; the planner
 * loop lists its actions with its own and hands it the decisions on its ids, with the fleet
 * operations an approval may need.
 */
import type { Result } from '../../core/result.ts';
import type { ActionView } from './action-queue.ts';
import type { DecisionError, DecisionOutcome, OperatorDecision } from './planner-decisions.ts';

/** What an approval may ask of the fleet. */
export interface FleetOps {
  /**
   * Announce a pre-approved channel open to `target` of `amount_sat` through the Intent Lock
   * Protocol (after the hold it commits and `fundchannel` opens it). @returns the fleet's refusal, or null.
   */
  proposeOpen(target: string, amount_sat: number): Promise<string | null>;
}

/** One source of pending actions. */
export interface ExternalActionSource {
  /** True for the ids this source hands out. */
  owns(action_id: string): boolean;
  /** Its pending actions; `all` adds decided ones. */
  list(all: boolean): ActionView[];
  /** Approve or reject one of its actions; nothing changes on an error. */
  decide(d: OperatorDecision, fleet: FleetOps): Promise<Result<DecisionOutcome, DecisionError>>;
}
