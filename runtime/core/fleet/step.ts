/**
 * `fleetStep(state, input, now_s, facts) → {state, effects, reject}`: the fleet engine's single
 * entry point (issue 4). Messages pass the admission gate (machines/admit.ts) and go to their
 * handler through `HANDLERS` (a missing type is a compile error); the step then records the event
 * id of a reliable message, acknowledges it to the peer that delivered it (MSG_ACK), applies implicit
 * acks, and follows membership changes with fee-policy effects (machines/fee-routing.ts) and a
 * re-check of the GOSSIP kept because its sender was not a member yet (machines/pending-gossip.ts).
 *
 * A refused input returns the given state, no persist effect, one warn log and the reject — except
 * that a duplicate or refused reliable message is still answered with MSG_ACK (a reply, not a
 * state change) so the sender's outbox stops or backs off.
 */
import { admit, type Admitted, type FleetMsgType } from '../machines/admit.ts';
import { gossipAdoption } from '../machines/admission.ts';
import { antiEntropyTick, withConnection } from '../machines/anti-entropy.ts';
import { eventIdOf } from '../machines/event-id.ts';
import { banPeerCommand, onBanPeer } from '../machines/ban-peer.ts';
import { banTick, onBanProposal, onBanVote, proposeBan, voteBan } from '../machines/ban-vote.ts';
import { feeTick, followMembership, onMemberChannels, suggestFee } from '../machines/fee-routing.ts';
import { gossipTick, onGossip, onLocalStatus } from '../machines/gossip.ts';
import { intentTick, onIntent, onIntentAbort, onIntentResult, proposeIntent } from '../machines/intent-lock.ts';
import { leaveCommand, onMemberLeft } from '../machines/member-left.ts';
import { implicitAck, onMsgAck, outboxTick, sendAck } from '../machines/outbox.ts';
import { actionsTick, onOperatorDecision } from '../machines/pending-actions.ts';
import { expirePendingGossip, keepPendingGossip, takePendingGossip } from '../machines/pending-gossip.ts';
import { onPromotion, onPromotionRequest, onVouch, requestPromotion, vouchCommand } from '../machines/promotion.ts';
import { onRevoke, revokeCommand } from '../machines/revocation.ts';
import { onFullSync, onStateHash, sendFullSync, sendStateHash, sendWelcomeSync } from '../machines/state-sync.ts';
import type { NodeId, UnixSeconds } from '../types.ts';
import { decodeHiveMessage, type DecodeOutcome, type HiveMessageOf } from '../wire/decode.ts';
import type { RawPayload } from '../wire/envelope.ts';
import type { Framing } from '../wire/framing.ts';
import { MSG_TYPES } from '../wire/message-types.ts';
import { validatePayload } from '../wire/schemas.ts';
import { Change, refuse } from './change.ts';
import { FLEET_LIMITS } from './config.ts';
import { completeSignature, deliver } from './outgoing.ts';
import { broadcastRecipients, isCertified } from './roster.ts';
import { keyOf } from './tables.ts';
import type { FleetCommand, FleetInput, FleetReject, FleetState, FleetStep, NodeFacts } from './types.ts';

/** A message handler: gets an admitted message, returns the step. */
type Handler<K extends FleetMsgType> = (s: FleetState, a: Admitted<K>, now_s: UnixSeconds, facts: NodeFacts) => FleetStep;

/** The handler of every fleet message type. */
export const HANDLERS: { readonly [K in FleetMsgType]: Handler<K> } = {
  GOSSIP: (s, a, _now, facts) => onGossip(s, a, facts),
  STATE_HASH: (s, a, now_s) => onStateHash(s, a, now_s),
  FULL_SYNC: onFullSync,
  INTENT: (s, a, now_s) => onIntent(s, a, now_s),
  INTENT_ABORT: (s, a) => onIntentAbort(s, a),
  PROMOTION_REQUEST: (s, a, now_s) => onPromotionRequest(s, a, now_s),
  VOUCH: (s, a, now_s) => onVouch(s, a, now_s),
  PROMOTION: (s, a, now_s) => onPromotion(s, a, now_s),
  MEMBER_LEFT: (s, a, now_s) => onMemberLeft(s, a, now_s),
  BAN_PROPOSAL: (s, a, now_s) => onBanProposal(s, a, now_s),
  BAN_VOTE: (s, a, now_s) => onBanVote(s, a, now_s),
  MSG_ACK: (s, a) => onMsgAck(s, a),
  HIVE_REVOKE: (s, a, now_s) => onRevoke(s, a, now_s),
  BAN_PEER: (s, a, now_s) => onBanPeer(s, a, now_s),
};

/** Handler rejects the sender should retry later (ordering), rather than drop. */
const RETRY_LATER: ReadonlySet<FleetReject['reason']> = new Set(['unknown_proposal', 'target_not_member', 'target_not_neophyte', 'unknown_request']);

/** Run an admitted message through its handler, then the per-message bookkeeping. */
function handle(s: FleetState, a: Admitted, now_s: UnixSeconds, facts: NodeFacts): FleetStep {
  const r = (HANDLERS[a.message.type] as Handler<FleetMsgType>)(s, a, now_s, facts);
  const fromPeer = a.peer_id !== s.config.our_node_id;
  if (r.reject) {
    if (a.event_id === null || !fromPeer) return r;
    const c = new Change(r.state);
    sendAck(c, a.peer_id, a.event_id, RETRY_LATER.has(r.reject.reason) ? 'retry_later' : 'invalid', now_s);
    return { state: r.state, effects: [...r.effects, ...c.effects], reject: r.reject };
  }
  const c = new Change(fromPeer ? withConnection(r.state, a.peer_id, true) : r.state).emit(...r.effects);
  if (fromPeer) learnFraming(c, a.peer_id, a.framing, now_s);
  if (a.event_id !== null) {
    c.put('events', { event_id: a.event_id, msg_type: a.message.type, sender_id: a.sender_id, received_at: now_s });
    if (fromPeer) sendAck(c, a.peer_id, a.event_id, 'ok', now_s);
  }
  implicitAck(c, a);
  return c.done();
}

/** Remember (durably) the framing `peer_id` speaks, when it changed. */
function learnFraming(c: Change, peer_id: NodeId, framing: Framing, now_s: UnixSeconds): void {
  if (c.state.tables.framings.get(peer_id)?.framing !== framing) c.put('framings', { peer_id, framing, learned_at: now_s });
}

/**
 * A GOSSIP whose sender we do not hold but whose `hivebox_member` row passes machines/admission.ts:
 * adopt the sender, then run the GOSSIP on that state — both or neither.
 */
function withAdoptedSender(s: FleetState, input: Extract<FleetInput, { kind: 'message' }>, outcome: DecodeOutcome, now_s: UnixSeconds, facts: NodeFacts): FleetStep | null {
  if (outcome.kind !== 'message') return null;
  const writes = gossipAdoption(s, outcome.message, now_s);
  if (writes === null) return null;
  const c = new Change(s);
  for (const w of writes) c.member(w);
  c.log('info', 'member_adopted', { via: 'gossip' }, String(outcome.message.raw.sender_id));
  const gate = admit(c.state, input.peer_id, outcome, now_s);
  const r = gate.ok ? handle(c.state, gate.value, now_s, facts) : null;
  return r && !r.reject ? { ...r, effects: [...c.effects, ...r.effects] } : null;
}

/**
 * A message from a peer: gate, then handler. A GOSSIP from a sender we do not hold is first
 * tried with the member row it carries (`withAdoptedSender`). A GOSSIP refused only for now
 * (sender not a member yet, claims not verifiable yet) is kept for a re-check (machines/pending-gossip.ts).
 * @param received_at when it first arrived (a re-check passes the original time).
 */
function onMessage(s: FleetState, input: Extract<FleetInput, { kind: 'message' }>, now_s: UnixSeconds, facts: NodeFacts, received_at = now_s): FleetStep {
  const outcome = input.message instanceof Uint8Array ? decodeHiveMessage(input.message) : input.message;
  const adopted = withAdoptedSender(s, input, outcome, now_s, facts);
  if (adopted) return adopted;
  const gate = admit(s, input.peer_id, outcome, now_s);
  if (gate.ok) {
    const r = handle(s, gate.value, now_s, facts);
    return r.reject ? keepIfPending(r, input.peer_id, outcome, received_at) : r;
  }
  // A type we do not implement is no fault of the peer: no warning (the engine counts it and logs it once at debug).
  if (gate.error.reason === 'unhandled_type') return { state: s, effects: [], reject: gate.error };
  const r = refuse(s, gate.error);
  const event_id = gate.error.fields?.event_id;
  if (gate.error.reason !== 'duplicate' || typeof event_id !== 'string') return keepIfPending(r, input.peer_id, outcome, received_at);
  const c = new Change(s);
  sendAck(c, input.peer_id as NodeId, event_id, 'ok', now_s);
  return { ...r, effects: [...r.effects, ...c.effects] };
}

function keepIfPending(r: FleetStep, peer_id: string, outcome: DecodeOutcome, received_at: number): FleetStep {
  const state = keepPendingGossip(r.state, peer_id, outcome, r.reject!, received_at);
  if (state === r.state) return r;
  const log = { kind: 'log', level: 'info', event: 'gossip_pending', fields: { reason: r.reject!.reason }, peer_id } as const;
  return { state, effects: [...r.effects, log], reject: r.reject };
}

/** Judge every kept GOSSIP again (membership or public graph changed); what is still early is kept again. */
function recheckPending(r: FleetStep, now_s: UnixSeconds, facts: NodeFacts): FleetStep {
  const { state, taken } = takePendingGossip(r.state);
  if (taken.length === 0) return r;
  const c = new Change(state).emit(...r.effects);
  for (const p of taken) {
    const x = onMessage(c.state, { kind: 'message', peer_id: p.peer_id, message: p.outcome }, now_s, facts, p.received_at);
    c.state = x.state;
    if (!x.reject) c.emit(...x.effects).log('info', 'pending_gossip_accepted', { sender_id: p.sender_id, waited_s: now_s - p.received_at }, p.peer_id);
    else if (!c.state.pending_gossip.has(p.sender_id)) c.log('info', 'pending_gossip_refused', { sender_id: p.sender_id, reason: x.reject.reason }, p.peer_id);
  }
  return { state: c.state, effects: c.effects, reject: r.reject };
}

function sameMemberSet(a: FleetState, b: FleetState): boolean {
  const x = a.membership.members;
  const y = b.membership.members;
  return x.size === y.size && [...x.keys()].every((k) => y.has(k));
}

/** A signature came back: send the message; our own governance messages go through our handler too. */
function onSigned(s: FleetState, input: Extract<FleetInput, { kind: 'signed' }>, now_s: UnixSeconds, facts: NodeFacts): FleetStep {
  const c = new Change(s);
  const done = completeSignature(c, input.request_id, input.result);
  if (!done.ok) {
    const r = refuse(c.state, done.error);
    return { ...r, state: c.state };
  }
  const { pending, payload } = done.value;
  deliver(c, pending.type, payload, pending.recipients, now_s, pending.reliable, pending.retry_of);
  const own = c.state.tables.states.get(s.config.our_node_id);
  if (pending.type === 'GOSSIP' && pending.framing === 'spec' && own && own.version === payload.version) c.put('states', { ...own, signature: String(payload.signature) });
  if (!pending.self_apply) return c.done();
  const view = validatePayload(pending.type, 'spec', payload);
  if (!view.ok) return c.log('warn', 'self_apply_invalid', { msg_type: pending.type, error: view.error }).done();
  const message = { framing: 'spec', type: pending.type, type_id: MSG_TYPES[pending.type], version: 1, payload: view.value, raw: payload } as unknown as HiveMessageOf<FleetMsgType>;
  const us = s.config.our_node_id;
  const sender_id = pending.signer === us ? us : (String(payload.admin_pubkey) as NodeId);
  const a: Admitted = { message, peer_id: us, sender_id, relayed: false, event_id: eventIdOf(pending.type, payload as RawPayload), framing: 'spec' };
  const r = handle(c.state, a, now_s, facts);
  return { state: r.state, effects: [...c.effects, ...r.effects], reject: null };
}

function onCommand(s: FleetState, cmd: FleetCommand, now_s: UnixSeconds): FleetStep {
  switch (cmd.name) {
    case 'propose_intent':
      return proposeIntent(s, cmd, now_s);
    case 'request_promotion':
      return requestPromotion(s, cmd, now_s);
    case 'vouch':
      return vouchCommand(s, cmd, now_s);
    case 'propose_ban':
      return proposeBan(s, cmd, now_s);
    case 'vote_ban':
      return voteBan(s, cmd, now_s);
    case 'revoke':
      return revokeCommand(s, cmd, now_s);
    case 'ban_peer':
      return banPeerCommand(s, cmd, now_s);
    case 'leave':
      return leaveCommand(s, cmd, now_s);
    case 'suggest_fee':
      return suggestFee(s, cmd, now_s);
  }
}

function onTick(s: FleetState, entropy: Uint8Array, now_s: UnixSeconds, facts: NodeFacts): FleetStep {
  const c = new Change(s);
  gossipTick(c, now_s, facts);
  intentTick(c, now_s);
  actionsTick(c, now_s);
  banTick(c, now_s);
  outboxTick(c, now_s, entropy);
  antiEntropyTick(c, now_s, entropy);
  feeTick(c, now_s);
  expirePendingGossip(c, now_s);
  for (const e of c.state.tables.events.values()) if (now_s - e.received_at > FLEET_LIMITS.eventRetention_s) c.del('events', keyOf(e.event_id));
  return c.done();
}

function dispatch(s: FleetState, input: FleetInput, now_s: UnixSeconds, facts: NodeFacts): FleetStep {
  switch (input.kind) {
    case 'message':
      return onMessage(s, input, now_s, facts);
    case 'signed':
      return onSigned(s, input, now_s, facts);
    case 'tick':
      return onTick(s, input.entropy, now_s, facts);
    case 'local_status':
      return onLocalStatus(s, input.status, now_s, facts);
    case 'peer_disconnected':
      return new Change(withConnection(s, input.peer_id, false)).done();
    case 'peer_connected': {
      const c = new Change(withConnection(s, input.peer_id, true));
      syncWithMember(c, input.peer_id, now_s);
      return c.done();
    }
    case 'membership': {
      const c = new Change({ ...s, membership: input.membership });
      const peer = input.admitted ?? input.joined_via;
      if (peer !== undefined && input.framing !== undefined) learnFraming(c, peer as NodeId, input.framing, now_s);
      if (input.admitted !== undefined) {
        // The newcomer needs the whole fleet state; the others only the new member list (issue 19 §5:
        // a full round to every member made one join cost N × parts messages).
        const recipients = broadcastRecipients(c.state, now_s);
        if (recipients.includes(input.admitted as NodeId)) sendWelcomeSync(c, input.admitted as NodeId, now_s);
        sendFullSync(c, recipients.filter((id) => id !== input.admitted), now_s, { states: false });
      }
      if (input.joined_via !== undefined) sendStateHash(c, input.joined_via as NodeId, now_s);
      return c.done();
    }
    case 'facts_changed':
      return recheckPending(new Change(s).done(), now_s, facts);
    case 'member_channels':
      return onMemberChannels(s, input.peer_id, input.channels, now_s);
    case 'intent_result':
      return onIntentResult(s, input.intent_id, input.ok, now_s, input.detail);
    case 'operator_decision':
      return onOperatorDecision(s, input.action_id, input.decision, now_s, input.reason);
    case 'command':
      return onCommand(s, input.command, now_s);
  }
}

/**
 * Advance the fleet by one input.
 * @param now_s unix seconds.
 * @param facts lookups over the node's view of the network (only GOSSIP and FULL_SYNC read them).
 * @returns the next state and effects; `reject` names the rule when the input was refused.
 */
export function fleetStep(s: FleetState, input: FleetInput, now_s: UnixSeconds, facts: NodeFacts): FleetStep {
  const r = dispatch(s, input, now_s, facts);
  if (r.reject || r.state.membership.members === s.membership.members) return r;
  const c = new Change(r.state).emit(...r.effects);
  followMembership(c, s, now_s);
  if (sameMemberSet(s, c.state)) return c.done();
  c.set({ membership_changed_at: now_s });
  if (input.kind !== 'membership') askNewlyConnectedMembers(c, s, now_s);
  return recheckPending(c.done(), now_s, facts);
}

/**
 * A member we learned of from a message (an admission FULL_SYNC, an admission proof in a GOSSIP)
 * while already connected to it gets our STATE_HASH, as on `peer_connected`: its STATE_HASH on
 * connecting came before we knew it and was refused, so without this neither side would ask
 * until the next anti-entropy period (machines/anti-entropy.ts, 120 s + jitter). Our own join and
 * our own admissions (`membership` inputs) already send STATE_HASH / the welcome round.
 */
function askNewlyConnectedMembers(c: Change, before: FleetState, now_s: UnixSeconds): void {
  if (!isCertified(before, before.config.our_node_id, now_s)) return;
  for (const id of c.state.anti_entropy.connected) if (!isCertified(before, id, now_s)) syncWithMember(c, id, now_s);
}

/** The on-connect sync: our STATE_HASH to `peer_id` when it and we are certified members now. */
function syncWithMember(c: Change, peer_id: string, now_s: UnixSeconds): void {
  const s = c.state;
  const us = s.config.our_node_id;
  if (peer_id !== us && isCertified(s, peer_id, now_s) && isCertified(s, us, now_s)) sendStateHash(c, peer_id as NodeId, now_s);
}
