/**
 * Operator intents (spec 003 §4; clhive-protocol.md §5; cl-hive's `hive-test-intent` and
 * `hive-intent-status`): `hive-intent intent_type target [amount_sats]` announces an intent of
 * this node through the fleet's Intent Lock Protocol — INTENT to every member, hold, then commit
 * unless a member with a lower node id announced the same (type, target) — and `hive-intents`
 * lists our intents and the members' live locks. The operator's intent is approved by the command
 * itself: once it survives the hold it is carried out (a `channel_open` becomes `fundchannel` of
 * `amount_sats`). Refusals (not in a hive, a live lock on the target) change nothing.
 */
import { z } from 'zod';
import { lazy } from '../../../core/lazy.ts';
import { keyOf, type IntentStatus, type IntentType } from '../../../core/fleet/index.ts';
import type { EngineCore } from '../engine-core.ts';
import { RPC_ERROR, rpcFailure } from './errors.ts';
import { needHive, run } from './governance.ts';
import { nodeId, parseParams } from './params.ts';

const sats = lazy(() => z.union([z.number(), z.string().regex(/^\d{1,15}$/).transform(Number)]).pipe(z.number().int().min(1).max(2_100_000_000_000_000)));

/** `hive-intent intent_type target [amount_sats]`: channel_open (target a node id, amount required) or rebalance. */
export const IntentParams = lazy(() =>
  z
    .object({ intent_type: z.enum(['channel_open', 'rebalance']), target: z.string().min(1).max(128), amount_sats: sats().optional() })
    .strict()
    .superRefine((p, ctx) => {
      if (p.intent_type !== 'channel_open') return;
      if (!nodeId().safeParse(p.target).success) ctx.addIssue({ code: 'custom', path: ['target'], message: 'a channel_open target is a 66-hex node id' });
      if (p.amount_sats === undefined) ctx.addIssue({ code: 'custom', path: ['amount_sats'], message: 'a channel_open needs amount_sats (the channel size funded when the intent commits)' });
    }),
);
/** `hive-intents`: no parameters. */
export const IntentsParams = lazy(() => z.object({}).strict());

/** One of our intents as `hive-intent` / `hive-intents` show it. */
export interface IntentView {
  readonly intent_id: string;
  readonly intent_type: IntentType;
  readonly target: string;
  readonly initiator: string;
  readonly status: IntentStatus;
  readonly amount_sats: number | null;
  /** Unix seconds: announced, and when the lock ends. */
  readonly timestamp: number;
  readonly expires_at: number;
  /** Why it ended as it did (`tie_breaker_loss`, the fundchannel outcome, …). */
  readonly reason: string;
}

/** Result of `hive-intents`. */
export interface IntentsResult {
  /** Our intents, newest first (the store keeps them until purged). */
  readonly intents: readonly IntentView[];
  /** Members' intents we know of (pending or aborted), newest first. */
  readonly remote: readonly { readonly intent_type: IntentType; readonly target: string; readonly initiator: string; readonly timestamp: number; readonly expires_at: number; readonly status: 'pending' | 'aborted' }[];
  /** Seconds an intent is held before it commits. */
  readonly hold_s: number;
}

function ourIntents(core: EngineCore): IntentView[] {
  return [...core.state().fleet.tables.intents.values()]
    .sort((a, b) => b.timestamp - a.timestamp || a.intent_id.localeCompare(b.intent_id))
    .map((r) => ({ intent_id: r.intent_id, intent_type: r.intent_type, target: r.target, initiator: r.initiator, status: r.status, amount_sats: r.amount_sats, timestamp: r.timestamp, expires_at: r.expires_at, reason: r.reason }));
}

/** Run `hive-intent`: announce our intent. @returns the new intent (already `aborted` when a lower node id's claim arrived meanwhile). @throws RpcFailure (invalidParams, notInHive, governanceRefused: intent_pending / target_locked). */
export async function intentCommand(core: EngineCore, params: Record<string, unknown>): Promise<IntentView> {
  const p = parseParams('hive-intent', IntentParams, params);
  if (!p.ok) throw p.error;
  needHive(core, 'hive-intent');
  const { intent_type, target, amount_sats } = p.value;
  const before = new Set(core.state().fleet.tables.intents.keys());
  await run(core, 'hive-intent', { name: 'propose_intent', intent_type, target, ...(amount_sats === undefined ? {} : { amount_sats }), source: 'operator', approved: true });
  // A member's INTENT may already have aborted it (tie-breaker) by the time we look: the row says so.
  const row = ourIntents(core).find((r) => !before.has(keyOf(r.intent_id)));
  if (!row) throw rpcFailure(RPC_ERROR.nodeError, 'hive-intent: the intent was announced but its record is gone');
  return row;
}

/** Run `hive-intents`. @throws RpcFailure (invalidParams). */
export function intentsCommand(core: EngineCore, params: Record<string, unknown>): IntentsResult {
  const p = parseParams('hive-intents', IntentsParams, params);
  if (!p.ok) throw p.error;
  const f = core.state().fleet;
  const remote = [...f.remote_intents.values()].sort((a, b) => b.timestamp - a.timestamp).map(({ seq: _seq, ...r }) => r);
  return { intents: ourIntents(core), remote, hold_s: f.config.intent_hold_s };
}
