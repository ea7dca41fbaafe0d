/**
 * The node's local policy engine (spec 002 "Trust Model" layer 3, "Tiers are enforced both by the
 * credential scope AND by the node's local policy engine"): operator rules that hold whatever a
 * credential grants. It runs after the credential and payment checks and has the last word.
 *
 * Rules: quiet hours (no mutating commands in a UTC hour window), protected channels (never
 * touched remotely), a cumulative fee-change cap per channel per 24 h (spec example: "never
 * change fees more than 25% in 24h"), locked config parameters, and the conflict rule (conflict.ts).
 */
import { z } from 'zod';
import type { ChannelView, MgmtEffect } from './schemas/action.ts';
import { blockingChange, type Contender, type RecentChange } from './conflict.ts';
import { reject, type MgmtReject } from './reject.ts';
import { DAY_S } from './time.ts';
import type { UnixSeconds } from '../types.ts';

/** The operator's local policy. */
export interface LocalPolicy {
  /** Cumulative fee_ppm change allowed per channel per 24 h, percent of the fee 24 h ago. */
  readonly max_fee_change_pct_24h: number;
  /** Channels (scid) no remote command may touch. */
  readonly protected_channels: readonly string[];
  /** UTC hours `[start_hour, end_hour)` with no mutating commands; wraps midnight when start > end. */
  readonly quiet_hours: { readonly start_hour: number; readonly end_hour: number } | null;
  /** Conflict isolation window, seconds. */
  readonly isolation_window_s: number;
  /** Config parameters only the operator may change. */
  readonly locked_config: readonly string[];
}

/** Defaults: 25 %/24 h (spec 002 example), no protected channels, no quiet hours, 1 h window. */
export const DEFAULT_POLICY: LocalPolicy = {
  max_fee_change_pct_24h: 25,
  protected_channels: [],
  quiet_hours: null,
  isolation_window_s: 3600,
  locked_config: [],
};

/** zod schema of a policy file (`hivebox` config), for operators editing it by hand. */
export const localPolicySchema = z
  .object({
    max_fee_change_pct_24h: z.number().min(0).max(1000),
    protected_channels: z.array(z.string()),
    quiet_hours: z.object({ start_hour: z.number().int().min(0).max(23), end_hour: z.number().int().min(0).max(23) }).nullable(),
    isolation_window_s: z.number().int().min(0).max(7 * DAY_S),
    locked_config: z.array(z.string()),
  })
  .strict();

/** A past fee change of a channel (mgmt store `changes`, kind fee). */
export interface FeeChange {
  readonly scid: string;
  readonly before_ppm: number;
  readonly at: number;
}

/** What the policy check reads besides the command. */
export interface PolicyFacts {
  readonly channels: ReadonlyMap<string, ChannelView>;
  /** Fee changes of the last 24 h (older entries are ignored). */
  readonly feeChanges: readonly FeeChange[];
  /** Recent accepted changes for the conflict rule. */
  readonly recentChanges: readonly RecentChange[];
  /** Unix seconds. */
  readonly now_s: UnixSeconds;
}

/** The command as the policy sees it. */
export interface PolicyCommand {
  readonly effect: MgmtEffect;
  readonly mutates: boolean;
  readonly channels: readonly string[];
  readonly targets: readonly string[];
  readonly contender: Contender;
}

function inQuietHours(q: NonNullable<LocalPolicy['quiet_hours']>, now_s: UnixSeconds): boolean {
  const hour = Math.floor((now_s % DAY_S) / 3600);
  return q.start_hour <= q.end_hour ? hour >= q.start_hour && hour < q.end_hour : hour >= q.start_hour || hour < q.end_hour;
}

function feeReference(scid: string, current: number, changes: readonly FeeChange[], now_s: UnixSeconds): number {
  let ref = current;
  let oldest = Infinity;
  for (const c of changes) if (c.scid === scid && c.at > now_s - DAY_S && c.at < oldest) [oldest, ref] = [c.at, c.before_ppm];
  return ref;
}

/**
 * Apply the local policy. Order: quiet hours, protected channels, 24 h fee cap, locked config,
 * conflict rule.
 * @returns null when allowed, else a `policy/*` rejection.
 */
export function checkLocalPolicy(policy: LocalPolicy, cmd: PolicyCommand, facts: PolicyFacts): MgmtReject | null {
  if (!cmd.mutates) return null;
  if (policy.quiet_hours && inQuietHours(policy.quiet_hours, facts.now_s)) {
    return reject('policy', 'quiet_hours', `no changes between ${policy.quiet_hours.start_hour}:00 and ${policy.quiet_hours.end_hour}:00 UTC`);
  }
  const prot = cmd.channels.find((c) => policy.protected_channels.includes(c));
  if (prot) return reject('policy', 'protected_channel', `${prot} is protected by the operator`);
  const e = cmd.effect;
  if (e.kind === 'set_channel_fee') {
    const current = facts.channels.get(e.scid)?.fee_ppm ?? 0;
    const ref = feeReference(e.scid, current, facts.feeChanges, facts.now_s);
    if (Math.abs(e.fee_ppm - ref) * 100 > ref * policy.max_fee_change_pct_24h) {
      return reject('policy', 'max_fee_change_24h', `${ref} → ${e.fee_ppm} ppm exceeds ${policy.max_fee_change_pct_24h}% in 24 h`);
    }
  }
  if (e.kind === 'set_config' && policy.locked_config.includes(e.parameter)) return reject('policy', 'config_locked', `${e.parameter} is locked by the operator`);
  const blocker = blockingChange(cmd.targets, cmd.contender, facts.recentChanges, facts.now_s, policy.isolation_window_s);
  if (blocker) {
    return reject('policy', 'conflict', `${blocker.target} was changed by ${blocker.agent_did} (${blocker.tier}) ${facts.now_s - blocker.at} s ago; isolation window ${policy.isolation_window_s} s`);
  }
  return null;
}
