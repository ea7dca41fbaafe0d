/**
 * Which framing to use toward a peer, as pure logic (issue 2 §2 "first-contact strategy").
 *
 * Strategy:
 * 1. A framing pinned for the peer in config is always used.
 * 2. Once a peer sends us any Hive message, the framing it used is its framing (the latest
 *    message decides; BOLT 8 authenticates the peer, so nobody else can change it).
 * 3. First contact with a peer of unknown framing: send HELLO in **spec** framing. A cl-hive node
 *    silently ignores spec framing, so if no Hive answer (normally CHALLENGE) arrives within the
 *    challenge timeout (default 30 s, per-peer override), send HELLO again in **clhive** framing.
 *    If that is not answered within the timeout either, report `no_answer`; a later `contact`
 *    starts over.
 *
 * `stepFraming(peer_id, state, input, now_s, config)` returns the next state and effects; an input
 * that does not apply in the current phase returns the state unchanged and no effects.
 */
import type { UnixSeconds } from '../types.ts';
import type { Framing } from './framing.ts';

/** Per-peer override. */
export interface PeerFramingOverride {
  /** Always use this framing with the peer (no probing). */
  readonly framing?: Framing;
  /** Seconds to wait for an answer to HELLO before falling back. */
  readonly challenge_timeout_s?: number;
}

/** Framing strategy configuration. */
export interface FramingConfig {
  /** Seconds to wait for an answer to a HELLO before trying the next framing. */
  readonly challenge_timeout_s: number;
  /** Overrides keyed by peer node id. */
  readonly per_peer?: Readonly<Record<string, PeerFramingOverride>>;
}

/** Default: 30 s per framing attempt (a CHALLENGE normally arrives within one round trip). */
export const DEFAULT_FRAMING_CONFIG: FramingConfig = { challenge_timeout_s: 30 };

/** What we know about one peer's framing. */
export type PeerFraming =
  | { readonly phase: 'unknown' }
  /** HELLO sent in spec framing at `sent_at`, waiting for an answer. */
  | { readonly phase: 'hello_spec'; readonly sent_at: UnixSeconds }
  /** Spec HELLO went unanswered; HELLO sent in clhive framing at `sent_at`. */
  | { readonly phase: 'hello_clhive'; readonly sent_at: UnixSeconds }
  /** Neither framing answered. */
  | { readonly phase: 'no_answer'; readonly since: UnixSeconds }
  | { readonly phase: 'known'; readonly framing: Framing };

/** Inputs of the framing strategy. */
export type FramingInput =
  /** We want to start a handshake with the peer (send HELLO). */
  | { readonly kind: 'contact' }
  /** A Hive message from the peer arrived in `framing`. */
  | { readonly kind: 'received'; readonly framing: Framing }
  /** Time passed; checks the answer timeout. */
  | { readonly kind: 'tick' };

/** Effects for the caller to carry out. */
export type FramingEffect =
  /** Build and send HELLO to the peer in `framing`. */
  | { readonly kind: 'send_hello'; readonly framing: Framing }
  /** Neither framing was answered: log it; do not retry until the next `contact`. */
  | { readonly kind: 'no_answer' };

/** A step's result. */
export interface FramingStep {
  readonly state: PeerFraming;
  readonly effects: readonly FramingEffect[];
}

/** The initial state of a peer never heard from. */
export const UNKNOWN_FRAMING: PeerFraming = { phase: 'unknown' };

function timeoutFor(peerId: string, config: FramingConfig): number {
  return config.per_peer?.[peerId]?.challenge_timeout_s ?? config.challenge_timeout_s;
}

/**
 * Advance one peer's framing state.
 * @param now_s unix seconds.
 * @returns next state and effects; unchanged state and no effects when the input does not apply.
 */
export function stepFraming(peerId: string, state: PeerFraming, input: FramingInput, now_s: UnixSeconds, config: FramingConfig): FramingStep {
  const pinned = config.per_peer?.[peerId]?.framing;
  switch (input.kind) {
    case 'received':
      return { state: { phase: 'known', framing: pinned ?? input.framing }, effects: [] };
    case 'contact': {
      if (state.phase === 'hello_spec' || state.phase === 'hello_clhive') return { state, effects: [] };
      if (pinned !== undefined) return { state: { phase: 'known', framing: pinned }, effects: [{ kind: 'send_hello', framing: pinned }] };
      if (state.phase === 'known') return { state, effects: [{ kind: 'send_hello', framing: state.framing }] };
      return { state: { phase: 'hello_spec', sent_at: now_s }, effects: [{ kind: 'send_hello', framing: 'spec' }] };
    }
    case 'tick': {
      if (state.phase !== 'hello_spec' && state.phase !== 'hello_clhive') return { state, effects: [] };
      if (now_s - state.sent_at < timeoutFor(peerId, config)) return { state, effects: [] };
      if (state.phase === 'hello_spec') {
        return { state: { phase: 'hello_clhive', sent_at: now_s }, effects: [{ kind: 'send_hello', framing: 'clhive' }] };
      }
      return { state: { phase: 'no_answer', since: now_s }, effects: [{ kind: 'no_answer' }] };
    }
  }
}

/**
 * The framing to encode any message to this peer in: the pinned one, else the known one, else
 * the one of the HELLO currently in flight, else spec.
 */
export function framingFor(peerId: string, state: PeerFraming, config: FramingConfig): Framing {
  const pinned = config.per_peer?.[peerId]?.framing;
  if (pinned !== undefined) return pinned;
  if (state.phase === 'known') return state.framing;
  if (state.phase === 'hello_clhive') return 'clhive';
  return 'spec';
}
