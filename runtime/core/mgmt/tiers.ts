/**
 * Permission tiers of management credentials (spec 002 §1 "Permission Tiers"; order as in
 * cl-hive management_schemas.py, clhive-protocol.md §8.1: monitor 0 < standard 1 < advanced 2 < admin 3).
 */

/** A credential's tier. */
export type Tier = 'monitor' | 'standard' | 'advanced' | 'admin';

/** Every tier, lowest first. */
export const TIERS: readonly Tier[] = ['monitor', 'standard', 'advanced', 'admin'];

/** A permission flag of `credentialSubject.permissions` (spec 002 §1 credential example). */
export type Permission = 'monitor' | 'fee_policy' | 'rebalance' | 'config_tune' | 'channel_open' | 'channel_close' | 'splice';

/** Every permission flag. */
export const PERMISSIONS: readonly Permission[] = ['monitor', 'fee_policy', 'rebalance', 'config_tune', 'channel_open', 'channel_close', 'splice'];

/**
 * What each tier may hold (spec 002 table): monitor = read-only; standard = fees, rebalancing,
 * config tuning; advanced = standard + channel opens and expansion proposals; admin = everything
 * incl. closes (and splices).
 */
export const TIER_PERMISSIONS: Readonly<Record<Tier, ReadonlySet<Permission>>> = {
  monitor: new Set(['monitor']),
  standard: new Set(['monitor', 'fee_policy', 'rebalance', 'config_tune']),
  advanced: new Set(['monitor', 'fee_policy', 'rebalance', 'config_tune', 'channel_open']),
  admin: new Set(PERMISSIONS),
};

/** Rank of a tier (0..3), for "tier ≥ required" and the multi-advisor conflict rule. */
export function tierRank(tier: Tier): number {
  return TIERS.indexOf(tier);
}

/** True when `s` names a tier. */
export function isTier(s: unknown): s is Tier {
  return typeof s === 'string' && (TIERS as readonly string[]).includes(s);
}

/**
 * Permissions a credential really grants: flags set to true in the credential that its tier
 * allows (a `monitor` credential claiming `fee_policy` gets nothing more than monitor).
 */
export function effectivePermissions(tier: Tier, flags: Readonly<Partial<Record<Permission, boolean>>>): ReadonlySet<Permission> {
  return new Set(PERMISSIONS.filter((p) => flags[p] === true && TIER_PERMISSIONS[tier].has(p)));
}
