/**
 * One node's whole Hive protocol as a single sans-IO step: the handshake machine (auth,
 * machines/handshake-step.ts) and the fleet engine (fleet/step.ts) over ONE membership state.
 * This is the seam the daemon's `HiveEngine` drives:
 *
 *   hiveStep(state, input, now_s, facts) → { state, effects, reject }
 *
 * Routing: a custom message is decoded once; HELLO / CHALLENGE / ATTEST / WELCOME go to the
 * handshake, everything else through the fleet's admission gate. `signed` answers go back to the
 * machine whose request id it is (`fleet:` prefix → fleet). `join` / `peer_facts` are handshake
 * inputs; `tick` runs both; every other input is the fleet's.
 *
 * Sharing: when a handshake step changes the membership (admission, join) the fleet gets a
 * `membership` input carrying it — with `admitted` (→ FULL_SYNC broadcast, 0-fee routing) or
 * `joined_via` (→ STATE_HASH to the welcomer) taken from the handshake's events, and the framing
 * the handshake ran in (kept, durably, for every later message to that peer) — and after every
 * fleet step the handshake gets the fleet's membership and fleet hash (reported in WELCOME).
 * Driver duties for every effect kind: machines/handshake-types.ts and fleet/types.ts; both
 * machines' `persist` and the fleet's `persist_fleet` go into one `FleetStore.commit`.
 */
import { handshakeStep, HANDSHAKE_TYPES } from '../machines/handshake-step.ts';
import type { HandshakeEffect, HandshakeInput, HandshakeReject, HandshakeState } from '../machines/handshake-types.ts';
import { currentFleetHash } from '../machines/gossip.ts';
import type { NodeId, UnixSeconds } from '../types.ts';
import { decodeHiveMessage } from '../wire/decode.ts';
import { fleetStep } from './step.ts';
import type { FleetEffect, FleetInput, FleetReject, FleetState, NodeFacts } from './types.ts';

/** Both machines' state; `handshake.membership` and `fleet.membership` are always the same object. */
export interface HiveNodeState {
  readonly handshake: HandshakeState;
  readonly fleet: FleetState;
}

/** Every input of a node (a `membership` input is for a driver that changed members elsewhere). */
export type HiveNodeInput = FleetInput | Extract<HandshakeInput, { kind: 'join' | 'peer_facts' }>;

/** Every effect of a node (duties in handshake-types.ts and fleet/types.ts). */
export type HiveNodeEffect = FleetEffect | HandshakeEffect;

/** Result of one node step. */
export interface HiveNodeStep {
  readonly state: HiveNodeState;
  readonly effects: readonly HiveNodeEffect[];
  readonly reject: FleetReject | HandshakeReject | null;
}

/** A node state over a handshake state and a fleet state loaded from the same store. */
export function hiveNodeState(handshake: HandshakeState, fleet: FleetState): HiveNodeState {
  return { handshake: { ...handshake, membership: fleet.membership, fleet_hash: currentFleetHash(fleet) }, fleet };
}

function afterFleet(s: HiveNodeState, fleet: FleetState): HiveNodeState {
  return { fleet, handshake: { ...s.handshake, membership: fleet.membership, fleet_hash: currentFleetHash(fleet) } };
}

function viaHandshake(s: HiveNodeState, input: HandshakeInput, now_s: UnixSeconds, facts: NodeFacts): HiveNodeStep {
  const h = handshakeStep(s.handshake, input, now_s);
  if (h.state.membership === s.fleet.membership) return { state: { ...s, handshake: h.state }, effects: h.effects, reject: h.reject };
  let admitted: string | undefined;
  let joined_via: string | undefined;
  for (const e of h.effects) {
    if (e.kind === 'event' && e.name === 'member_admitted') admitted = e.peer_id;
    if (e.kind === 'event' && e.name === 'joined') joined_via = e.member_id;
  }
  // The framing the handshake ran in: that of the message that completed it (ATTEST, WELCOME),
  // or of the HELLO the open challenge was issued for (a cl-hive join admitted on peer facts).
  const peer = admitted ?? joined_via;
  const framing = input.kind === 'message' ? input.message.framing : peer === undefined ? undefined : s.fleet.membership.challenges.get(peer as NodeId)?.framing;
  const change = { ...(admitted ? { admitted } : {}), ...(joined_via ? { joined_via } : {}), ...(framing ? { framing } : {}) };
  const f = fleetStep(s.fleet, { kind: 'membership', membership: h.state.membership, ...change }, now_s, facts);
  return { state: afterFleet({ ...s, handshake: h.state }, f.state), effects: [...h.effects, ...f.effects], reject: h.reject };
}

function viaFleet(s: HiveNodeState, input: FleetInput, now_s: UnixSeconds, facts: NodeFacts): HiveNodeStep {
  const f = fleetStep(s.fleet, input, now_s, facts);
  return { state: afterFleet(s, f.state), effects: f.effects, reject: f.reject };
}

/**
 * Advance one node by one input.
 * @param now_s unix seconds.
 * @param facts the node's network lookups (fleet/public-capacity.ts).
 * @returns the next state and all effects; `reject` is the refusing machine's typed reject.
 */
export function hiveStep(s: HiveNodeState, input: HiveNodeInput, now_s: UnixSeconds, facts: NodeFacts): HiveNodeStep {
  switch (input.kind) {
    case 'message': {
      const outcome = input.message instanceof Uint8Array ? decodeHiveMessage(input.message) : input.message;
      if (outcome.kind === 'message' && HANDSHAKE_TYPES.has(outcome.message.type)) {
        return viaHandshake(s, { kind: 'message', peer_id: input.peer_id, message: outcome.message }, now_s, facts);
      }
      return viaFleet(s, { kind: 'message', peer_id: input.peer_id, message: outcome }, now_s, facts);
    }
    case 'signed':
      return input.request_id.startsWith('fleet:') ? viaFleet(s, input, now_s, facts) : viaHandshake(s, input, now_s, facts);
    case 'join':
    case 'peer_facts':
      return viaHandshake(s, input, now_s, facts);
    case 'tick': {
      const h = viaHandshake(s, { kind: 'tick' }, now_s, facts);
      const f = viaFleet(h.state, input, now_s, facts);
      return { state: f.state, effects: [...h.effects, ...f.effects], reject: null };
    }
    default:
      return viaFleet(s, input, now_s, facts);
  }
}
