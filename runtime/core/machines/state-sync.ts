/**
 * Anti-entropy: HIVE_STATE_HASH and HIVE_FULL_SYNC (spec 001 §3.2; clhive-protocol.md §2.3, §4.2–4.4).
 *
 * - A member that connects, and the member that welcomed us, get our signed STATE_HASH (fleet hash
 *   and membership hash exactly as cl-hive computes them). A newly admitted member triggers a
 *   FULL_SYNC broadcast.
 * - A STATE_HASH that differs in fleet or membership hash is answered with a signed FULL_SYNC, at
 *   most one round per peer per 60 s — except once per peer after each change of the set of members
 *   (issue 13: the mismatch right after a join must be repaired at once, not after the cooldown;
 *   the receiving side's cooldown is waived the same way for a full member's FULL_SYNC). A round is
 *   as many self-contained parts of ≤ 60 kB as its members and states need
 *   (fleet/full-sync-parts.ts); each part's `fleet_hash` is the hash of exactly its states (the
 *   codec checks it on receipt).
 * - Receiving FULL_SYNC (at most one round per sender per 60 s): membership merge adds an unknown member
 *   as neophyte only through a verified admission (machines/admission.ts: signed by a full member,
 *   ticket not used by another node, within `max_members`; a neophyte's or a cl-hive peer's
 *   unproven rows add nobody) and fills missing addresses — it never demotes, removes, re-adds a
 *   departed or banned node, or upgrades a tier (only a PROMOTION with a verified quorum does; cl-hive's
 *   FULL_SYNC tier upgrade is §15 item 7). States merge takes an entry only with a strictly higher
 *   version, only for a member, only with the member's own GOSSIP signature on it (spec framing;
 *   unsigned entries are taken from cl-hive-framing peers only), and only with verifiable
 *   capacity claims. An entry about us with a higher version than ours (signed by us) replaces our
 *   own, so a node that lost its store resumes above what the fleet saw.
 */
import { lightningSignedText } from '../canonical/signed-text.ts';
import type { PyJson } from '../canonical/python-json.ts';
import { recoverSigner } from '../crypto/lnsign.ts';
import { Change, refuse } from '../fleet/change.ts';
import { FLEET_LIMITS } from '../fleet/config.ts';
import { continuesRound, fullSyncParts, partTagOf, roundAfterPart } from '../fleet/full-sync-parts.ts';
import { requestSignature } from '../fleet/outgoing.ts';
import { isCertified, isFullMember } from '../fleet/roster.ts';
import type { StateRow } from '../fleet/tables.ts';
import type { FleetState, FleetStep, NodeFacts } from '../fleet/types.ts';
import type { NodeId, UnixSeconds } from '../types.ts';
import type { RawPayload } from '../wire/envelope.ts';
import { FIELD_LIMITS } from '../wire/limits.ts';
import { gossipSigningString } from '../wire/payloads/gossip.ts';
import type { StateEntry } from '../wire/payloads/full-sync.ts';
import { membershipHash, statesHash } from '../wire/signing/hashes.ts';
import type { Admitted } from './admit.ts';
import { admitRecord, fleetRecordContext, memberEntries, type RecordRefusal } from './admission.ts';
import { currentFleetHash, verifyClaims } from './gossip.ts';

/** Our membership hash (clhive-protocol.md §4.3). */
export function currentMembershipHash(s: FleetState): string {
  return membershipHash(memberEntries(s.membership));
}

/** Send our signed STATE_HASH to `peer_id`. */
export function sendStateHash(c: Change, peer_id: NodeId, now_s: UnixSeconds): void {
  const s = c.state;
  const payload = {
    fleet_hash: currentFleetHash(s),
    peer_count: s.tables.states.size,
    timestamp: now_s,
    membership_hash: currentMembershipHash(s),
    sender_id: s.config.our_node_id,
  };
  requestSignature(c, { type: 'STATE_HASH', payload, purpose: 'state_hash', recipients: [peer_id] });
}

function stateEntry(r: StateRow): Record<string, PyJson> {
  return {
    peer_id: r.peer_id,
    capacity_sats: r.capacity_sats,
    available_sats: r.available_sats,
    fee_policy: { ...r.fee_policy },
    topology: [...r.topology],
    version: r.version,
    last_update: r.last_update,
    timestamp: r.last_update,
    state_hash: r.state_hash,
    addresses: [...r.addresses],
    capabilities: [...r.capabilities],
    ...(r.signature ? { signature: r.signature } : {}),
  };
}

/**
 * Send a signed FULL_SYNC round (all members, states newest first — or none with `states: false` —
 * in as many parts as they need) to `recipients` (none: nothing is sent).
 */
export function sendFullSync(c: Change, recipients: readonly NodeId[], now_s: UnixSeconds, opts: { readonly states?: boolean } = {}): void {
  if (recipients.length === 0) return;
  const s = c.state;
  const rows = opts.states === false ? [] : [...s.tables.states.values()].sort((a, b) => b.last_update - a.last_update);
  const { parts, left_out } = fullSyncParts(memberEntries(s.membership) as unknown as PyJson[], rows.map(stateEntry), FLEET_LIMITS.fullSyncBudgetBytes, FIELD_LIMITS.fullSyncStates);
  if (left_out > 0) c.log('warn', 'full_sync_items_left_out', { left_out });
  const sent = new Map(s.full_sync_sent);
  for (const r of recipients) sent.set(r, now_s);
  c.set({ full_sync_sent: sent });
  for (const [index, { members, states }] of parts.entries()) {
    const tag = parts.length > 1 ? { hivebox_part: { index, count: parts.length } } : {};
    const payload = { states, fleet_hash: statesHash(states as never), timestamp: now_s, members, sender_id: s.config.our_node_id, ...tag };
    requestSignature(c, { type: 'FULL_SYNC', payload: payload as never, purpose: 'full_sync', recipients });
  }
}

/**
 * The FULL_SYNC cooldown that started at `last` (seconds) is waived once per membership change:
 * when the set of members changed at or after `last` and `key` (`sent:<peer>` / `seen:<peer>`)
 * has not used this change's waiver yet.
 */
function waiveCooldown(s: FleetState, key: string, last: number): boolean {
  const changed = s.membership_changed_at;
  return changed !== null && changed >= last && s.cooldown_waived.get(key) !== changed;
}

function markWaived(c: Change, key: string): void {
  c.set({ cooldown_waived: new Map(c.state.cooldown_waived).set(key, c.state.membership_changed_at!) });
}

/**
 * The admitted node's first FULL_SYNC round (members and states), sent in the step that admits it.
 * That round already carries the membership change, so it uses up the newcomer's cooldown waiver
 * for the change (`membership_changed_at` = `now_s`, set by the same step): the STATE_HASH the
 * newcomer sends on WELCOME, before the round reached it, gets no second round (issue 19 §5: a
 * second round, stamped the same second, doubled a join's FULL_SYNC parts and was then refused
 * part by part as a repeat). A round lost on the way is repaired by anti-entropy after the cooldown.
 */
export function sendWelcomeSync(c: Change, newcomer: NodeId, now_s: UnixSeconds): void {
  sendFullSync(c, [newcomer], now_s);
  c.set({ cooldown_waived: new Map(c.state.cooldown_waived).set(`sent:${newcomer}`, now_s) });
}

/** STATE_HASH: on any mismatch answer with FULL_SYNC (rate limited per peer, except right after a membership change). */
export function onStateHash(s: FleetState, a: Admitted<'STATE_HASH'>, now_s: UnixSeconds): FleetStep {
  const p = a.message.payload;
  const fleetMatch = p.fleet_hash === currentFleetHash(s);
  const membersMatch = p.membership_hash === undefined || p.membership_hash === currentMembershipHash(s);
  const c = new Change(s);
  if (fleetMatch && membersMatch) return c.done();
  const last = s.full_sync_sent.get(a.peer_id);
  if (last !== undefined && now_s - last < FLEET_LIMITS.fullSyncCooldown_s) {
    if (!waiveCooldown(s, `sent:${a.peer_id}`, last)) return c.log('info', 'full_sync_suppressed', { last_sent: last }, a.peer_id).done();
    markWaived(c, `sent:${a.peer_id}`);
  }
  sendFullSync(c, [a.peer_id], now_s);
  return c.done();
}

/** The member's own spec-framing GOSSIP signature on a FULL_SYNC entry. */
function entrySigned(e: StateEntry, raw: RawPayload): boolean {
  const sig = raw.signature;
  if (typeof sig !== 'string') return false;
  const signed = {
    sender_id: e.peer_id,
    timestamp: e.last_update ?? e.timestamp ?? 0,
    version: e.version,
    state_hash: e.state_hash ?? '',
    capacity_sats: raw.capacity_sats ?? 0,
    available_sats: raw.available_sats ?? 0,
    fee_policy: raw.fee_policy ?? {},
    topology: raw.topology ?? [],
  };
  return recoverSigner(lightningSignedText(gossipSigningString(signed as RawPayload, 'spec')), sig) === e.peer_id;
}

/** The `addresses` an entry carries (not in cl-hive's entry schema, so capped here). */
function addressesOf(raw: RawPayload): string[] {
  const list = Array.isArray(raw.addresses) ? raw.addresses : [];
  return list.filter((x): x is string => typeof x === 'string' && x.length <= FIELD_LIMITS.addressChars).slice(0, FIELD_LIMITS.addressesItems);
}

/** Known rows fill missing addresses; unknown rows are added only through a verified admission. */
function mergeMembers(c: Change, a: Admitted<'FULL_SYNC'>, now_s: UnixSeconds): { added: number; refused: Record<string, RecordRefusal> } {
  let added = 0;
  const refused: Record<string, RecordRefusal> = {};
  for (const e of a.message.payload.members ?? []) {
    const id = e.peer_id as NodeId;
    const known = c.state.membership.members.get(id);
    if (known) {
      if (known.addresses.length === 0 && e.addresses?.length) c.member({ op: 'put_member', member: { ...known, addresses: [...e.addresses] } });
      continue;
    }
    const r = admitRecord(e, fleetRecordContext(c.state, now_s));
    if (!r.ok) {
      if (r.reason !== 'is_us') refused[id] = r.reason;
      continue;
    }
    for (const w of r.writes) c.member(w);
    if (e.tier !== 'neophyte') c.log('info', 'tier_not_adopted', { claimed_tier: e.tier }, id);
    added++;
  }
  return { added, refused };
}

/**
 * FULL_SYNC: merge members, then states (rules in the file header). The cooldown does not hold
 * back a full member's FULL_SYNC that names a member we would add: that is an admission broadcast,
 * and a second admission within 60 s must still reach the members admitted before it.
 */
export function onFullSync(s: FleetState, a: Admitted<'FULL_SYNC'>, now_s: UnixSeconds, facts: NodeFacts): FleetStep {
  const seen = s.full_sync_seen.get(a.peer_id);
  const admission = isFullMember(s, a.peer_id, now_s) && (a.message.payload.members ?? []).some((e) => !s.membership.members.has(e.peer_id as NodeId) && admitRecord(e, fleetRecordContext(s, now_s)).ok);
  const round = a.message.payload.timestamp;
  const tag = partTagOf(a.message.raw);
  const cooling = seen !== undefined && now_s - seen < FLEET_LIMITS.fullSyncCooldown_s && !admission && !continuesRound(s.full_sync_rounds, a.peer_id, round, tag);
  const waived = cooling && isFullMember(s, a.peer_id, now_s) && waiveCooldown(s, `seen:${a.peer_id}`, seen);
  if (cooling && !waived) {
    return refuse(s, { reason: 'rate_limited', peer_id: a.peer_id, msg_type: 'FULL_SYNC', fields: { last_processed: seen } });
  }
  const c = new Change(s).set({
    full_sync_seen: new Map(s.full_sync_seen).set(a.peer_id, now_s),
    full_sync_rounds: roundAfterPart(s.full_sync_rounds, a.peer_id, round, tag),
  });
  if (waived) markWaived(c, `seen:${a.peer_id}`);
  const { added: members_added, refused: members_refused } = mergeMembers(c, a, now_s);
  const rawStates = (a.message.raw.states ?? []) as readonly RawPayload[];
  const skipped: Record<string, string> = {};
  let taken = 0;
  a.message.payload.states.forEach((e, i) => {
    const raw = rawStates[i]!;
    const st = c.state;
    const id = e.peer_id as NodeId;
    const existing = st.tables.states.get(id);
    if (existing && e.version <= existing.version) return;
    if (id === st.config.our_node_id) c.log('warn', 'own_version_behind', { ours: existing?.version ?? null, seen: e.version });
    else if (!isCertified(st, id, now_s)) return void (skipped[id] = 'not_member');
    if (!entrySigned(e, raw) && (a.framing === 'spec' || raw.signature !== undefined)) return void (skipped[id] = 'unsigned_state');
    const topology = e.topology ?? [];
    const claims = verifyClaims(id, e.capacity_sats, topology, facts);
    if (!claims.ok) return void (skipped[id] = 'capacity_unverified');
    c.put('states', {
      peer_id: id,
      capacity_sats: e.capacity_sats,
      available_sats: e.available_sats,
      fee_policy: { ...(e.fee_policy ?? {}) },
      topology: [...topology],
      version: e.version,
      last_update: e.last_update ?? e.timestamp ?? 0,
      state_hash: e.state_hash ?? '',
      addresses: addressesOf(raw),
      capabilities: [...(e.capabilities ?? [])],
      verified_capacity: claims.verified,
      signature: typeof raw.signature === 'string' ? raw.signature : '',
      stale: 0,
    });
    taken++;
  });
  c.log('info', 'full_sync_merged', { states_taken: taken, members_added, members_refused, skipped }, a.peer_id);
  return c.done();
}
