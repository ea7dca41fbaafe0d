/**
 * FULL_SYNC larger than one message (issue 19 §5): a fleet of well-connected members lists every
 * member's peers in its states (≈ 70 bytes per peer), so twenty such members already pass the
 * 65,535-byte limit, where cl-hive drops the message. Hivebox sends a sync round as several
 * self-contained FULL_SYNC parts instead: each part carries its own slice of members and states,
 * its own `fleet_hash` over exactly its states, and its own signature; all parts of a round share
 * the round's `timestamp` and carry `hivebox_part: {index, count}` (a round of one part carries
 * nothing, byte-identical to before). A receiver merges each part on its own (merging is per member
 * and per state entry, so parts commute) and lets the untaken parts of the round it is taking past
 * the 60 s FULL_SYNC cooldown — at most 64; an untagged FULL_SYNC or a repeated part is rate limited
 * as before. A cl-hive receiver processes the first part, which holds the members
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

/** A part's place in its round, carried as `hivebox_part` in each FULL_SYNC of a round of two or more. */
export interface PartTag {
  readonly index: number;
  readonly count: number;
}

/**
 * The `hivebox_part` tag of a FULL_SYNC payload as received (a Hivebox-only key: cl-hive ignores it,
 * and the codec's schema strips it from the validated view, so it is read from the raw payload).
 * @returns the tag, or null when absent or not `{index, count}` with 0 ≤ index < count ≤ FULL_SYNC_MAX_PARTS.
 */
export function partTagOf(raw: { readonly [key: string]: unknown }): PartTag | null {
  const t = raw.hivebox_part as { index?: unknown; count?: unknown } | null | undefined;
  if (t === null || typeof t !== 'object') return null;
  const { index, count } = t;
  if (!Number.isInteger(index) || !Number.isInteger(count)) return null;
  return (index as number) >= 0 && (index as number) < (count as number) && (count as number) <= FULL_SYNC_MAX_PARTS ? { index: index as number, count: count as number } : null;
}

/** Where a sender's current sync round stands at a receiver: its `timestamp` and the part indexes taken. */
export interface FullSyncRound {
  readonly timestamp: number;
  readonly taken: readonly number[];
}

/**
 * True when a FULL_SYNC from `peer_id` is a not-yet-taken part of the round being taken: tagged,
 * stamped with the round's timestamp, its index not seen (an untagged message or a repeat is not).
 */
export function continuesRound(rounds: ReadonlyMap<NodeId, FullSyncRound>, peer_id: NodeId, timestamp: number, tag: PartTag | null): boolean {
  const r = rounds.get(peer_id);
  return tag !== null && r !== undefined && r.timestamp === timestamp && !r.taken.includes(tag.index);
}

/** `rounds` after taking one FULL_SYNC stamped `timestamp` (with its part tag, if any) from `peer_id`. */
export function roundAfterPart(rounds: ReadonlyMap<NodeId, FullSyncRound>, peer_id: NodeId, timestamp: number, tag: PartTag | null): Map<NodeId, FullSyncRound> {
  const r = rounds.get(peer_id);
  const index = tag?.index ?? -1;
  const taken = r !== undefined && r.timestamp === timestamp ? [...r.taken, index] : [index];
  return new Map(rounds).set(peer_id, { timestamp, taken });
}
