/**
 * HIVE_GOSSIP: each member's state toward the fleet (spec 001 §3.2; clhive-protocol.md §2.3,
 * §4.1, §4.5; spec 003 §2.1, §3 "trust but verify").
 *
 * Sending: `shouldBroadcast` (pure) fires on the first status, the 300 s heartbeat, a capacity
 * change above 10 %, or any fee-policy or topology change. Each broadcast takes version = last + 1
 * and persists it before the signature is even requested, so a restart can never reuse a version.
 *
 * Receiving (after the gate): the version must be strictly higher than the stored one (replay and
 * rollback both fail as `stale_version`); every claimed external peer must have a public channel
 * with the sender (else `capacity_unverified`, nothing stored); the claimed capacity toward each
 * is clamped to those channels' public capacity, and a clamp is logged. Entries not updated for
 * 3,600 s are marked stale on tick.
 */
import { Change, refuse } from '../fleet/change.ts';
import { FLEET_LIMITS } from '../fleet/config.ts';
import { byFraming, requestSignature } from '../fleet/outgoing.ts';
import { ownMemberClaim } from './admission.ts';
import { broadcastRecipients, memberOf } from '../fleet/roster.ts';
import type { StateRow } from '../fleet/tables.ts';
import type { FleetState, FleetStep, LocalStatus, NodeFacts } from '../fleet/types.ts';
import { fleetHash } from '../wire/signing/hashes.ts';
import { pySorted } from '../canonical/python-json.ts';
import type { Admitted } from './admit.ts';
import type { UnixSeconds } from '../types.ts';

/** Why a gossip goes out. */
export type GossipTrigger = 'first' | 'heartbeat' | 'capacity_change' | 'fee_policy_change' | 'topology_change';

function sameRecord(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  return sa.size === new Set(b).size && b.every((x) => sa.has(x));
}

/**
 * cl-hive `GossipManager.should_broadcast` (§4.5): any one trigger suffices.
 * @param now_s unix seconds.
 * @returns the first trigger that fires, or null.
 */
export function shouldBroadcast(last: { readonly at: number | null; readonly sent: LocalStatus | null }, current: LocalStatus, now_s: UnixSeconds): GossipTrigger | null {
  if (last.sent === null || last.at === null) return 'first';
  if (now_s - last.at >= FLEET_LIMITS.heartbeat_s) return 'heartbeat';
  const before = last.sent.capacity_sats;
  if (before === 0 ? current.capacity_sats > 0 : Math.abs(current.capacity_sats - before) / before > FLEET_LIMITS.capacityChangeRatio) return 'capacity_change';
  if (!sameRecord(last.sent.fee_policy, current.fee_policy)) return 'fee_policy_change';
  if (!sameSet(last.sent.topology, current.topology)) return 'topology_change';
  return null;
}

/** The fleet hash over every stored state (ours included), as cl-hive computes it (§4.2). */
export function currentFleetHash(s: FleetState): string {
  return fleetHash([...s.tables.states.values()]);
}

/**
 * Verify a member's claims (spec 003 §2.1): each external peer needs a public channel with the
 * member; the capacity claimed toward it is clamped to that channel capacity.
 * @returns the clamped capacity per peer and the peers where the claim was cut, or the first peer
 *   without any public channel.
 */
export function verifyClaims(
  member: string,
  capacity_sats: number,
  topology: readonly string[],
  facts: NodeFacts,
): { ok: true; verified: Record<string, number>; capped: string[] } | { ok: false; peer: string } {
  const verified: Record<string, number> = {};
  const capped: string[] = [];
  for (const peer of topology) {
    const pub = facts.publicCapacitySats(member, peer);
    if (!(pub > 0)) return { ok: false, peer };
    verified[peer] = Math.min(capacity_sats, pub);
    if (capacity_sats > pub) capped.push(peer);
  }
  return { ok: true, verified, capped };
}

/** Broadcast our gossip now: bump and persist the version, then sign once per framing spoken. */
export function broadcastGossip(c: Change, status: LocalStatus, now_s: UnixSeconds, trigger: GossipTrigger, facts: NodeFacts): void {
  const us = c.state.config.our_node_id;
  const own = c.state.tables.states.get(us);
  const topology = pySorted(status.topology);
  const claims = verifyClaims(us, status.capacity_sats, topology, facts);
  const row: StateRow = {
    peer_id: us,
    capacity_sats: status.capacity_sats,
    available_sats: status.available_sats,
    fee_policy: { ...status.fee_policy },
    topology,
    version: (own?.version ?? 0) + 1,
    last_update: now_s,
    state_hash: '',
    addresses: [...status.addresses],
    capabilities: [...status.capabilities],
    verified_capacity: claims.ok ? claims.verified : {},
    signature: '',
    stale: 0,
  };
  const others = [...c.state.tables.states.values()].filter((r) => r.peer_id !== us);
  const state_hash = fleetHash([...others, row]);
  c.put('states', { ...row, state_hash });
  c.set({ gossip: { last_broadcast_at: now_s, last_sent: status } });
  const payload = {
    peer_id: us,
    sender_id: us,
    capacity_sats: row.capacity_sats,
    available_sats: row.available_sats,
    fee_policy: { ...row.fee_policy },
    topology: [...topology],
    version: row.version,
    timestamp: now_s,
    state_hash,
    addresses: [...row.addresses],
    capabilities: [...row.capabilities],
  };
  c.log('info', 'gossip_broadcast', { version: row.version, trigger });
  const groups = byFraming(c.state, broadcastRecipients(c.state, now_s));
  if (groups.size === 0) groups.set('spec', []);
  const claim = ownMemberClaim(c.state);
  for (const [framing, recipients] of groups) requestSignature(c, { type: 'GOSSIP', payload: framing === 'spec' ? { ...payload, ...claim } : payload, purpose: 'gossip', recipients, framing });
}

/** A new local status: remember it, and broadcast when a trigger fires (only inside a hive). */
export function onLocalStatus(s: FleetState, status: LocalStatus, now_s: UnixSeconds, facts: NodeFacts): FleetStep {
  const c = new Change(s).set({ local: status });
  if (memberOf(s, s.config.our_node_id) === null) return c.done();
  const trigger = shouldBroadcast({ at: s.gossip.last_broadcast_at, sent: s.gossip.last_sent }, status, now_s);
  if (trigger) broadcastGossip(c, status, now_s, trigger, facts);
  return c.done();
}

/** Timer part: heartbeat gossip and stale marking. */
export function gossipTick(c: Change, now_s: UnixSeconds, facts: NodeFacts): void {
  const s = c.state;
  if (s.local && memberOf(s, s.config.our_node_id) !== null) {
    const trigger = shouldBroadcast({ at: s.gossip.last_broadcast_at, sent: s.gossip.last_sent }, s.local, now_s);
    if (trigger) broadcastGossip(c, s.local, now_s, trigger, facts);
  }
  for (const row of s.tables.states.values()) {
    if (row.stale === 0 && row.peer_id !== s.config.our_node_id && now_s - row.last_update > FLEET_LIMITS.staleAfter_s) {
      c.put('states', { ...row, stale: 1 });
      c.log('info', 'state_stale', { last_update: row.last_update }, row.peer_id);
    }
  }
}

/** GOSSIP from a member: version, claims, then store. */
export function onGossip(s: FleetState, a: Admitted<'GOSSIP'>, facts: NodeFacts): FleetStep {
  const p = a.message.payload;
  const rej = { peer_id: a.peer_id, msg_type: 'GOSSIP' } as const;
  if (a.sender_id === s.config.our_node_id) return refuse(s, { ...rej, reason: 'own_state' });
  const existing = s.tables.states.get(a.sender_id);
  if (existing && p.version <= existing.version) {
    return refuse(s, { ...rej, reason: 'stale_version', fields: { stored: existing.version, received: p.version } });
  }
  const topology = pySorted(p.topology);
  const claims = verifyClaims(a.sender_id, p.capacity_sats, topology, facts);
  if (!claims.ok) return refuse(s, { ...rej, reason: 'capacity_unverified', fields: { external_peer: claims.peer, claimed_sats: p.capacity_sats } });
  const c = new Change(s);
  c.put('states', {
    peer_id: a.sender_id,
    capacity_sats: p.capacity_sats,
    available_sats: p.available_sats,
    fee_policy: { ...p.fee_policy },
    topology,
    version: p.version,
    last_update: p.timestamp,
    state_hash: p.state_hash ?? '',
    addresses: [...(p.addresses ?? [])],
    capabilities: [...(p.capabilities ?? [])],
    verified_capacity: claims.verified,
    signature: a.framing === 'spec' ? p.signature : '',
    stale: 0,
  });
  if (claims.capped.length) c.log('info', 'capacity_capped', { claimed_sats: p.capacity_sats, external_peers: claims.capped }, a.sender_id);
  const member = memberOf(s, a.sender_id);
  if (member && p.addresses && !sameSet(member.addresses, p.addresses)) c.member({ op: 'put_member', member: { ...member, addresses: [...p.addresses] } });
  return c.done();
}
