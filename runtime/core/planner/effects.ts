/**
 * What the planner asks the daemon to do (plain objects; the daemon executes them through its ports).
 */
import type { PushRebalanceProposal, SpliceProposal } from './actions.ts';

/** One planner effect. */
export type PlannerEffect =
  /** Run `lightning-cli clboss-unmanage|clboss-manage <peer_id> lnfee` (CLBoss fee control; spec 003 §4). */
  | { readonly type: 'clboss_command'; readonly action_id: string | null; readonly command: 'clboss-unmanage' | 'clboss-manage'; readonly peer_id: string; readonly tags: 'lnfee' }
  /**
   * Register a local pending `channel_open` intent for `target` with the Intent Lock Protocol
   * (clhive-protocol.md §5), so other members see the target as taken; it is announced and committed
   * only when the matching pending action is approved. At most one per cycle.
   */
  | { readonly type: 'intent_request'; readonly intent_type: 'channel_open'; readonly target: string; readonly amount_sat: number; readonly action_id: string }
  /** Approved expansion: announce the intent and open the channel (the ILP helper does both). */
  | { readonly type: 'open_channel'; readonly action_id: string; readonly target: string; readonly amount_sat: number }
  /** Approved push rebalance: make the circular payment described. */
  | { readonly type: 'rebalance'; readonly action_id: string; readonly proposal: PushRebalanceProposal }
  /** Approved splice reallocation: splice out on the loser, splice in on the winner. */
  | { readonly type: 'splice'; readonly action_id: string; readonly proposal: SpliceProposal }
  /** Something the operator should hear about (MQTT / log). */
  | { readonly type: 'event'; readonly name: PlannerEventName; readonly fields: Readonly<Record<string, string | number>> };

/** Planner event names. */
export type PlannerEventName = 'mass_saturation_detected' | 'action_proposed' | 'action_expired';
