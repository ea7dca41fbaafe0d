/**
 * First-party caveats of Hive L402 subscription macaroons (spec 002 §2 "Subscription Flow":
 * did, tier, expires, max_actions). Caveats are UTF-8 `condition=value` (L402 spec); a repeated
 * condition may only narrow (the smallest expiry / action count applies, every did/tier must match).
 */
import { tierRank, isTier, type Tier } from './tiers.ts';
import type { UnixSeconds } from '../types.ts';

/** The caveats the node adds when it issues a subscription. `expires` is unix seconds. */
export interface SubscriptionCaveats {
  readonly did: string;
  readonly tier: Tier;
  readonly expires: number;
  readonly max_actions: number;
}

/** Caveat strings for a subscription, in the order they are added. */
export function caveatStrings(c: SubscriptionCaveats): string[] {
  return [`did=${c.did}`, `tier=${c.tier}`, `expires=${c.expires}`, `max_actions=${c.max_actions}`];
}

/** Who presents the macaroon and when. */
export interface CaveatContext {
  readonly agent_did: string;
  /** Tier of the credential presented with it. */
  readonly tier: Tier;
  /** Unix seconds. */
  readonly now_s: UnixSeconds;
}

/**
 * Check one caveat.
 * @returns null when satisfied, else the reason (unknown conditions fail, as macaroon verifiers must).
 */
export function checkCaveat(caveat: string, ctx: CaveatContext): string | null {
  const eq = caveat.indexOf('=');
  if (eq <= 0) return `malformed caveat ${caveat}`;
  const key = caveat.slice(0, eq);
  const value = caveat.slice(eq + 1);
  switch (key) {
    case 'did':
      return value === ctx.agent_did ? null : `macaroon is for ${value}`;
    case 'tier':
      return isTier(value) && tierRank(ctx.tier) <= tierRank(value) ? null : `credential tier ${ctx.tier} above macaroon tier ${value}`;
    case 'expires':
      return /^\d+$/.test(value) && ctx.now_s < Number(value) ? null : `macaroon expired at ${value}`;
    case 'max_actions':
      return /^\d+$/.test(value) ? null : `malformed max_actions ${value}`;
    default:
      return `unknown caveat ${key}`;
  }
}

/** The action limit of a macaroon: the smallest `max_actions` caveat, or null when there is none. */
export function maxActions(caveats: readonly string[]): number | null {
  let min: number | null = null;
  for (const c of caveats) {
    const m = /^max_actions=(\d+)$/.exec(c);
    if (m) min = min === null ? Number(m[1]) : Math.min(min, Number(m[1]));
  }
  return min;
}
