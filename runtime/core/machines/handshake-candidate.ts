/**
 * Candidate side of the handshake: join → HELLO → CHALLENGE → (two node-key signatures) →
 * ATTEST → WELCOME (spec 001 §2.2, spec 000 §4.2, issue 2 §6; clhive-protocol.md §2.3).
 *
 * Holes closed relative to cl-hive (clhive-protocol.md §15 items 2–3):
 * - a CHALLENGE is answered only from a member we sent HELLO to, only once per HELLO, only in a
 *   framing we used, and only for a nonce of exactly 64 lowercase hex characters — so no peer can
 *   use us as a signing oracle;
 * - in spec framing we sign `hive:challenge:<hive_id>:<member_node_id>:<nonce>`, not the bare nonce;
 * - the node's signatures are checked against our node id before use (the port is not trusted);
 * - WELCOME is accepted only from that member, only after our ATTEST, only for the hive it
 *   challenged us for, and our tier is always neophyte whatever the message says.
 */
import { lightningSignedText } from '../canonical/signed-text.ts';
import { recoverSigner } from '../crypto/lnsign.ts';
import { decodeTicket } from '../ticket/codec.ts';
import { isNodeId, isNonce, type NodeId, type UnixSeconds } from '../types.ts';
import type { HiveMessageOf } from '../wire/decode.ts';
import type { Framing } from '../wire/framing.ts';
import { stepFraming, UNKNOWN_FRAMING, type FramingEffect, type PeerFraming } from '../wire/framing-choice.ts';
import { manifestSigningString } from '../wire/payloads/attest.ts';
import type { MemberEntry } from '../wire/payloads/welcome.ts';
import { challengeSigningString } from '../wire/payloads/challenge.ts';
import { membershipHash } from '../wire/signing/hashes.ts';
import { partTagOf } from '../fleet/full-sync-parts.ts';
import { HANDSHAKE_LIMITS } from './handshake-limits.ts';
import {
  refuse,
  type CandidateJoin,
  type HandshakeEffect,
  type HandshakeInput,
  type HandshakeState,
  type HandshakeStep,
  type RejectReason,
  type SendEffect,
} from './handshake-types.ts';
import { admissionSigned, admitRecord, ticketUse, type RecordContext, type RecordRefusal } from './admission.ts';
import { applyWrites, persist, withEntry, type MemberRecord, type StoreWrite } from './membership.ts';

/** HELLO `protocol_version` / `supported_versions` we announce (cl-hive `SUPPORTED_VERSIONS`). */
const PROTOCOL_VERSION = 1;
const SUPPORTED_VERSIONS = [1, 2];

function hello(s: HandshakeState, member_id: NodeId, framing: Framing, ticketText: string | null): SendEffect {
  return {
    kind: 'send',
    peer_id: member_id,
    framing,
    type: 'HELLO',
    payload: {
      pubkey: s.config.our_node_id,
      protocol_version: PROTOCOL_VERSION,
      supported_versions: SUPPORTED_VERSIONS,
      ...(ticketText === null ? {} : { ticket: ticketText }),
    },
  };
}

/** HELLO sends for the framing strategy's `send_hello` effects; `no_answer` is handled by the caller. */
function hellos(s: HandshakeState, member_id: NodeId, effects: readonly FramingEffect[], ticketText: string | null): SendEffect[] {
  return effects.flatMap((e) => (e.kind === 'send_hello' ? [hello(s, member_id, e.framing, ticketText)] : []));
}

/** End a join without WELCOME: drop it, log, tell other subsystems. */
function failJoin(s: HandshakeState, member_id: NodeId, reason: RejectReason, fields?: Record<string, unknown>, detail?: string): HandshakeStep {
  const refused = refuse({ ...s, joins: withEntry(s.joins, member_id, undefined) }, { reason, peer_id: member_id, ...(fields ? { fields } : {}) });
  return { ...refused, effects: [...refused.effects, { kind: 'event', name: 'join_failed', member_id, reason, ...(detail === undefined ? {} : { detail }) }] };
}

/**
 * JOIN_REFUSED from the member we are joining (before WELCOME): the join ends at once with the
 * member's rule and detail (join-refusal.ts is the member side). From anyone else: refused.
 */
export function onJoinRefused(s: HandshakeState, peer_id: string, msg: HiveMessageOf<'JOIN_REFUSED'>): HandshakeStep {
  const join = s.joins.get(peer_id as NodeId);
  if (!join) return refuse(s, { reason: 'unsolicited_refusal', peer_id, msg_type: 'JOIN_REFUSED' });
  const { rule, detail } = msg.payload;
  return failJoin(s, join.member_id, rule, { rule, detail }, detail);
}

/**
 * Operator `hive-join`: start a join with one member. HELLO goes out in the framing asked for; in
 * `auto` mode spec framing first (cl-hive framing after the first-contact timeout), or straight
 * cl-hive framing when there is no ticket. A join already under way with that member is replaced
 * (the operator retrying a stuck join restarts the handshake).
 */
export function onJoin(s: HandshakeState, input: Extract<HandshakeInput, { kind: 'join' }>, now_s: UnixSeconds): HandshakeStep {
  const member_id = input.member_id;
  if (!isNodeId(member_id) || member_id === s.config.our_node_id) return refuse(s, { reason: 'invalid_join', peer_id: member_id });
  if (s.membership.hive) return refuse(s, { reason: 'already_in_hive', peer_id: member_id, fields: { hive_id: s.membership.hive.hive_id } });
  let ticket = null;
  if (input.ticket !== undefined) {
    const decoded = decodeTicket(input.ticket);
    if (!decoded.ok) return refuse(s, { reason: 'ticket_malformed', peer_id: member_id, fields: { ...decoded.error } });
    if (now_s > decoded.value.expires_at) return refuse(s, { reason: 'ticket_expired', peer_id: member_id, fields: { expires_at: decoded.value.expires_at } });
    ticket = decoded.value;
  } else if (input.framing === 'spec') {
    return refuse(s, { reason: 'ticket_required', peer_id: member_id });
  }
  // A ticketless join exists only in cl-hive framing (spec-framing HELLO must carry a ticket).
  const mode = input.framing === 'auto' && input.ticket === undefined ? 'clhive' : input.framing;
  const initial: PeerFraming = mode === 'auto' ? UNKNOWN_FRAMING : { phase: 'known', framing: mode };
  const contact = stepFraming(member_id, initial, { kind: 'contact' }, now_s, s.config.framing);
  const sends = hellos(s, member_id, contact.effects, input.ticket ?? null);
  const join: CandidateJoin = {
    phase: 'hello_sent',
    member_id,
    framing: contact.state,
    hello_framings: sends.map((e) => e.framing),
    ticket,
    ticket_text: input.ticket ?? null,
    features: [...input.features],
    started_at: now_s,
  };
  const old = s.joins.get(member_id);
  const restarted: HandshakeEffect[] = old ? [{ kind: 'log', level: 'info', event: 'join_restarted', peer_id: member_id, fields: { phase: old.phase, started_at: old.started_at } }] : [];
  return { state: { ...s, joins: withEntry(s.joins, member_id, join) }, effects: [...restarted, ...sends], reject: null };
}

/** CHALLENGE: answer only what we asked for, then ask the node to sign nonce string and manifest. */
export function onChallenge(s: HandshakeState, peer_id: string, msg: HiveMessageOf<'CHALLENGE'>, now_s: UnixSeconds): HandshakeStep {
  const join = s.joins.get(peer_id as NodeId);
  if (!join) return refuse(s, { reason: 'unsolicited_challenge', peer_id, msg_type: 'CHALLENGE' });
  if (join.phase !== 'hello_sent') return refuse(s, { reason: 'unexpected_challenge', peer_id, msg_type: 'CHALLENGE', fields: { phase: join.phase } });
  if (!join.hello_framings.includes(msg.framing)) return refuse(s, { reason: 'framing_mismatch', peer_id, msg_type: 'CHALLENGE' });
  const { nonce, hive_id } = msg.payload;
  if (!isNonce(nonce)) return refuse(s, { reason: 'bad_nonce', peer_id, msg_type: 'CHALLENGE' });
  if (join.ticket && hive_id !== join.ticket.hive_id) return refuse(s, { reason: 'hive_mismatch', peer_id, msg_type: 'CHALLENGE', fields: { expected: join.ticket.hive_id, got: hive_id } });
  const manifest = { pubkey: s.config.our_node_id, version: s.config.our_version, features: [...join.features], timestamp: now_s, nonce };
  const n = s.next_request;
  const nonce_request = {
    request_id: `sign:${n}`,
    text: lightningSignedText(challengeSigningString(msg.framing, { hive_id, member_node_id: join.member_id, nonce })),
    zbase: null,
  };
  const manifest_request = { request_id: `sign:${n + 1}`, text: lightningSignedText(manifestSigningString(manifest)), zbase: null };
  const next: CandidateJoin = { phase: 'signing', member_id: join.member_id, ticket: join.ticket, started_at: join.started_at, framing: msg.framing, hive_id, manifest, nonce_request, manifest_request };
  return {
    state: { ...s, joins: withEntry(s.joins, join.member_id, next), next_request: n + 2 },
    effects: [
      { kind: 'sign', request_id: nonce_request.request_id, text: nonce_request.text, purpose: 'challenge' },
      { kind: 'sign', request_id: manifest_request.request_id, text: manifest_request.text, purpose: 'manifest' },
    ],
    reject: null,
  };
}

/** A node-key signature came back: check it is ours over the requested text; send ATTEST when both are in. */
export function onSigned(s: HandshakeState, input: Extract<HandshakeInput, { kind: 'signed' }>, now_s: UnixSeconds): HandshakeStep {
  const join = [...s.joins.values()].find(
    (j) => j.phase === 'signing' && [j.nonce_request, j.manifest_request].some((r) => r.request_id === input.request_id && r.zbase === null),
  );
  if (!join || join.phase === 'hello_sent') return refuse(s, { reason: 'unexpected_signature', fields: { request_id: input.request_id } });
  const which = join.nonce_request.request_id === input.request_id ? 'nonce_request' : 'manifest_request';
  if (!input.result.ok) return failJoin(s, join.member_id, 'signer_failed', { detail: input.result.reason });
  if (recoverSigner(join[which].text, input.result.zbase) !== s.config.our_node_id) return failJoin(s, join.member_id, 'bad_signer_output', { request_id: input.request_id });
  const updated = { ...join, [which]: { ...join[which], zbase: input.result.zbase } };
  const nonce_signature = updated.nonce_request.zbase;
  const manifest_signature = updated.manifest_request.zbase;
  if (nonce_signature === null || manifest_signature === null) return { state: { ...s, joins: withEntry(s.joins, join.member_id, updated) }, effects: [], reject: null };
  const attested = { ...updated, phase: 'attested' as const, attest_sent_at: now_s };
  return { state: { ...s, joins: withEntry(s.joins, join.member_id, attested) }, effects: [attestOf(attested, nonce_signature, manifest_signature)], reject: null };
}

/** The ATTEST of a join whose two signatures are in (sent once, then again on every retry). */
function attestOf(join: Extract<CandidateJoin, { phase: 'signing' | 'attested' }>, nonce_signature: string, manifest_signature: string): SendEffect {
  const m = join.manifest;
  return {
    kind: 'send',
    peer_id: join.member_id,
    framing: join.framing,
    type: 'ATTEST',
    payload: {
      pubkey: m.pubkey,
      version: m.version,
      features: m.features,
      nonce_signature,
      manifest_signature,
      manifest: m,
      ...(join.framing === 'spec' ? { hive_id: join.hive_id, member_node_id: join.member_id } : {}),
    },
  };
}

/**
 * The membership a WELCOME gives us. The welcomer is the member we chose and attested to, so its
 * word on who is a full member stands (promotions carry no proof; the founder has none); a full
 * member's admission proof, when present, must verify. Every neophyte row must carry an admission
 * signed by one of those full members and pass machines/admission.ts (ticket single use,
 * `max_members`); the rest are refused. We keep our own proof (signed by the welcomer) to show later.
 */
function welcomeWrites(
  s: HandshakeState,
  join: Extract<CandidateJoin, { phase: 'signing' | 'attested' }>,
  entries: readonly MemberEntry[],
  now_s: UnixSeconds,
): { writes: StoreWrite[]; refused: Record<string, RecordRefusal> } {
  const us = s.config.our_node_id;
  const welcomer = join.member_id;
  const hive_id = join.hive_id;
  const full = new Set<string>([welcomer, ...entries.filter((e) => e.tier !== 'neophyte').map((e) => e.peer_id)]);
  const proven = (e: MemberEntry): boolean => e.admission !== undefined && full.has(e.admission.by) && e.admission.by !== e.peer_id && admissionSigned(hive_id, e.peer_id, e.joined_at, e.admission);
  const ours = entries.find((e) => e.peer_id === us);
  const ourProof = ours && ours.admission?.by === welcomer && proven(ours) ? ours : undefined;
  const refused: Record<string, RecordRefusal> = {};
  const row = (e: MemberEntry | undefined, node_id: NodeId, tier: 'member' | 'neophyte', joined_at: number): StoreWrite[] => {
    const admission = e && proven(e) ? e.admission : undefined;
    const member: MemberRecord = { node_id, tier, joined_at, addresses: [...(e?.addresses ?? [])], ...(admission ? { admission } : {}) };
    return [{ op: 'put_member', member }, ...ticketUse(node_id, joined_at, admission)];
  };
  const writes: StoreWrite[] = [
    { op: 'put_hive', hive: { hive_id, created_at: now_s, our_node_id: us, our_role: 'neophyte' } },
    ...row(entries.find((e) => e.peer_id === welcomer), welcomer, 'member', entries.find((e) => e.peer_id === welcomer)?.joined_at ?? now_s),
    ...row(ourProof, us, 'neophyte', ourProof?.joined_at ?? now_s),
    ...(join.ticket ? [{ op: 'use_ticket', use: { ticket_id: join.ticket.ticket_id, used_by: us, used_at: now_s, expires_at: join.ticket.expires_at } } as const] : []),
  ];
  for (const e of entries.filter((x) => x.tier !== 'neophyte' && x.peer_id !== us && x.peer_id !== welcomer)) {
    if (e.admission !== undefined && !proven(e)) refused[e.peer_id] = 'bad_admission_signature';
    else writes.push(...row(e, e.peer_id as NodeId, 'member', e.joined_at));
  }
  let membership = applyWrites(s.membership, writes);
  for (const e of entries.filter((x) => x.tier === 'neophyte' && x.peer_id !== us && x.peer_id !== welcomer)) {
    const ctx: RecordContext = { membership, hive_id, our_node_id: us, max_members: s.config.max_members, departedAt: () => null, mayAdmit: (id) => full.has(id), now_s };
    const r = admitRecord(e, ctx);
    if (!r.ok) {
      refused[e.peer_id] = r.reason;
      continue;
    }
    writes.push(...r.writes);
    membership = applyWrites(membership, r.writes);
  }
  return { writes, refused };
}

/**
 * WELCOME: only from the member we attested to; record the hive with us as neophyte. A WELCOME in
 * several parts (`hivebox_part`, handshake-member.ts) is kept part by part in the join until all
 * `count` are there, then taken as one (its rows must number `member_count`, each node once); a part
 * with another `count` or `member_count` starts the set again (the membership changed meanwhile).
 */
export function onWelcome(s: HandshakeState, peer_id: string, msg: HiveMessageOf<'WELCOME'>, now_s: UnixSeconds): HandshakeStep {
  const join = s.joins.get(peer_id as NodeId);
  if (!join) return refuse(s, { reason: 'unsolicited_welcome', peer_id, msg_type: 'WELCOME' });
  if (join.phase !== 'attested') return refuse(s, { reason: 'welcome_before_attest', peer_id, msg_type: 'WELCOME', fields: { phase: join.phase } });
  const p = msg.payload;
  if (p.hive_id !== join.hive_id) return refuse(s, { reason: 'hive_mismatch', peer_id, msg_type: 'WELCOME', fields: { expected: join.hive_id, got: p.hive_id } });
  if (p.members !== undefined && p.membership_hash !== undefined && membershipHash(p.members) !== p.membership_hash) {
    return refuse(s, { reason: 'membership_hash_mismatch', peer_id, msg_type: 'WELCOME' });
  }
  const tag = partTagOf(msg.raw);
  let members = p.members ?? [];
  if (tag !== null && tag.count > 1) {
    const round = join.welcome_parts;
    const same = round?.count === tag.count && round.member_count === p.member_count;
    const parts = new Map(same ? round.members : []).set(tag.index, members);
    if (parts.size < tag.count) {
      const waiting = { ...join, welcome_parts: { count: tag.count, member_count: p.member_count, members: parts } };
      return { state: { ...s, joins: withEntry(s.joins, join.member_id, waiting) }, effects: [], reject: null };
    }
    members = [...parts.keys()].sort((a, b) => a - b).flatMap((i) => parts.get(i)!);
    if (members.length !== p.member_count || new Set(members.map((m) => m.peer_id)).size !== members.length) {
      const dropped = { ...s, joins: withEntry(s.joins, join.member_id, { ...join, welcome_parts: undefined }) };
      return refuse(dropped, { reason: 'welcome_parts_mismatch', peer_id, msg_type: 'WELCOME', fields: { member_count: p.member_count, rows: members.length } });
    }
  }
  const { writes, refused } = welcomeWrites(s, join, members, now_s);
  if (join.ticket) writes.push({ op: 'put_trusted_admin', admin: { admin_pubkey: join.ticket.admin_pubkey, added_at: now_s } });
  const effects: HandshakeEffect[] = [...persist(...writes)];
  if (p.tier !== 'neophyte') effects.push({ kind: 'log', level: 'warn', event: 'tier_overridden', peer_id, fields: { claimed_tier: p.tier, recorded_tier: 'neophyte' } });
  if (Object.keys(refused).length) effects.push({ kind: 'log', level: 'warn', event: 'welcome_rows_refused', peer_id, fields: { refused } });
  effects.push({ kind: 'event', name: 'joined', hive_id: join.hive_id, member_id: join.member_id }, { kind: 'log', level: 'info', event: 'joined', peer_id, fields: { hive_id: join.hive_id } });
  return { state: { ...s, membership: applyWrites(s.membership, writes), joins: new Map() }, effects, reject: null };
}

/**
 * Timer: abandon joins older than 300 s; re-send ATTEST of joins waiting for WELCOME every 10 s;
 * for joins still waiting for CHALLENGE, let the first-contact strategy repeat HELLO in cl-hive
 * framing or give up (`no_answer`).
 */
export function candidateTick(s: HandshakeState, now_s: UnixSeconds): HandshakeStep {
  let joins = s.joins;
  const effects: HandshakeEffect[] = [];
  const fail = (member_id: NodeId, reason: RejectReason) => {
    joins = withEntry(joins, member_id, undefined);
    effects.push({ kind: 'event', name: 'join_failed', member_id, reason });
  };
  for (const join of s.joins.values()) {
    if (now_s - join.started_at > HANDSHAKE_LIMITS.joinTimeout_s) {
      fail(join.member_id, 'join_timeout');
      continue;
    }
    if (join.phase === 'attested') {
      if (now_s - (join.attest_sent_at ?? join.started_at) < HANDSHAKE_LIMITS.attestRetry_s) continue;
      joins = withEntry(joins, join.member_id, { ...join, attest_sent_at: now_s });
      effects.push(attestOf(join, join.nonce_request.zbase!, join.manifest_request.zbase!), { kind: 'log', level: 'info', event: 'attest_resent', peer_id: join.member_id });
      continue;
    }
    if (join.phase !== 'hello_sent') continue;
    const f = stepFraming(join.member_id, join.framing, { kind: 'tick' }, now_s, s.config.framing);
    if (f.effects.some((e) => e.kind === 'no_answer')) {
      fail(join.member_id, 'no_answer');
      continue;
    }
    const sends = hellos(s, join.member_id, f.effects, join.ticket_text);
    joins = withEntry(joins, join.member_id, { ...join, framing: f.state, hello_framings: [...join.hello_framings, ...sends.map((e) => e.framing)] });
    effects.push(...sends);
  }
  return { state: { ...s, joins }, effects, reject: null };
}
