/**
 * The Hive message registry: every cl-hive `HiveMessageType` (clhive-protocol.md §2.1, 66 types,
 * cl-hive v2.2.6) plus Hivebox's own additions, built from the one spec object each message has in
 * its wire file (wire/spec.ts; issue 14 item 5). All ids are odd and in 32769–33000 (spec 001 §1),
 * so in spec framing they are valid odd BOLT 1 custom message types.
 *
 * Hivebox additions (spec 000 §5; payloads in payloads/hive-revoke.ts and payloads/ban-peer.ts):
 * - `HIVE_REVOKE` = 32905: a fleet admin revokes a member node id (spec 000 §5.2).
 * - `BAN_PEER` = 32907: a certified member adds an external attacker to the global ignore list
 *   (spec 000 §5.1 `HIVE_BAN_PEER`).
 * - `JOIN_REFUSED` = 32909: a member names the ticket rule it refused a HELLO for (issue 16 §5).
 * cl-hive does not know them; a cl-hive node drops them as an unknown type.
 */
import { ATTEST_SPEC } from './payloads/attest.ts';
import { BAN_SPEC } from './payloads/ban.ts';
import { BAN_PEER_SPEC } from './payloads/ban-peer.ts';
import { BAN_PROPOSAL_SPEC } from './payloads/ban-proposal.ts';
import { BAN_VOTE_SPEC } from './payloads/ban-vote.ts';
import { CHALLENGE_SPEC } from './payloads/challenge.ts';
import { FULL_SYNC_SPEC } from './payloads/full-sync.ts';
import { GENERIC_SPECS } from './payloads/generic.ts';
import { GOSSIP_SPEC } from './payloads/gossip.ts';
import { HELLO_SPEC } from './payloads/hello.ts';
import { HIVE_REVOKE_SPEC } from './payloads/hive-revoke.ts';
import { INTENT_SPEC } from './payloads/intent.ts';
import { INTENT_ABORT_SPEC } from './payloads/intent-abort.ts';
import { INTENT_ACK_SPEC } from './payloads/intent-ack.ts';
import { JOIN_REFUSED_SPEC } from './payloads/join-refused.ts';
import { MEMBER_LEFT_SPEC } from './payloads/member-left.ts';
import { MSG_ACK_SPEC } from './payloads/msg-ack.ts';
import { PROMOTION_SPEC } from './payloads/promotion.ts';
import { PROMOTION_REQUEST_SPEC } from './payloads/promotion-request.ts';
import { STATE_HASH_SPEC } from './payloads/state-hash.ts';
import { VOUCH_SPEC } from './payloads/vouch.ts';
import { WELCOME_SPEC } from './payloads/welcome.ts';
import type { GateRule, MessageSpec } from './spec.ts';


const SPEC_LIST = [
  HELLO_SPEC,
  CHALLENGE_SPEC,
  ATTEST_SPEC,
  WELCOME_SPEC,
  GOSSIP_SPEC,
  STATE_HASH_SPEC,
  FULL_SYNC_SPEC,
  INTENT_SPEC,
  INTENT_ACK_SPEC,
  INTENT_ABORT_SPEC,
  VOUCH_SPEC,
  BAN_SPEC,
  PROMOTION_SPEC,
  PROMOTION_REQUEST_SPEC,
  MEMBER_LEFT_SPEC,
  BAN_PROPOSAL_SPEC,
  BAN_VOTE_SPEC,
  MSG_ACK_SPEC,
  HIVE_REVOKE_SPEC,
  BAN_PEER_SPEC,
  JOIN_REFUSED_SPEC,
  ...GENERIC_SPECS,
] as const;

type AnySpec = (typeof SPEC_LIST)[number];

/** Every message's spec by name (the one place a type's facts are looked up). */
export type MessageSpecs = { readonly [S in AnySpec as S['name']]: S };

const BY_ID_ORDER = [...SPEC_LIST].sort((a, b) => a.id - b.id);

/** Message name → its spec (wire/spec.ts), in id order. */
export const MESSAGE_SPECS = Object.fromEntries(BY_ID_ORDER.map((s) => [s.name, s])) as unknown as MessageSpecs;

/** A Hive message name (`'GOSSIP'`, `'HIVE_REVOKE'`, …). */
export type MsgType = keyof MessageSpecs;

/** The spec of `type`, typed loosely for table-driven code (`MESSAGE_SPECS[type]` keeps the exact type). */
export function specOf(type: MsgType): MessageSpec<unknown> {
  return MESSAGE_SPECS[type] as MessageSpec<unknown>;
}

/** Message name → Hive message id (the envelope `type`; in spec framing also the BOLT type). */
export const MSG_TYPES = Object.fromEntries(BY_ID_ORDER.map((s) => [s.name, s.id])) as { readonly [K in MsgType]: MessageSpecs[K]['id'] };

/** Every message name, in id order. */
export const MSG_TYPE_NAMES = BY_ID_ORDER.map((s) => s.name) as MsgType[];

/** A type the fleet consumes: its spec has a gate rule (machines/admit.ts). */
export type FleetMsgType = { [K in MsgType]: MessageSpecs[K] extends { readonly gate: GateRule } ? K : never }[MsgType];

const BY_ID: ReadonlyMap<number, MsgType> = new Map(MSG_TYPE_NAMES.map((name) => [MSG_TYPES[name], name]));

/** The message name for an id, or null when the id is not a known Hive type. */
export function msgTypeName(id: number): MsgType | null {
  return BY_ID.get(id) ?? null;
}
