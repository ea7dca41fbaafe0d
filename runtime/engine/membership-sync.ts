/**
 * Membership propagation until the fleet layer's state sync lands (issue 4 §1 STATE_HASH /
 * FULL_SYNC with anti-entropy): a full member that admits a node, or sees a member connect, sends
 * a signed HIVE_FULL_SYNC carrying only `members` (no `states`) to the other members; a receiver
 * adds the members it did not know. Without it, a node that joined earlier would never learn of
 * later joiners, because WELCOME reaches only the joiner.
 *
 * Rules (receiver): the sender must be the BOLT 8 peer (`sender_id`), a member of our hive with
 * tier `member` (only full members admit); the signature and freshness are checked by the engine
 * before this runs. The merge only adds: it never demotes, promotes or removes a member (issue 4
 * §1 "membership merge never demotes or removes"), and skips banned nodes and ourselves.
 * Pure: takes and returns values.
 */
import type { MembershipState, StoreWrite } from '../core/machines/membership.ts';
import { isBanned } from '../core/machines/membership.ts';
import { err, ok, type Result } from '../core/result.ts';
import { isNodeId, type NodeId } from '../core/types.ts';
import type { PayloadInput } from '../core/wire/encode.ts';
import type { FullSyncPayload } from '../core/wire/payloads/full-sync.ts';

/** Why an announcement was not merged. */
export type MergeRefusal = 'not_in_hive' | 'sender_mismatch' | 'not_full_member';

/**
 * The unsigned FULL_SYNC payload announcing our member list (sign `fullSyncSigningString` of it
 * with the node key and add `signature`).
 * @param now unix seconds.
 */
export function membersAnnouncement(m: MembershipState, our_node_id: NodeId, now: number): PayloadInput {
  const members = [...m.members.values()]
    .sort((a, b) => (a.node_id < b.node_id ? -1 : 1))
    .map((r) => ({ peer_id: r.node_id, tier: r.tier, joined_at: r.joined_at, ...(r.addresses.length ? { addresses: [...r.addresses] } : {}) }));
  return { states: [], fleet_hash: '', timestamp: now, members, sender_id: our_node_id };
}

/**
 * The store writes that add the announced members we do not know yet.
 * @returns writes (possibly none), or why the announcement is not accepted from `peer_id`.
 */
export function mergeAnnouncedMembers(m: MembershipState, peer_id: string, p: FullSyncPayload, now: number): Result<StoreWrite[], MergeRefusal> {
  if (!m.hive) return err('not_in_hive');
  if (p.sender_id !== peer_id) return err('sender_mismatch');
  if (m.members.get(peer_id as NodeId)?.tier !== 'member') return err('not_full_member');
  const writes: StoreWrite[] = [];
  for (const e of p.members ?? []) {
    const id = e.peer_id;
    if (!isNodeId(id) || id === m.hive.our_node_id || m.members.has(id) || isBanned(m, id, now)) continue;
    if (writes.some((w) => w.op === 'put_member' && w.member.node_id === id)) continue;
    writes.push({ op: 'put_member', member: { node_id: id, tier: e.tier === 'neophyte' ? 'neophyte' : 'member', joined_at: e.joined_at, addresses: e.addresses ?? [] } });
  }
  return ok(writes);
}
