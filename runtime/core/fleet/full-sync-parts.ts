/**
 * FULL_SYNC larger than one message (issue 19 §5): a fleet of well-connected members lists every
 * member's peers in its states (≈ 70 bytes per peer), so twenty such members already pass the
 * 65,535-byte limit, where cl-hive drops the message. Hivebox sends a sync round as several
 * self-contained FULL_SYNC parts instead: each part carries its own slice of members and states,
 * its own `fleet_hash` over exactly its states, and its own signature, and all parts of a round
 * share the round's `timestamp`. A receiver merges each part on its own (merging is per member and
 * per state entry, so parts commute) and lets the parts of one round past the 60 s FULL_SYNC
 * cooldown, up to `maxParts`. A cl-hive receiver processes the first part, which holds the members
 * and the newest states — what it got before.
 */
import { pyDumps, type PyJson } from '../canonical/python-json.ts';
import type { NodeId } from '../types.ts';

/** Parts a sender may split one sync round into, and a receiver accepts per round. */
export const FULL_SYNC_MAX_PARTS = 64;

/** One FULL_SYNC part before signing. */
export interface FullSyncPart<M, S> {
  readonly members: M[];
  readonly states: S[];
}

/**
 * Pack `members` then `states` (in the given order, newest states first) into parts whose JSON stays
 * within `budgetBytes` each (items as `json.dumps` prints them, plus a comma), at most `maxStates`
 * states and `maxParts` parts. An item larger than a whole budget cannot be sent at all.
 * @returns the parts (at least one, possibly empty) and the number of items left out.
 */
export function fullSyncParts<M extends PyJson, S extends PyJson>(
  members: readonly M[],
  states: readonly S[],
  budgetBytes: number,
  maxStates: number,
  maxParts: number = FULL_SYNC_MAX_PARTS,
): { parts: FullSyncPart<M, S>[]; left_out: number } {
  const parts: FullSyncPart<M, S>[] = [{ members: [], states: [] }];
  let room = budgetBytes;
  let left_out = 0;
  const place = (item: PyJson, add: (p: FullSyncPart<M, S>) => void, full: (p: FullSyncPart<M, S>) => boolean): void => {
    const size = pyDumps(item).length + 1;
    if (size > budgetBytes) return void left_out++;
    if (size > room || full(parts.at(-1)!)) {
      if (parts.length >= maxParts) return void left_out++;
      parts.push({ members: [], states: [] });
      room = budgetBytes;
    }
    room -= size;
    add(parts.at(-1)!);
  };
  for (const m of members) place(m, (p) => p.members.push(m), () => false);
  for (const s of states) place(s, (p) => p.states.push(s), (p) => p.states.length >= maxStates);
  return { parts, left_out };
}

/** Where a sender's current sync round stands at a receiver: its `timestamp` and the parts taken. */
export interface FullSyncRound {
  readonly timestamp: number;
  readonly parts: number;
}

/** True when a FULL_SYNC from `peer_id` stamped `timestamp` continues the round already being taken (and the round has room). */
export function continuesRound(rounds: ReadonlyMap<NodeId, FullSyncRound>, peer_id: NodeId, timestamp: number): boolean {
  const r = rounds.get(peer_id);
  return r !== undefined && r.timestamp === timestamp && r.parts < FULL_SYNC_MAX_PARTS;
}

/** `rounds` after taking one part stamped `timestamp` from `peer_id`. */
export function roundAfterPart(rounds: ReadonlyMap<NodeId, FullSyncRound>, peer_id: NodeId, timestamp: number): Map<NodeId, FullSyncRound> {
  const r = rounds.get(peer_id);
  const parts = r !== undefined && r.timestamp === timestamp ? r.parts + 1 : 1;
  return new Map(rounds).set(peer_id, { timestamp, parts });
}
