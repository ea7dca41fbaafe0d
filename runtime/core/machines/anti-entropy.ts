/**
 * Periodic anti-entropy (issue 15 item 5; Hivebox addition to clhive-protocol.md §4.4, where
 * cl-hive has no periodic STATE_HASH): every `anti_entropy_interval_s` plus 0–25 % jitter, a
 * certified member sends its signed STATE_HASH to ONE connected certified member picked uniformly
 * at random. A member whose fleet or membership hash differs answers with FULL_SYNC (state-sync.ts,
 * at most one per peer per 60 s), so a GOSSIP lost on the way to us is repaired by the next
 * exchange: within one period plus jitter whichever connected member we pick, since all of them
 * hold the lost state.
 *
 * "Connected" is what the node told us: a `peer_connected` input or an admitted message from the
 * peer adds it (it reached us over BOLT 8), `peer_disconnected` removes it. Memory only; after a
 * restart members reappear with their next message or connection. Randomness comes from the
 * tick's injected entropy (machines/entropy.ts), the clock from `now_s` (unix seconds).
 */
import type { Change } from '../fleet/change.ts';
import { isCertified } from '../fleet/roster.ts';
import type { FleetState } from '../fleet/types.ts';
import type { NodeId, UnixSeconds } from '../types.ts';
import { uniformOf } from './entropy.ts';
import { sendStateHash } from './state-sync.ts';

/** Jitter added to each period, as a fraction of it. */
export const ANTI_ENTROPY_JITTER = 0.25;

/** Anti-entropy bookkeeping (memory). */
export interface AntiEntropyMemory {
  /** Unix seconds the next STATE_HASH is due; null until the first tick schedules it. */
  readonly next_at: number | null;
  /** Peers the node reported connected (or that delivered an admitted message), not since disconnected. */
  readonly connected: ReadonlySet<NodeId>;
}

/** Nothing scheduled, nobody known connected. */
export const EMPTY_ANTI_ENTROPY: AntiEntropyMemory = { next_at: null, connected: new Set() };

/** The state with `peer_id` marked connected (`up`) or not; the same state when nothing changes. */
export function withConnection(s: FleetState, peer_id: string, up: boolean): FleetState {
  const id = peer_id as NodeId;
  if (id === s.config.our_node_id || s.anti_entropy.connected.has(id) === up) return s;
  const connected = new Set(s.anti_entropy.connected);
  if (up) connected.add(id);
  else connected.delete(id);
  return { ...s, anti_entropy: { ...s.anti_entropy, connected } };
}

function nextAt(s: FleetState, now_s: UnixSeconds, entropy: Uint8Array): number {
  const period = s.config.anti_entropy_interval_s;
  return now_s + Math.round(period * (1 + ANTI_ENTROPY_JITTER * uniformOf(entropy, 'anti_entropy:jitter')));
}

/**
 * Timer: when due, STATE_HASH to one random connected certified member and schedule the next.
 * Does nothing outside a hive or when we are not certified; with nobody connected it only reschedules.
 * @param entropy the tick's random bytes (≥ 16).
 */
export function antiEntropyTick(c: Change, now_s: UnixSeconds, entropy: Uint8Array): void {
  const s = c.state;
  const us = s.config.our_node_id;
  if (!s.membership.hive || !isCertified(s, us, now_s)) return;
  const due = s.anti_entropy.next_at;
  if (due !== null && now_s < due) return;
  if (due !== null) {
    const peers = [...s.anti_entropy.connected].filter((id) => isCertified(s, id, now_s)).sort();
    const pick = peers[Math.floor(uniformOf(entropy, 'anti_entropy:peer') * peers.length)];
    if (pick !== undefined) sendStateHash(c, pick, now_s);
  }
  c.set({ anti_entropy: { ...c.state.anti_entropy, next_at: nextAt(s, now_s, entropy) } });
}
