/**
 * The handshake's single entry point: `handshakeStep(state, input, now_s) → {state, effects, reject}`
 * routes each input to the member side (HELLO, ATTEST, node facts) or the candidate side (join,
 * CHALLENGE, WELCOME, JOIN_REFUSED, signatures — an admission proof's signature goes to the member side); a tick runs both (issue 2 §6). See handshake-types.ts for the
 * driver's duties per effect.
 */
import { candidateTick, onChallenge, onJoin, onJoinRefused, onSigned, onWelcome } from './handshake-candidate.ts';
import { isAdmissionRequest, memberTick, onAdmissionSigned, onAttest, onHello, onPeerFacts } from './handshake-member.ts';
import { refuse, type HandshakeInput, type HandshakeState, type HandshakeStep } from './handshake-types.ts';
import type { UnixSeconds } from '../types.ts';

/** Hive message types the handshake consumes; the driver routes these here. */
export const HANDSHAKE_TYPES: ReadonlySet<string> = new Set(['HELLO', 'CHALLENGE', 'ATTEST', 'WELCOME', 'JOIN_REFUSED']);

/**
 * Advance the handshake by one input.
 * @param now_s unix seconds.
 * @returns the next state and effects; `reject` names the rule when the input was refused.
 * @throws RangeError only for driver misuse: `nonce_bytes` not 32 bytes, `fleet_hash` not 64 hex.
 */
export function handshakeStep(s: HandshakeState, input: HandshakeInput, now_s: UnixSeconds): HandshakeStep {
  switch (input.kind) {
    case 'message': {
      const { peer_id, message } = input;
      switch (message.type) {
        case 'HELLO':
          return onHello(s, peer_id, message, now_s);
        case 'ATTEST':
          return onAttest(s, peer_id, message, now_s);
        case 'CHALLENGE':
          return onChallenge(s, peer_id, message, now_s);
        case 'WELCOME':
          return onWelcome(s, peer_id, message, now_s);
        case 'JOIN_REFUSED':
          return onJoinRefused(s, peer_id, message);
        default:
          return refuse(s, { reason: 'unexpected_message', peer_id, msg_type: message.type });
      }
    }
    case 'peer_facts':
      return onPeerFacts(s, input, now_s);
    case 'join':
      return onJoin(s, input, now_s);
    case 'signed':
      return isAdmissionRequest(s, input.request_id) ? onAdmissionSigned(s, input, now_s) : onSigned(s, input, now_s);
    case 'fleet_hash':
      if (!/^[0-9a-f]{64}$/.test(input.fleet_hash)) throw new RangeError('fleet_hash: expected 64 lowercase hex characters');
      return { state: { ...s, fleet_hash: input.fleet_hash }, effects: [], reject: null };
    case 'tick': {
      const m = memberTick(s, now_s);
      const c = candidateTick(m.state, now_s);
      return { state: c.state, effects: [...m.effects, ...c.effects], reject: null };
    }
  }
}
