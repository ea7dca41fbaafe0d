/**
 * The multi-advisor conflict rule (spec 002 open question 1, decided here):
 *
 * Every mutating command names targets (`fee:<scid>`, `rebalance:<scid>`, `config:<param>`,
 * `open:<peer_id>`). If another advisor changed one of those targets inside the node's isolation
 * window (local policy `isolation_window_s`, default 3600 s), the new command wins only when its
 * credential's tier is higher, or the tiers are equal and its credential was issued later (the
 * operator's most recent delegation). Otherwise it is rejected as `policy/conflict`. An advisor
 * may always revise its own changes; read-only commands have no targets.
 */
import { tierRank, type Tier } from './tiers.ts';
import type { UnixSeconds } from '../types.ts';

/** An accepted change recorded by the node (mgmt store `changes`). */
export interface RecentChange {
  readonly target: string;
  readonly agent_did: string;
  readonly tier: Tier;
  /** Issuance of the credential the change was made under, unix seconds. */
  readonly credential_issued_at: number;
  /** When the change was made, unix seconds. */
  readonly at: number;
}

/** The advisor asking now. */
export interface Contender {
  readonly agent_did: string;
  readonly tier: Tier;
  readonly credential_issued_at: number;
}

function outranks(a: Contender, b: RecentChange): boolean {
  const ra = tierRank(a.tier);
  const rb = tierRank(b.tier);
  return ra > rb || (ra === rb && a.credential_issued_at > b.credential_issued_at);
}

/**
 * The change that blocks `me` on one of `targets`, or null.
 * @param recent changes in any order; only those within `(now_s − window_s, now_s]` count.
 */
export function blockingChange(targets: readonly string[], me: Contender, recent: readonly RecentChange[], now_s: UnixSeconds, window_s: number): RecentChange | null {
  const wanted = new Set(targets);
  const latest = new Map<string, RecentChange>();
  for (const c of recent) {
    if (!wanted.has(c.target) || c.at <= now_s - window_s || c.at > now_s) continue;
    const prev = latest.get(c.target);
    if (!prev || c.at >= prev.at) latest.set(c.target, c);
  }
  for (const c of latest.values()) if (c.agent_did !== me.agent_did && !outranks(me, c)) return c;
  return null;
}
