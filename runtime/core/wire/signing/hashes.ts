/**
 * cl-hive's fleet digests, byte-exact (clhive-protocol.md §4.2, §4.3; `compute_states_hash`,
 * `compute_members_hash` in protocol.py): the fleet hash a STATE_HASH carries, the states hash a
 * FULL_SYNC's `fleet_hash` must equal, the membership hash, and FULL_SYNC's signed members hash.
 * Lists are ordered by `peer_id` in code-point order (Python `sort(key=…)` / SQLite BINARY).
 */
import { canonicalJson, comparePyStrings, type PyJson } from '../../canonical/python-json.ts';
import { sha256Hex } from './py-format.ts';

/** A node's state as the fleet hash sees it. `last_update`: unix seconds of its latest gossip. */
export interface FleetStateRow {
  readonly peer_id: string;
  readonly version: PyJson;
  readonly last_update?: PyJson;
  /** Fallback when `last_update` is absent (FULL_SYNC entries from other implementations). */
  readonly timestamp?: PyJson;
}

/** A member row as FULL_SYNC's `members` and the membership hash see it. */
export interface MemberRow {
  readonly peer_id: string;
  readonly tier: string;
  readonly joined_at?: PyJson;
}

function byPeerId<T extends { readonly peer_id: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => comparePyStrings(a.peer_id, b.peer_id));
}

function stateTuples(states: readonly FleetStateRow[]): PyJson {
  return byPeerId(states).map((s) => ({
    peer_id: s.peer_id ?? '',
    version: s.version ?? 0,
    timestamp: s.last_update ?? s.timestamp ?? 0,
  }));
}

/**
 * `StateManager.calculate_fleet_hash`: sha256 hex of JSON-canonical
 * `[{"peer_id","timestamp": last_update,"version"}…]` sorted by peer_id. Empty fleet →
 * sha256("[]") = 4f53cda1…b945.
 */
export function fleetHash(states: readonly FleetStateRow[]): string {
  return sha256Hex(canonicalJson(stateTuples(states)));
}

/** `compute_states_hash` (FULL_SYNC check): as `fleetHash`, but `""` for no states. */
export function statesHash(states: readonly FleetStateRow[]): string {
  return states.length === 0 ? '' : fleetHash(states);
}

/** Membership hash (§4.3): sha256 hex of JSON-canonical `[[peer_id, tier], …]` ordered by peer_id. */
export function membershipHash(members: readonly MemberRow[]): string {
  return sha256Hex(canonicalJson(byPeerId(members).map((m) => [m.peer_id, m.tier])));
}

/**
 * `compute_members_hash` (FULL_SYNC signature): sha256 hex of JSON-canonical
 * `[{"joined_at","peer_id","tier"}…]` sorted by peer_id; `""` for no members.
 */
export function membersHash(members: readonly MemberRow[]): string {
  if (members.length === 0) return '';
  return sha256Hex(
    canonicalJson(byPeerId(members).map((m) => ({ peer_id: m.peer_id ?? '', tier: m.tier ?? '', joined_at: m.joined_at ?? 0 }))),
  );
}
