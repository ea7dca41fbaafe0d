/**
 * HIVE_FULL_SYNC (32781): the complete HiveMap snapshot (spec 001 §3.2; clhive-protocol.md §2.3,
 * §4.1). `{states: [HivePeerState], fleet_hash, timestamp, members?: [{peer_id,tier,joined_at}],
 * sender_id, signature}`, signed by `sender_id` over JSON-canonical
 * `{"fleet_hash","members_hash","sender_id","timestamp"}` (members_hash: signing/hashes.ts).
 * `states` is bound only through `fleet_hash`: when both are non-empty, `statesHash(states)` must
 * equal `fleet_hash` (cl-hive's receiver check, enforced by the schema).
 */
import { z } from 'zod';
import { lazy } from '../../lazy.ts';
import { canonicalJson } from '../../canonical/python-json.ts';
import type { RawPayload } from '../envelope.ts';
import { AGE_LIMITS, FIELD_LIMITS } from '../limits.ts';
import { count, pubkey, text, zbaseSig } from '../primitives.ts';
import { membersHash, type MemberRow, statesHash } from '../signing/hashes.ts';
import { Capabilities, FeePolicy } from './gossip.ts';
import { MemberEntry } from './welcome.ts';
import { type MessageSpec, singleSignature } from '../spec.ts';

/** One `states[]` entry (`_validate_state_entry`, §4.1): `available_sats ≤ capacity_sats`. */
export const StateEntry = lazy(() =>
  z
    .object({
      peer_id: text(FIELD_LIMITS.peerIdChars).min(1),
      capacity_sats: count(),
      available_sats: count(),
      fee_policy: FeePolicy().optional(),
      topology: z.array(text(FIELD_LIMITS.peerIdChars).min(1)).max(FIELD_LIMITS.topologyItems).optional(),
      version: count(),
      last_update: count().optional(),
      timestamp: count().optional(),
      state_hash: text(FIELD_LIMITS.peerIdChars).optional(),
      budget_available_sats: count().optional(),
      budget_reserved_until: count().optional(),
      budget_last_update: count().optional(),
      fees_earned_sats: count().optional(),
      fees_forward_count: count().optional(),
      fees_period_start: count().optional(),
      fees_last_report: count().optional(),
      fees_costs_sats: count().optional(),
      capabilities: Capabilities().optional(),
    })
    .refine((s) => s.available_sats <= s.capacity_sats, { path: ['available_sats'], message: 'available_sats exceeds capacity_sats' }),
);

/** Validated state entry. */
export type StateEntry = z.output<ReturnType<typeof StateEntry>>;

/** FULL_SYNC payload schema. */
const FullSyncPayload = lazy(() =>
  z
    .object({
      states: z.array(StateEntry()).max(FIELD_LIMITS.fullSyncStates),
      fleet_hash: text(FIELD_LIMITS.peerIdChars),
      timestamp: count(),
      members: z.array(MemberEntry()).max(FIELD_LIMITS.members).optional(),
      sender_id: pubkey(),
      signature: zbaseSig(),
    })
    .refine((p) => p.states.length === 0 || p.fleet_hash === '' || statesHash(p.states) === p.fleet_hash, {
      path: ['fleet_hash'],
      message: 'fleet_hash does not match the states',
    }),
);

/** Validated FULL_SYNC payload. */
type FullSyncPayload = z.output<ReturnType<typeof FullSyncPayload>>;

/** cl-hive `get_full_sync_signing_payload`. */
export function fullSyncSigningString(raw: RawPayload): string {
  const members = Array.isArray(raw.members) ? (raw.members as unknown as MemberRow[]) : [];
  return canonicalJson({
    sender_id: raw.sender_id ?? '',
    fleet_hash: raw.fleet_hash ?? '',
    members_hash: membersHash(members),
    timestamp: raw.timestamp ?? 0,
  });
}

/** FULL_SYNC's facts (wire/spec.ts): the registry builds every per-type table from them. */
export const FULL_SYNC_SPEC = {
  name: 'FULL_SYNC',
  id: 32781,
  get schema() {
    return FullSyncPayload();
  },
  max_age_s: AGE_LIMITS.stateHash_s,
  signed: (m) => singleSignature(fullSyncSigningString(m.raw), m.payload.signature, m.payload.sender_id),
  signing_string: fullSyncSigningString,
  gate: { sender: 'sender_id', relay: false, tier: 'certified' },
} as const satisfies MessageSpec<FullSyncPayload>;
