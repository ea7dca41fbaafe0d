/**
 * GOSSIP's payload rules by hand, for the success path of every inbound GOSSIP (issue 19 §3: zod
 * built a fifth of the gate's cost). `acceptGossip` is GOSSIP_SPEC's `accept` (wire/spec.ts): it
 * returns the view exactly as the zod schema in gossip.ts outputs it, or null, and then zod decides
 * and names the offence. tests/wire/gossip-fast-validate.test.ts holds the two to the same
 * answers on fuzzed payloads.
 */
import { PyFloat } from '../../canonical/python-json.ts';
import { decodeBinding } from '../../swarm/binding.ts';
import { isNodeId } from '../../types.ts';
import type { RawPayload } from '../envelope.ts';
import { FIELD_LIMITS } from '../limits.ts';
import { ZBASE32_RE } from '../primitives.ts';
import { MemberClaim } from './admission.ts';
import type { GossipPayload } from './gossip.ts';

/** `topology`'s rule: ≤ 200 strings of 1..256 chars, in one loop. */
export function isTopology(v: unknown): v is string[] {
  if (!Array.isArray(v) || v.length > FIELD_LIMITS.topologyItems) return false;
  for (const item of v) if (typeof item !== 'string' || item.length === 0 || item.length > FIELD_LIMITS.topologyItemChars) return false;
  return true;
}

/** zod `count`: a finite safe integer ≥ 0. */
function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** zod `text(max)`. */
function isText(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length <= max;
}

/** An object as JSON.parse builds it (what zod's record and object schemas accept here). */
function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/** `FeePolicy` as zod outputs it (a new object, PyFloat values unwrapped), or null. */
function quickFeePolicy(v: unknown): Record<string, number> | null {
  if (!isPlainRecord(v)) return null;
  const out: Record<string, number> = {};
  let keys = 0;
  for (const k in v) {
    if (!Object.hasOwn(v, k)) return null;
    const raw = v[k];
    const n = raw instanceof PyFloat ? raw.value : raw;
    if (k.length > FIELD_LIMITS.feePolicyKeyChars || typeof n !== 'number' || !(n >= 0 && n <= FIELD_LIMITS.feePolicyMaxValue)) return null;
    out[k] = n;
    keys++;
  }
  return keys <= FIELD_LIMITS.feePolicyKeys ? out : null;
}

/** `Addresses` / `Capabilities` as zod outputs them (a new array), or null. */
function quickTextArray(v: unknown, maxItems: number, maxChars: number): string[] | null {
  if (!Array.isArray(v) || v.length > maxItems) return null;
  for (const item of v) if (!isText(item, maxChars)) return null;
  return v.slice();
}

/**
 * Every rule of the GOSSIP schema checked by hand and the view built as zod builds it (fields in
 * schema order, unknown and `_` keys dropped, PyFloat fees unwrapped; `hivebox_member` still goes
 * through its zod schema, `hivebox_swarm_binding` through `decodeBinding`, as in the schema).
 * @returns the validated view, or null for anything it does not accept (zod then decides, so
 *   error text is zod's alone). Never throws.
 */
export function acceptGossip(raw: RawPayload): GossipPayload | null {
  if (!isPlainRecord(raw)) return null;
  const { peer_id, sender_id, capacity_sats, available_sats, version, timestamp, signature, topology } = raw;
  if (!isNodeId(sender_id) || (peer_id !== undefined && peer_id !== sender_id)) return null;
  if (!isCount(capacity_sats) || !isCount(available_sats) || available_sats > capacity_sats || !isCount(version) || !isCount(timestamp)) return null;
  if (!isTopology(topology)) return null;
  if (typeof signature !== 'string' || signature.length < FIELD_LIMITS.signatureMinChars || signature.length > FIELD_LIMITS.signatureMaxChars || !ZBASE32_RE.test(signature)) return null;
  const fee_policy = quickFeePolicy(raw.fee_policy);
  if (fee_policy === null) return null;
  const out: Record<string, unknown> = {};
  if (peer_id !== undefined) out.peer_id = peer_id;
  Object.assign(out, { sender_id, capacity_sats, available_sats, fee_policy, topology, version, timestamp });
  for (const k of ['state_hash', 'fleet_hash'] as const) {
    const v = raw[k];
    if (v === undefined) continue;
    if (!isText(v, FIELD_LIMITS.peerIdChars)) return null;
    out[k] = v;
  }
  for (const k of ['budget_available_sats', 'budget_reserved_until', 'budget_last_update'] as const) {
    const v = raw[k];
    if (v === undefined) continue;
    if (!isCount(v)) return null;
    out[k] = v;
  }
  if (raw.addresses !== undefined) {
    const a = quickTextArray(raw.addresses, FIELD_LIMITS.addressesItems, FIELD_LIMITS.addressChars);
    if (a === null) return null;
    out.addresses = a;
  }
  if (raw.capabilities !== undefined) {
    const c = quickTextArray(raw.capabilities, FIELD_LIMITS.capabilitiesItems, FIELD_LIMITS.capabilityChars);
    if (c === null) return null;
    out.capabilities = c;
  }
  if (raw.hivebox_swarm_binding !== undefined) {
    if (!decodeBinding(raw.hivebox_swarm_binding).ok) return null;
    out.hivebox_swarm_binding = raw.hivebox_swarm_binding;
  }
  if (raw.hivebox_member !== undefined) {
    const m = MemberClaim().safeParse(raw.hivebox_member);
    if (!m.success) return null;
    out.hivebox_member = m.data;
  }
  out.signature = signature;
  return out as GossipPayload;
}
