/**
 * GOSSIP that cannot be judged yet (issue 13 "fleet convergence"): a correctly signed GOSSIP from
 * a node that is not a member yet (it arrived just before the FULL_SYNC that admits its sender),
 * or from a member whose channel claims the node's lightningd cannot verify yet (the channel is not
 * in `listchannels` until 6 confirmations and gossip propagation, real-cln-facts.md), is kept and
 * judged again when the membership changes (fleet/step.ts) or the public graph changes (the driver's
 * `facts_changed` input). Without it such a GOSSIP was refused for good, and fleet hashes stayed
 * different until the next 300 s heartbeat.
 *
 * Bounds (memory only, never persisted): one GOSSIP per originator (the highest version), at most
 * `pendingGossipPerPeer` per delivering BOLT 8 peer and `pendingGossipTotal` in all — a new one is
 * refused when full, so a flood cannot push out what arrived first — and each is dropped
 * `pendingGossipTtl_s` after it arrived. Only a node that is itself in a hive keeps any.
 */
import { Change } from '../fleet/change.ts';
import { FLEET_LIMITS } from '../fleet/config.ts';
import { isCertified } from '../fleet/roster.ts';
import type { FleetReject, FleetState, PendingGossip } from '../fleet/types.ts';
import type { NodeId, UnixSeconds } from '../types.ts';
import type { DecodeOutcome } from '../wire/decode.ts';

/** Reject reasons after which a GOSSIP is kept for a later look. */
const WAIT_FOR: ReadonlySet<FleetReject['reason']> = new Set(['not_member', 'capacity_unverified']);

/**
 * Keep a refused GOSSIP when its reject says "not yet" (see the file header).
 * @param received_at unix seconds it first arrived (kept across re-checks, so the TTL holds).
 * @returns the state with the GOSSIP kept, or `s` itself when it is not kept.
 */
export function keepPendingGossip(s: FleetState, peer_id: string, outcome: DecodeOutcome, reject: FleetReject, received_at: number): FleetState {
  if (outcome.kind !== 'message' || outcome.message.type !== 'GOSSIP' || !WAIT_FOR.has(reject.reason)) return s;
  if (!isCertified(s, s.config.our_node_id, received_at)) return s;
  const sender_id = String(outcome.message.raw.sender_id ?? '') as NodeId;
  const version = Number(outcome.message.raw.version ?? 0);
  const held = s.pending_gossip.get(sender_id);
  if (held && Number(held.outcome.kind === 'message' ? held.outcome.message.raw.version : 0) >= version) return s;
  const others = [...s.pending_gossip.values()].filter((p) => p.sender_id !== sender_id);
  if (others.length >= FLEET_LIMITS.pendingGossipTotal) return s;
  if (others.filter((p) => p.peer_id === peer_id).length >= FLEET_LIMITS.pendingGossipPerPeer) return s;
  const entry: PendingGossip = { sender_id, peer_id: peer_id as NodeId, outcome, received_at, reason: reject.reason };
  return { ...s, pending_gossip: new Map(s.pending_gossip).set(sender_id, entry) };
}

/** Drop kept GOSSIP older than the TTL (tick). */
export function expirePendingGossip(c: Change, now_s: UnixSeconds): void {
  const old = [...c.state.pending_gossip.values()].filter((p) => now_s - p.received_at >= FLEET_LIMITS.pendingGossipTtl_s);
  if (old.length === 0) return;
  const left = new Map(c.state.pending_gossip);
  for (const p of old) {
    left.delete(p.sender_id);
    c.log('info', 'pending_gossip_expired', { sender_id: p.sender_id, reason: p.reason }, p.peer_id);
  }
  c.set({ pending_gossip: left });
}

/**
 * Take every kept GOSSIP out of the state, oldest first, for the caller to run through the gate
 * and handler again (a refusal may keep it once more, with its first arrival time).
 */
export function takePendingGossip(s: FleetState): { state: FleetState; taken: PendingGossip[] } {
  if (s.pending_gossip.size === 0) return { state: s, taken: [] };
  const taken = [...s.pending_gossip.values()].sort((a, b) => a.received_at - b.received_at);
  return { state: { ...s, pending_gossip: new Map() }, taken };
}
