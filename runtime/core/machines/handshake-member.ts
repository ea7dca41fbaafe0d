/**
 * Member side of the handshake: HELLO → (node facts) → CHALLENGE, ATTEST → WELCOME
 * (spec 001 §2.2, spec 000 §4.2–4.3, issue 2 §6; clhive-protocol.md §2.3, §3.5, §15).
 *
 * States per peer: nothing → `pending` (HELLO accepted, waiting for listpeers/listpeerchannels
 * facts) → open challenge (persisted, TTL 300 s) → member (persisted, tier neophyte). Rules:
 * - spec framing: HELLO must carry a valid ticket; cl-hive framing without ticket: only when
 *   `accept_clhive_channel_join` is on, and then only with a CHANNELD_NORMAL channel;
 * - ticket requirements are judged on the peer's negotiated BOLT 9 features, and the ticket is
 *   bound to the first node that presents it (a second node gets `ticket_already_used`);
 * - one HELLO per peer per 10 s, one open challenge per peer, at most 1,000 open (oldest evicted);
 * - only a full member admits (`not_admitting`), and nobody once the hive has `max_members`;
 * - a node we admitted whose WELCOME was lost is challenged again on a new HELLO and gets WELCOME
 *   again on ATTEST (a restarted member answers a retried join);
 * - a refused input changes nothing: no store write, state returned as given; a candidate whose
 *   ticket broke a rule is told which (JOIN_REFUSED, spec framing; join-refusal.ts).
 */
import type { PyJson } from '../canonical/python-json.ts';
import { FLEET_LIMITS } from '../fleet/config.ts';
import { fullSyncParts } from '../fleet/full-sync-parts.ts';
import { err, ok, type Result } from '../result.ts';
import { negotiatedFeatures } from '../ticket/features.ts';
import { checkRequirements, verifyTicket } from '../ticket/verify.ts';
import { type NodeId, type Nonce, toHex, type UnixSeconds } from '../types.ts';
import type { HiveMessageOf } from '../wire/decode.ts';
import { membershipHash } from '../wire/signing/hashes.ts';
import { lightningSignedText } from '../canonical/signed-text.ts';
import { recoverSigner } from '../crypto/lnsign.ts';
import type { Framing } from '../wire/framing.ts';
import { admissionSigningString, type Admission } from '../wire/payloads/admission.ts';
import type { MemberEntry } from '../wire/payloads/welcome.ts';
import { memberEntries } from './admission.ts';
import { verifyAttest } from './handshake-attest.ts';
import { HANDSHAKE_LIMITS } from './handshake-limits.ts';
import {
  refuse,
  type HandshakeEffect,
  type HandshakeInput,
  type HandshakeReject,
  type HandshakeState,
  type HandshakeStep,
  type PeerFacts,
  type PendingAdmission,
  type PendingHello,
} from './handshake-types.ts';
import { refuseJoin } from './join-refusal.ts';
import { applyWrites, isBanned, persist, withEntry, type MembershipState, type OpenChallenge, type StoreWrite } from './membership.ts';

/** Channel state that proves stake for a cl-hive channel join (CLN `listpeerchannels` state). */
export const CHANNEL_PROOF_STATE = 'CHANNELD_NORMAL';

/** True when `peer_id` is a member we admitted ourselves (its WELCOME may have been lost). */
function admittedByUs(s: HandshakeState, peer_id: string): boolean {
  return s.membership.members.get(peer_id as NodeId)?.admission?.by === s.config.our_node_id;
}

/**
 * Checks every input from a would-be joiner must pass: we admit, it is not banned, not a member
 * (with `rejoin`: unless we admitted it, so its retried join is answered), and the hive is not full.
 */
function admissible(s: HandshakeState, peer_id: string, msg_type: string, now_s: UnixSeconds, rejoin = false): Result<void, HandshakeReject> {
  const hive = s.membership.hive;
  if (!hive || hive.our_role !== 'member') return err({ reason: 'not_admitting', peer_id, msg_type });
  if (isBanned(s.membership, peer_id, now_s)) return err({ reason: 'banned', peer_id, msg_type });
  if (s.membership.members.has(peer_id as NodeId)) return rejoin && admittedByUs(s, peer_id) ? ok(undefined) : err({ reason: 'already_member', peer_id, msg_type });
  if (s.membership.members.size >= s.config.max_members) return err({ reason: 'hive_full', peer_id, msg_type, fields: { max_members: s.config.max_members } });
  return ok(undefined);
}

/**
 * HELLO: structural checks, rate limit, join authorisation (ticket or channel join), then ask the
 * node for facts about the peer. The CHALLENGE goes out when the facts arrive.
 */
export function onHello(s: HandshakeState, peer_id: string, msg: HiveMessageOf<'HELLO'>, now_s: UnixSeconds): HandshakeStep {
  const peer = peer_id as NodeId;
  const base = admissible(s, peer_id, 'HELLO', now_s, true);
  if (!base.ok) return refuse(s, base.error);
  if (msg.payload.pubkey !== peer_id) return refuse(s, { reason: 'pubkey_mismatch', peer_id, msg_type: 'HELLO' });
  const last = s.hello_at.get(peer);
  if (last !== undefined && now_s - last < HANDSHAKE_LIMITS.helloInterval_s) return refuse(s, { reason: 'rate_limited', peer_id, msg_type: 'HELLO' });
  if (!s.pending.has(peer) && s.pending.size >= HANDSHAKE_LIMITS.maxPendingFacts) return refuse(s, { reason: 'busy', peer_id, msg_type: 'HELLO' });
  const hello_at = withEntry(s.hello_at, peer, now_s);
  let ticket: PendingHello['ticket'] = null;
  if (msg.payload.ticket !== undefined) {
    const m = s.membership;
    const verified = verifyTicket(msg.payload.ticket, {
      hive_id: m.hive!.hive_id,
      trusted_admins: new Set(m.trusted_admins.keys()),
      now_s,
      node_id: peer_id,
      used_tickets: m.used_tickets,
    });
    if (!verified.ok) return refuseJoin({ ...s, hello_at }, { reason: `ticket_${verified.error.code}`, peer_id, msg_type: 'HELLO', fields: { ...verified.error } }, msg.framing, now_s);
    ticket = verified.value;
  } else if (msg.framing === 'spec') {
    return refuseJoin({ ...s, hello_at }, { reason: 'ticket_required', peer_id, msg_type: 'HELLO' }, msg.framing, now_s);
  } else if (!s.config.accept_clhive_channel_join) {
    return refuse({ ...s, hello_at }, { reason: 'channel_join_disabled', peer_id, msg_type: 'HELLO' });
  }
  const request_id = `facts:${s.next_request}`;
  const pending = withEntry(s.pending, peer, { request_id, framing: msg.framing, ticket, received_at: now_s });
  return {
    state: { ...s, hello_at, pending, next_request: s.next_request + 1 },
    effects: [{ kind: 'fetch_facts', request_id, peer_id: peer }],
    reject: null,
  };
}

/** The oldest open challenge, for eviction at the cap. */
function oldestChallenge(challenges: ReadonlyMap<NodeId, OpenChallenge>): OpenChallenge | null {
  let oldest: OpenChallenge | null = null;
  for (const c of challenges.values()) if (!oldest || c.issued_at < oldest.issued_at) oldest = c;
  return oldest;
}

/**
 * Node facts for a pending HELLO: prove stake (ticket requirements on negotiated features, or a
 * CHANNELD_NORMAL channel), then issue the challenge, bind the ticket and send CHALLENGE.
 */
export function onPeerFacts(
  s: HandshakeState,
  input: { readonly request_id: string; readonly peer_id: string; readonly facts: PeerFacts | null; readonly nonce_bytes: Uint8Array },
  now_s: UnixSeconds,
): HandshakeStep {
  const peer = input.peer_id as NodeId;
  const p = s.pending.get(peer);
  if (!p || p.request_id !== input.request_id) return refuse(s, { reason: 'unexpected_facts', peer_id: input.peer_id });
  if (input.nonce_bytes.length !== 32) throw new RangeError(`nonce_bytes: expected 32 random bytes, got ${input.nonce_bytes.length}`);
  const dropped = { ...s, pending: withEntry(s.pending, peer, undefined) };
  const base = admissible(s, input.peer_id, 'HELLO', now_s, true);
  if (!base.ok) return refuse(dropped, base.error);
  const proven = input.facts?.features_hex == null ? null : negotiatedFeatures(input.facts.features_hex);
  if (!input.facts || !proven) return refuse(dropped, { reason: 'facts_unavailable', peer_id: input.peer_id, msg_type: 'HELLO' });
  if (p.ticket) {
    const req = checkRequirements(p.ticket, proven);
    if (!req.ok) return refuseJoin(dropped, { reason: 'ticket_requirements_not_met', peer_id: input.peer_id, msg_type: 'HELLO', fields: { ...req.error } }, p.framing, now_s);
  } else if (!input.facts.channel_states.includes(CHANNEL_PROOF_STATE)) {
    return refuse(dropped, { reason: 'no_channel', peer_id: input.peer_id, msg_type: 'HELLO', fields: { channel_states: input.facts.channel_states } });
  }
  const hive = s.membership.hive!;
  const challenge: OpenChallenge = {
    peer_id: peer,
    nonce: toHex(input.nonce_bytes) as Nonce,
    hive_id: hive.hive_id,
    framing: p.framing,
    issued_at: now_s,
    join_via: p.ticket ? 'ticket' : 'channel',
    ticket_id: p.ticket?.ticket_id ?? null,
    requirements: p.ticket?.requirements ?? 0,
    min_version: p.ticket?.min_version ?? '',
    features_hex: input.facts.features_hex!,
  };
  const writes: StoreWrite[] = [];
  const effects: HandshakeEffect[] = [];
  const others = s.membership.challenges.size - (s.membership.challenges.has(peer) ? 1 : 0);
  if (others >= HANDSHAKE_LIMITS.maxOpenChallenges) {
    const evict = oldestChallenge(s.membership.challenges)!;
    writes.push({ op: 'delete_challenge', peer_id: evict.peer_id });
    effects.push({ kind: 'log', level: 'info', event: 'challenge_evicted', peer_id: evict.peer_id, fields: { issued_at: evict.issued_at } });
  }
  writes.push({ op: 'put_challenge', challenge });
  if (p.ticket) writes.push({ op: 'use_ticket', use: { ticket_id: p.ticket.ticket_id, used_by: peer, used_at: now_s, expires_at: p.ticket.expires_at } });
  effects.push(...persist(...writes), {
    kind: 'send',
    peer_id: peer,
    framing: p.framing,
    type: 'CHALLENGE',
    payload: { nonce: challenge.nonce, hive_id: hive.hive_id },
  });
  return { state: { ...dropped, membership: applyWrites(s.membership, writes) }, effects, reject: null };
}

/**
 * WELCOME for `peer` over our membership (spec framing carries the rows with their admission proofs).
 * Rows that would pass one message's 65,535 bytes (a hundred members with proofs and addresses) go
 * in several WELCOME parts packed like FULL_SYNC parts (fleet/full-sync-parts.ts): each carries its
 * slice of `members`, the `membership_hash` of that slice, the whole `member_count` and
 * `hivebox_part: {index, count}`; the candidate reassembles them (handshake-candidate.ts). One part
 * carries no tag, byte-identical to an unsplit WELCOME.
 */
function welcome(s: HandshakeState, membership: MembershipState, peer: NodeId, framing: Framing, hive_id: string): HandshakeEffect[] {
  const members = memberEntries(membership);
  const { parts, left_out } = fullSyncParts(members as unknown as PyJson[], [], FLEET_LIMITS.fullSyncBudgetBytes, 0);
  const sends: HandshakeEffect[] = parts.map(({ members: slice }, index) => ({
    kind: 'send',
    peer_id: peer,
    framing,
    type: 'WELCOME',
    payload: {
      hive_id,
      tier: 'neophyte',
      member_count: members.length,
      state_hash: s.fleet_hash,
      members: slice,
      membership_hash: membershipHash(slice as unknown as MemberEntry[]),
      ...(parts.length > 1 ? { hivebox_part: { index, count: parts.length } } : {}),
    },
  }));
  return left_out > 0 ? [...sends, { kind: 'log', level: 'warn', event: 'welcome_rows_left_out', peer_id: peer, fields: { left_out } }] : sends;
}

/**
 * ATTEST: audit against the open challenge, then ask our node to sign the admission proof; the
 * member is written and WELCOME sent when the signature comes back ({@link onAdmissionSigned}).
 * An ATTEST from a node we already admitted (its WELCOME was lost, e.g. we restarted after the
 * admission committed; it retries ATTEST, or re-runs the join, which we challenge again) is
 * answered with WELCOME again: nothing is written but the removal of that repeat challenge.
 */
export function onAttest(s: HandshakeState, peer_id: string, msg: HiveMessageOf<'ATTEST'>, now_s: UnixSeconds): HandshakeStep {
  const peer = peer_id as NodeId;
  const us = s.config.our_node_id;
  const hive = s.membership.hive;
  if (hive && admittedByUs(s, peer_id) && !isBanned(s.membership, peer_id, now_s)) {
    const writes: StoreWrite[] = s.membership.challenges.has(peer) ? [{ op: 'delete_challenge', peer_id: peer }] : [];
    const effects: HandshakeEffect[] = [...persist(...writes), ...welcome(s, s.membership, peer, msg.framing, hive.hive_id), { kind: 'log', level: 'info', event: 'welcome_resent', peer_id }];
    return { state: { ...s, membership: applyWrites(s.membership, writes) }, effects, reject: null };
  }
  const base = admissible(s, peer_id, 'ATTEST', now_s);
  if (!base.ok) return refuse(s, base.error);
  if (s.admitting.has(peer)) return refuse(s, { reason: 'admission_pending', peer_id, msg_type: 'ATTEST' });
  const challenge = s.membership.challenges.get(peer);
  if (!challenge) return refuse(s, { reason: 'no_challenge', peer_id, msg_type: 'ATTEST' });
  if (now_s - challenge.issued_at > HANDSHAKE_LIMITS.challengeTtl_s) {
    return refuse(s, { reason: 'challenge_expired', peer_id, msg_type: 'ATTEST', fields: { issued_at: challenge.issued_at } });
  }
  const audit = verifyAttest(msg, challenge, us, peer_id, now_s);
  if (!audit.ok) return refuseJoin(s, audit.error, msg.framing, now_s);
  const ticket = challenge.ticket_id === null ? null : s.membership.used_tickets.get(challenge.ticket_id);
  const admission: Omit<Admission, 'sig'> = ticket
    ? { by: us, via: 'ticket', ticket_id: ticket.ticket_id, ticket_expires_at: ticket.expires_at }
    : { by: us, via: 'channel' };
  const request_id = `sign:${s.next_request}`;
  const text = lightningSignedText(admissionSigningString(challenge.hive_id, peer, now_s, admission));
  const pending: PendingAdmission = { request_id, text, peer_id: peer, framing: msg.framing, joined_at: now_s, admission, version: audit.value.version, features: audit.value.features };
  return {
    state: { ...s, admitting: withEntry(s.admitting, peer, pending), next_request: s.next_request + 1 },
    effects: [{ kind: 'sign', request_id, text, purpose: 'admission' }],
    reject: null,
  };
}

/** True when `request_id` is one of our pending admission signatures. */
export function isAdmissionRequest(s: HandshakeState, request_id: string): boolean {
  return [...s.admitting.values()].some((p) => p.request_id === request_id);
}

/**
 * Our node signed an admission proof: check it is ours, re-check that we still admit this peer
 * (the hive may have filled meanwhile), then admit as neophyte with the proof and send WELCOME.
 */
export function onAdmissionSigned(s: HandshakeState, input: Extract<HandshakeInput, { kind: 'signed' }>, now_s: UnixSeconds): HandshakeStep {
  const p = [...s.admitting.values()].find((x) => x.request_id === input.request_id)!;
  const dropped = { ...s, admitting: withEntry(s.admitting, p.peer_id, undefined) };
  if (!input.result.ok) return refuse(dropped, { reason: 'signer_failed', peer_id: p.peer_id, fields: { detail: input.result.reason } });
  const sig = input.result.zbase;
  if (recoverSigner(p.text, sig) !== s.config.our_node_id) return refuse(dropped, { reason: 'bad_signer_output', peer_id: p.peer_id, fields: { request_id: p.request_id } });
  const base = admissible(s, p.peer_id, 'ATTEST', now_s);
  if (!base.ok) return refuse(dropped, base.error);
  const challenge = s.membership.challenges.get(p.peer_id);
  if (!challenge) return refuse(dropped, { reason: 'no_challenge', peer_id: p.peer_id, msg_type: 'ATTEST' });
  const writes: StoreWrite[] = [
    { op: 'put_member', member: { node_id: p.peer_id, tier: 'neophyte', joined_at: p.joined_at, addresses: [], admission: { ...p.admission, sig } } },
    { op: 'delete_challenge', peer_id: p.peer_id },
  ];
  const membership = applyWrites(s.membership, writes);
  return {
    state: { ...dropped, membership },
    effects: [
      ...persist(...writes),
      ...welcome(s, membership, p.peer_id, p.framing, challenge.hive_id),
      { kind: 'event', name: 'member_admitted', peer_id: p.peer_id, via: challenge.join_via, version: p.version, features: p.features },
      { kind: 'log', level: 'info', event: 'member_admitted', peer_id: p.peer_id, fields: { via: challenge.join_via, ticket_id: challenge.ticket_id } },
    ],
    reject: null,
  };
}

/** Timer: drop expired challenges (store), stale facts requests and old rate-limit stamps (memory). */
export function memberTick(s: HandshakeState, now_s: UnixSeconds): HandshakeStep {
  const writes: StoreWrite[] = [];
  for (const c of s.membership.challenges.values()) {
    if (now_s - c.issued_at > HANDSHAKE_LIMITS.challengeTtl_s) writes.push({ op: 'delete_challenge', peer_id: c.peer_id });
  }
  const pending = new Map([...s.pending].filter(([, p]) => now_s - p.received_at <= HANDSHAKE_LIMITS.factsTimeout_s));
  const hello_at = new Map([...s.hello_at].filter(([, t]) => now_s - t < HANDSHAKE_LIMITS.helloInterval_s));
  const effects: HandshakeEffect[] = persist(...writes);
  if (writes.length) effects.push({ kind: 'log', level: 'info', event: 'challenges_expired', fields: { count: writes.length } });
  return { state: { ...s, membership: applyWrites(s.membership, writes), pending, hello_at }, effects, reject: null };
}
