/**
 * The demo's running commentary: each engine event of each fleet node as one line, with node ids
 * replaced by the fleet names (A, B, C) so the handshake reads as it happens:
 *
 *   [B] → A  HELLO (spec framing)
 *   [A] lightningd on B: negotiated splice, dual-fund, anchor, onion-msg; channel CHANNELD_NORMAL
 *   [A] → B  CHALLENGE (spec framing)
 *
 * Pure formatting; the caller decides where lines go.
 */
import { negotiatedFeatures } from '../core/ticket/features.ts';
import type { EngineEvent } from '../node/events.ts';

/** What each message type means in the handshake, for the line after the arrow. */
const MEANING: Readonly<Record<string, string>> = {
  HELLO: 'asks to join, with its ticket',
  CHALLENGE: 'a fresh nonce to sign',
  ATTEST: 'nonce and manifest signed with its node key',
  WELCOME: 'admitted as neophyte, with the member list',
  FULL_SYNC: 'signed snapshot: member list and fleet states',
  STATE_HASH: 'signed fleet and membership hashes, to compare',
  GOSSIP: 'signed state: capacity, fees, topology',
  MSG_ACK: 'acknowledged',
};

/**
 * A function turning one node's event into a line (null for events not worth a line). A signer
 * approval gives its prompt line once, then the outcome; countdown ticks give no line.
 * @param names node id → fleet name; unknown ids are shortened.
 */
export function narrator(names: ReadonlyMap<string, string>): (node: string, e: EngineEvent) => string | null {
  const name = (id: string) => names.get(id) ?? `${id.slice(0, 10)}…`;
  const prompted = new Set<string>();
  return (node, e) => {
    const at = `[${node}]`;
    switch (e.kind) {
      case 'send_failed':
        return `${at} → ${name(e.peer_id)}  ${e.type} not sent: ${e.error}`;
      case 'sent':
        return `${at} → ${name(e.peer_id)}  ${e.type.padEnd(9)} ${MEANING[e.type] ?? ''} (${e.framing} framing)`;
      case 'peer_facts': {
        const proven = e.features_hex === null ? null : negotiatedFeatures(e.features_hex);
        const feats = proven ? [...proven].join(', ') || 'none of splice/dual-fund/anchor/onion-msg' : 'not connected';
        return `${at} lightningd on ${name(e.peer_id)}: negotiated ${feats}; channels ${e.channel_states.join(', ') || 'none'}`;
      }
      case 'node_signed':
        return `${at} lightningd signmessage with the node key: ${e.purpose}${e.ok ? '' : ' FAILED'}`;
      case 'member_admitted':
        return `${at} admitted ${name(e.peer_id)} as neophyte (${e.via})`;
      case 'joined':
        return `${at} joined ${e.hive_id} through ${name(e.member_id)}`;
      case 'join_failed':
        return `${at} join through ${name(e.member_id)} failed: ${e.reason}`;
      case 'fleet_event':
        return `${at} fleet: ${e.name.replace(/_/g, ' ')} ${JSON.stringify(e.fields, (_k, v: unknown) => (typeof v === 'string' && names.has(v) ? names.get(v) : v))}`;
      case 'rejected':
        return `${at} refused ${e.type ?? 'input'}${e.peer_id ? ` from ${name(e.peer_id)}` : ''}: ${e.reason}`;
      case 'dropped':
        return `${at} dropped ${e.type ?? 'message'} from ${name(e.peer_id)}: ${e.reason}`;
      case 'approval':
        if (e.state === 'done') {
          prompted.delete(node);
          return `${at} signer: ${e.outcome}`;
        }
        if (prompted.has(node)) return null;
        prompted.add(node);
        return `${at} ${e.prompt} (${e.seconds_left} s)`;
      case 'received':
      case 'swarm_binding':
        return null;
    }
  };
}
