/**
 * HIVE_STATE_HASH (32779): anti-entropy digest (spec 001 §3.2; clhive-protocol.md §2.3, §4.4).
 * `{fleet_hash, peer_count, timestamp, membership_hash?, sender_id, signature}`, signed by
 * `sender_id` over JSON-canonical `{"fleet_hash","peer_count","sender_id","timestamp"}`
 * (`membership_hash` is not covered, in either framing — cl-hive's string).
 */
import { z } from 'zod';
import { lazy } from '../../lazy.ts';
import { canonicalJson } from '../../canonical/python-json.ts';
import type { RawPayload } from '../envelope.ts';
import { AGE_LIMITS, FIELD_LIMITS } from '../limits.ts';
import { count, pubkey, text, zbaseSig } from '../primitives.ts';
import { type MessageSpec, singleSignature } from '../spec.ts';

/** STATE_HASH payload schema. */
const StateHashPayload = lazy(() =>
  z.object({
    fleet_hash: text(FIELD_LIMITS.peerIdChars).min(1),
    peer_count: count(),
    timestamp: count(),
    membership_hash: text(FIELD_LIMITS.peerIdChars).optional(),
    sender_id: pubkey(),
    signature: zbaseSig(),
  }),
);

/** Validated STATE_HASH payload. */
type StateHashPayload = z.output<ReturnType<typeof StateHashPayload>>;

/** cl-hive `get_state_hash_signing_payload`. */
export function stateHashSigningString(raw: RawPayload): string {
  return canonicalJson({
    sender_id: raw.sender_id ?? '',
    fleet_hash: raw.fleet_hash ?? '',
    timestamp: raw.timestamp ?? 0,
    peer_count: raw.peer_count ?? 0,
  });
}

/** STATE_HASH's facts (wire/spec.ts): the registry builds every per-type table from them. */
export const STATE_HASH_SPEC = {
  name: 'STATE_HASH',
  id: 32779,
  get schema() {
    return StateHashPayload();
  },
  max_age_s: AGE_LIMITS.stateHash_s,
  signed: (m) => singleSignature(stateHashSigningString(m.raw), m.payload.signature, m.payload.sender_id),
  signing_string: stateHashSigningString,
  gate: { sender: 'sender_id', relay: false, tier: 'certified' },
} as const satisfies MessageSpec<StateHashPayload>;
