/**
 * Member records as they travel (WELCOME and FULL_SYNC `members[]`, a GOSSIP's `hivebox_member`
 * for its sender), and the one check every received record must pass before it adds a member
 * (issue 15 items 1–3; wire/payloads/admission.ts for the proof's shape and signed string).
 *
 * A node becomes a member only through an admission the receiver can verify: the row carries who
 * admitted it, by which ticket (or cl-hive channel join), signed by the admitter, and the admitter
 * is a full member in the receiver's view. `RECORD_RULES` is the ordered table of checks; the first
 * that fails names the refusal, and a refused record changes nothing. Consequences:
 * - a neophyte cannot admit (its own admissions fail `admitter_not_full_member`, and the handshake
 *   refuses HELLO at a neophyte with `not_admitting`), nor smuggle rows through FULL_SYNC;
 * - a ticket id travels with the admission, and each receiver binds it to the admitted node; a
 *   second node admitted with the same ticket elsewhere is refused (`ticket_reused`) by every
 *   member that saw the first, and its HELLO is refused at any member that did;
 * - nobody is added beyond `max_members`.
 * Limits: a row whose admitter has since left or been removed cannot be verified by a node that
 * never held the admitter, and promotions carry no proof (a joiner takes its welcomer's word on who
 * is a full member; FULL_SYNC never raises a tier).
 *
 * cl-hive peers cannot carry proofs (clhive-protocol.md §2.3: their WELCOME has no member list,
 * their FULL_SYNC rows only peer_id/tier/joined_at). Their unknown rows fail `no_admission` and are
 * never added; for rows we already hold they still fill missing addresses. A cl-hive node that joins
 * through a Hivebox member (channel join) gets a signed `via: "channel"` admission and is verifiable
 * everywhere; one admitted by a cl-hive member is not adopted by Hivebox members (README, "Mixed fleets").
 */
import { lightningSignedText } from '../canonical/signed-text.ts';
import { recoverSigner } from '../crypto/lnsign.ts';
import { isFullMember } from '../fleet/roster.ts';
import type { FleetState } from '../fleet/types.ts';
import type { NodeId, UnixSeconds } from '../types.ts';
import type { HiveMessage } from '../wire/decode.ts';
import { admissionSigningString, type Admission, type MemberClaim } from '../wire/payloads/admission.ts';
import { isBanned, type MemberRecord, type MembershipState, type StoreWrite } from './membership.ts';

/** A member row as WELCOME and FULL_SYNC carry it. */
export type MemberEntryOut = {
  readonly peer_id: string;
  readonly tier: string;
  readonly joined_at: number;
  readonly addresses?: string[];
  readonly admission?: Admission;
};

/** Our member rows, ordered by node id, in the form WELCOME and FULL_SYNC carry them. */
export function memberEntries(m: MembershipState): MemberEntryOut[] {
  return [...m.members.values()]
    .sort((a, b) => (a.node_id < b.node_id ? -1 : 1))
    .map((r) => ({
      peer_id: r.node_id,
      tier: r.tier,
      joined_at: r.joined_at,
      ...(r.addresses.length ? { addresses: [...r.addresses] } : {}),
      ...(r.admission ? { admission: r.admission } : {}),
    }));
}

/** A received member row (schema-valid WELCOME / FULL_SYNC `members[]` entry). */
export interface ReceivedRecord {
  readonly peer_id: string;
  readonly joined_at: number;
  readonly addresses?: readonly string[];
  readonly admission?: Admission;
}

/** What a record is checked against. */
export interface RecordContext {
  readonly membership: MembershipState;
  readonly hive_id: string;
  readonly our_node_id: NodeId;
  /** `[hive] max_members`. */
  readonly max_members: number;
  /** Unix seconds of the node's departure, if it left or was removed (fleet `departures`). */
  readonly departedAt: (node_id: NodeId) => number | null;
  /** True when `node_id` may admit in the receiver's view (a full member, not banned). */
  readonly mayAdmit: (node_id: NodeId) => boolean;
  readonly now_s: UnixSeconds;
}

/** The context of rows a member receives (FULL_SYNC, GOSSIP): admitters are its full members, not banned. */
export function fleetRecordContext(s: FleetState, now_s: UnixSeconds): RecordContext {
  return {
    membership: s.membership,
    hive_id: s.membership.hive?.hive_id ?? '',
    our_node_id: s.config.our_node_id,
    max_members: s.config.max_members,
    departedAt: (id) => s.tables.departures.get(id)?.departed_at ?? null,
    mayAdmit: (id) => isFullMember(s, id, now_s),
    now_s,
  };
}

/** Our own row as GOSSIP `hivebox_member` carries it; nothing when we hold no proof (founder, cl-hive welcomer). */
export function ownMemberClaim(s: FleetState): { hivebox_member?: MemberClaim } {
  const own = s.membership.members.get(s.config.our_node_id);
  return own?.admission ? { hivebox_member: { joined_at: own.joined_at, admission: own.admission } } : {};
}

/**
 * A GOSSIP from a sender we do not hold, carrying its `hivebox_member` row: the writes that adopt
 * it (the same `RECORD_RULES` as a FULL_SYNC row), or null when there is nothing to adopt or the
 * row is refused (the gate then refuses the GOSSIP as `not_member`).
 */
export function gossipAdoption(s: FleetState, m: HiveMessage, now_s: UnixSeconds): StoreWrite[] | null {
  if (m.type !== 'GOSSIP' || m.framing !== 'spec') return null;
  const p = m.payload;
  if (p.hivebox_member === undefined || s.membership.members.has(p.sender_id as NodeId)) return null;
  const r = admitRecord({ peer_id: p.sender_id, joined_at: p.hivebox_member.joined_at, admission: p.hivebox_member.admission }, fleetRecordContext(s, now_s));
  return r.ok ? r.writes : null;
}

/** Why a received record adds no member. */
export type RecordRefusal =
  | 'is_us'
  | 'banned'
  | 'departed'
  | 'no_admission'
  | 'self_admitted'
  | 'admitter_not_full_member'
  | 'bad_admission_signature'
  | 'ticket_reused'
  | 'hive_full';

/** True when `a` is signed by `a.by` for node `peer_id` joined at `joined_at` in `hive_id`. */
export function admissionSigned(hive_id: string, peer_id: string, joined_at: number, a: Admission): boolean {
  return recoverSigner(lightningSignedText(admissionSigningString(hive_id, peer_id, joined_at, a)), a.sig) === a.by;
}

type Rule = (r: ReceivedRecord, ctx: RecordContext) => boolean;

/** The record checks in order, each `[refusal, passes]`; rules after `no_admission` may rely on the proof. */
const RECORD_RULES: readonly (readonly [RecordRefusal, Rule])[] = [
  ['is_us', (r, ctx) => r.peer_id !== ctx.our_node_id],
  ['banned', (r, ctx) => !isBanned(ctx.membership, r.peer_id, ctx.now_s)],
  ['departed', (r, ctx) => (ctx.departedAt(r.peer_id as NodeId) ?? -1) < r.joined_at],
  ['no_admission', (r) => r.admission !== undefined],
  ['self_admitted', (r) => r.admission!.by !== r.peer_id],
  ['admitter_not_full_member', (r, ctx) => ctx.mayAdmit(r.admission!.by as NodeId)],
  ['bad_admission_signature', (r, ctx) => admissionSigned(ctx.hive_id, r.peer_id, r.joined_at, r.admission!)],
  ['ticket_reused', (r, ctx) => {
    const ticket_id = r.admission!.ticket_id;
    const use = ticket_id === undefined ? undefined : ctx.membership.used_tickets.get(ticket_id);
    return use === undefined || use.used_by === r.peer_id;
  }],
  ['hive_full', (_r, ctx) => ctx.membership.members.size < ctx.max_members],
];

/**
 * Check a received row for a node we do not hold.
 * @returns the writes that add it as neophyte (and bind its ticket), or the first refusal.
 */
export function admitRecord(r: ReceivedRecord, ctx: RecordContext): { ok: true; writes: StoreWrite[] } | { ok: false; reason: RecordRefusal } {
  for (const [reason, passes] of RECORD_RULES) if (!passes(r, ctx)) return { ok: false, reason };
  const id = r.peer_id as NodeId;
  const member: MemberRecord = { node_id: id, tier: 'neophyte', joined_at: r.joined_at, addresses: [...(r.addresses ?? [])], admission: r.admission! };
  return { ok: true, writes: [{ op: 'put_member', member }, ...ticketUse(id, r.joined_at, r.admission)] };
}

/** The `use_ticket` write an admission implies (none for a channel join). */
export function ticketUse(node_id: NodeId, joined_at: number, a: Admission | undefined): StoreWrite[] {
  if (a?.ticket_id === undefined || a.ticket_expires_at === undefined) return [];
  return [{ op: 'use_ticket', use: { ticket_id: a.ticket_id, used_by: node_id, used_at: joined_at, expires_at: a.ticket_expires_at } }];
}
