/**
 * Swarm key binding statements (issue 10 §2): a member's Lightning node key vouches for the
 * hyperswarm Noise public key it uses, so a swarm connection can be mapped to a node_id.
 *
 * Signed text: T = lightningSignedText(S) with S the cl-hive JSON-canonical form
 * (clhive-protocol.md §3.2) of {domain, expires_at, hive_id, issued_at, node_id, swarm_key};
 * the signature is Lightning `signmessage` zbase32 made with the member's node key (CLN
 * lightning-signmessage(7)), so lightningd can sign it and `recoverSigner` verifies it locally.
 * The `domain` field keeps a binding from ever equalling another message's signed string.
 *
 * Where it travels: as the first frame on every swarm connection (`encodeBindingFrame`) and in
 * the member's GOSSIP payload under `hivebox_swarm_binding` (the object `decodeBinding` reads;
 * cl-hive ignores unknown payload keys, clhive-protocol.md §1.4).
 */
import { canonicalJson } from '../canonical/python-json.ts';
import { lightningSignedText } from '../canonical/signed-text.ts';
import { recoverSigner, ZBASE_SIG_LENGTH } from '../crypto/lnsign.ts';
import { err, ok, type Result } from '../result.ts';
import { isNodeId, type NodeId, type UnixSeconds } from '../types.ts';
import type { SwarmLimits } from './limits.ts';
import { isHiveId } from './topic.ts';

/** 64-hex lowercase hyperswarm Noise (ed25519) public key. */
export type SwarmKey = string & { readonly __brand: 'SwarmKey' };

/** Domain separation string inside every signed binding. */
export const BINDING_DOMAIN = 'hivebox/swarm-binding/v1';

/** What a binding names; `issued_at`/`expires_at` are unix seconds. */
export interface BindingFields {
  readonly hive_id: string;
  readonly node_id: NodeId;
  readonly swarm_key: SwarmKey;
  readonly issued_at: UnixSeconds;
  readonly expires_at: UnixSeconds;
}

/** A binding with its 104-char zbase32 Lightning signature by `node_id`. */
export interface BindingStatement extends BindingFields {
  readonly signature: string;
}

/**
 * Why a binding statement is refused. `malformed_binding`: not the shape above; `wrong_hive`:
 * names another hive; `validity_too_long`: expires_at ≤ issued_at or more than the limit later;
 * `expired`: now ≥ expires_at; `future_binding`: issued_at beyond the clock-skew allowance;
 * `bad_signature`: does not recover to `node_id`.
 */
export type BindingReject = 'malformed_binding' | 'wrong_hive' | 'validity_too_long' | 'expired' | 'future_binding' | 'bad_signature';

const SWARM_KEY_RE = /^[0-9a-f]{64}$/;
const ZBASE_RE = /^[ybndrfg8ejkmcpqxot1uwisza345h769]+$/;
const FIELDS = ['expires_at', 'hive_id', 'issued_at', 'node_id', 'signature', 'swarm_key'] as const;

/** True when `s` is 64 lowercase hex characters (a 32-byte Noise public key). */
export function isSwarmKey(s: unknown): s is SwarmKey {
  return typeof s === 'string' && SWARM_KEY_RE.test(s);
}

/** The canonical string S a binding signature covers (before `lightningSignedText`). */
export function bindingCanonical(f: BindingFields): string {
  return canonicalJson({
    domain: BINDING_DOMAIN,
    expires_at: f.expires_at,
    hive_id: f.hive_id,
    issued_at: f.issued_at,
    node_id: f.node_id,
    swarm_key: f.swarm_key,
  });
}

/** The exact text to hand to `signmessage` / `signMessage` for these fields (T of clhive-protocol.md §3.1). */
export function bindingSignedText(f: BindingFields): string {
  return lightningSignedText(bindingCanonical(f));
}

function isSeconds(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * Shape-check an untrusted value (parsed JSON from a frame or a gossip payload).
 * Exactly the six fields, no others. @returns the statement or `malformed_binding`.
 */
export function decodeBinding(value: unknown): Result<BindingStatement, BindingReject> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return err('malformed_binding');
  const v = value as Record<string, unknown>;
  const keys = Object.keys(v).sort();
  if (keys.length !== FIELDS.length || keys.some((k, i) => k !== FIELDS[i])) return err('malformed_binding');
  const { hive_id, node_id, swarm_key, issued_at, expires_at, signature } = v;
  if (!isHiveId(hive_id) || !isNodeId(node_id) || !isSwarmKey(swarm_key) || !isSeconds(issued_at) || !isSeconds(expires_at)) {
    return err('malformed_binding');
  }
  if (typeof signature !== 'string' || signature.length !== ZBASE_SIG_LENGTH || !ZBASE_RE.test(signature)) return err('malformed_binding');
  return ok({ hive_id, node_id, swarm_key, issued_at, expires_at, signature });
}

/**
 * Check a decoded statement for `hiveId` at `now_s`: hive, validity window, freshness, then the
 * signature (local public-key recovery, clhive-protocol.md §3.1).
 * @returns the statement, or the first failing `BindingReject` in the order listed on the type.
 */
export function verifyBinding(st: BindingStatement, hiveId: string, now_s: UnixSeconds, limits: SwarmLimits): Result<BindingStatement, BindingReject> {
  if (st.hive_id !== hiveId) return err('wrong_hive');
  const validity = st.expires_at - st.issued_at;
  if (validity <= 0 || validity > limits.max_binding_validity_s) return err('validity_too_long');
  if (now_s >= st.expires_at) return err('expired');
  if (st.issued_at > now_s + limits.max_clock_skew_s) return err('future_binding');
  if (recoverSigner(bindingSignedText(st), st.signature) !== st.node_id) return err('bad_signature');
  return ok(st);
}

/**
 * Order of two statements by the same node: `stale` when `incoming` is older than `known` or
 * names another key at the same issued_at (a replay), `same` for the identical statement,
 * `newer` otherwise.
 */
export function compareBinding(known: BindingFields, incoming: BindingFields): 'stale' | 'same' | 'newer' {
  if (incoming.issued_at < known.issued_at) return 'stale';
  if (incoming.issued_at === known.issued_at) return incoming.swarm_key === known.swarm_key ? 'same' : 'stale';
  return 'newer';
}

/**
 * Fields of our next own binding for `swarmKey` at `now_s`: issued_at strictly after the previous
 * one (so peers accept it as newer even within the same second), valid `binding_validity_s`.
 */
export function nextBindingFields(
  prev: BindingFields | null,
  self: { hive_id: string; node_id: NodeId; swarm_key: SwarmKey },
  now_s: UnixSeconds,
  limits: SwarmLimits,
): BindingFields {
  const issued_at = prev ? Math.max(now_s, prev.issued_at + 1) : now_s;
  return { ...self, issued_at, expires_at: issued_at + limits.binding_validity_s };
}

/** True when we have no binding for `swarmKey` or it expires within `binding_renew_before_s`. */
export function bindingNeedsRenewal(current: BindingFields | null, swarmKey: SwarmKey, now_s: UnixSeconds, limits: SwarmLimits): boolean {
  return current === null || current.swarm_key !== swarmKey || current.expires_at - now_s < limits.binding_renew_before_s;
}
