/**
 * The membership state every machine reads (hive record, members, trusted admin keys, bans, used
 * tickets, open challenges), the store writes that change it, and the one pure reducer that
 * applies those writes (issue 2 §7; clhive-protocol.md §10 `hive_members`, `hive_bans`).
 *
 * Machines never mutate state: they return `persist` effects carrying `StoreWrite`s and the new
 * state `applyWrites(old, writes)`. services/store applies the very same writes to SQLite in one
 * transaction, so the durable copy and the in-memory copy cannot drift (tests/store checks
 * `store.load()` against `applyWrites`).
 */
import type { Framing } from '../wire/framing.ts';
import type { Admission } from '../wire/payloads/admission.ts';
import type { NodeId, Nonce, UnixSeconds } from '../types.ts';

/** Membership tier (clhive-protocol.md §6.1; `admin` was removed from cl-hive on 2026-01-20). */
export type Tier = 'member' | 'neophyte';

/** This node's hive record. Absent until genesis or a completed join. */
export interface HiveRecord {
  readonly hive_id: string;
  /** Unix seconds: genesis time, or the time we joined. */
  readonly created_at: number;
  readonly our_node_id: NodeId;
  /** Our own tier: `member` after genesis, `neophyte` after a join. */
  readonly our_role: Tier;
}

/** One member row (`hive_members`). */
export interface MemberRecord {
  readonly node_id: NodeId;
  readonly tier: Tier;
  /** Unix seconds. */
  readonly joined_at: number;
  /** `"host:port"` strings from gossip (ipv4/ipv6/torv3). */
  readonly addresses: readonly string[];
  /**
   * Who admitted this node, how, signed by the admitter (wire/payloads/admission.ts). Absent for
   * the founder, for rows from before schema v4, and for ourselves after a join through a member
   * that sent no proof (cl-hive). Kept through promotions; travels in WELCOME and FULL_SYNC.
   */
  readonly admission?: Admission;
}

/** A fleet admin key this hive trusts to sign tickets and revocations. */
export interface TrustedAdmin {
  readonly admin_pubkey: NodeId;
  /** Unix seconds. */
  readonly added_at: number;
}

/** A banned node (`hive_bans`). */
export interface BanRecord {
  readonly node_id: NodeId;
  readonly reason: string;
  /** Unix seconds. */
  readonly banned_at: number;
  /** Unix seconds, or null for a ban without end. */
  readonly expires_at: number | null;
}

/** A ticket that has been presented, bound to the first node that used it (spec 000 §6 "Ticket Theft"). */
export interface UsedTicket {
  readonly ticket_id: string;
  readonly used_by: NodeId;
  /** Unix seconds of first use. */
  readonly used_at: number;
  /** The ticket's own `expires_at` (after it, the row only documents history). */
  readonly expires_at: number;
}

/** An open challenge the member issued (clhive-protocol.md §3.5; one per peer, TTL 300 s). */
export interface OpenChallenge {
  /** The candidate the challenge was issued to. */
  readonly peer_id: NodeId;
  readonly nonce: Nonce;
  readonly hive_id: string;
  /** The framing the HELLO came in; ATTEST must use the same, and it decides the signed string. */
  readonly framing: Framing;
  /** Unix seconds. */
  readonly issued_at: number;
  /** How the candidate proved its right to join. */
  readonly join_via: 'ticket' | 'channel';
  /** The ticket's id, requirement bits and min_version (null / 0 / "" for a channel join). */
  readonly ticket_id: string | null;
  readonly requirements: number;
  readonly min_version: string;
  /** The peer's negotiated BOLT 9 features (CLN `listpeers` hex) when the challenge was issued. */
  readonly features_hex: string;
}

/** Everything the handshake and later membership machines read. Maps are keyed by node id / ticket id. */
export interface MembershipState {
  readonly hive: HiveRecord | null;
  readonly members: ReadonlyMap<NodeId, MemberRecord>;
  readonly trusted_admins: ReadonlyMap<NodeId, TrustedAdmin>;
  readonly banned: ReadonlyMap<NodeId, BanRecord>;
  readonly used_tickets: ReadonlyMap<string, UsedTicket>;
  readonly challenges: ReadonlyMap<NodeId, OpenChallenge>;
}

/** One change to the membership state; services/store applies it to SQLite. */
export type StoreWrite =
  | { readonly op: 'put_hive'; readonly hive: HiveRecord }
  | { readonly op: 'put_member'; readonly member: MemberRecord }
  | { readonly op: 'delete_member'; readonly node_id: NodeId }
  | { readonly op: 'put_trusted_admin'; readonly admin: TrustedAdmin }
  | { readonly op: 'put_ban'; readonly ban: BanRecord }
  | { readonly op: 'use_ticket'; readonly use: UsedTicket }
  | { readonly op: 'put_challenge'; readonly challenge: OpenChallenge }
  | { readonly op: 'delete_challenge'; readonly peer_id: NodeId };

/** An effect asking the driver to apply a store write (all of one step's writes in one transaction). */
export interface PersistEffect {
  readonly kind: 'persist';
  readonly write: StoreWrite;
}

/** A membership state with nothing in it (a node that never ran genesis or joined). */
export const EMPTY_MEMBERSHIP: MembershipState = {
  hive: null,
  members: new Map(),
  trusted_admins: new Map(),
  banned: new Map(),
  used_tickets: new Map(),
  challenges: new Map(),
};

/** A copy of `map` with `key` set to `value` (or removed when `value` is undefined). */
export function withEntry<K, V>(map: ReadonlyMap<K, V>, key: K, value: V | undefined): ReadonlyMap<K, V> {
  const next = new Map(map);
  if (value === undefined) next.delete(key);
  else next.set(key, value);
  return next;
}

/** Apply one write. `use_ticket` keeps the first use (a ticket stays bound to its first node). */
export function applyWrite(s: MembershipState, w: StoreWrite): MembershipState {
  switch (w.op) {
    case 'put_hive':
      return { ...s, hive: w.hive };
    case 'put_member':
      return { ...s, members: withEntry(s.members, w.member.node_id, w.member) };
    case 'delete_member':
      return { ...s, members: withEntry(s.members, w.node_id, undefined) };
    case 'put_trusted_admin':
      return { ...s, trusted_admins: withEntry(s.trusted_admins, w.admin.admin_pubkey, w.admin) };
    case 'put_ban':
      return { ...s, banned: withEntry(s.banned, w.ban.node_id, w.ban) };
    case 'use_ticket':
      return s.used_tickets.has(w.use.ticket_id) ? s : { ...s, used_tickets: withEntry(s.used_tickets, w.use.ticket_id, w.use) };
    case 'put_challenge':
      return { ...s, challenges: withEntry(s.challenges, w.challenge.peer_id, w.challenge) };
    case 'delete_challenge':
      return { ...s, challenges: withEntry(s.challenges, w.peer_id, undefined) };
  }
}

/** Apply writes in order. */
export function applyWrites(s: MembershipState, writes: readonly StoreWrite[]): MembershipState {
  return writes.reduce(applyWrite, s);
}

/** Wrap writes as persist effects. */
export function persist(...writes: StoreWrite[]): PersistEffect[] {
  return writes.map((write) => ({ kind: 'persist', write }));
}

/** True when `node_id` is banned at `now_s` (a ban with `expires_at` in the past no longer counts). */
export function isBanned(s: MembershipState, node_id: string, now_s: UnixSeconds): boolean {
  const ban = s.banned.get(node_id as NodeId);
  return ban !== undefined && (ban.expires_at === null || ban.expires_at > now_s);
}
