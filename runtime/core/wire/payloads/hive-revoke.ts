/**
 * HIVE_REVOKE (32905, Hivebox): a fleet admin revokes a member node id (spec 000 §5.2 "Granular
 * Revocation"; issue 4 §3). Every node strips the member's status on receipt; nothing shared is
 * rotated. Signed by the fleet admin key (hardware signer, physical approval) — not a node key.
 *
 * Payload:
 * - `hive_id`: the hive this applies to (a revocation for another hive is refused by the handler);
 * - `revocation_id`: 1..64 lowercase hex, unique (dedupe key; replays re-apply nothing);
 * - `node_id`: the revoked member; `admin_pubkey`: the signing admin key (must be trusted by the hive);
 * - `reason`: 1..512 chars; `timestamp`: unix seconds; `signature`: zbase32.
 *
 * Signing string: JSON-canonical `{"action":"hive_revoke","admin_pubkey","hive_id","node_id",
 * "reason","revocation_id","timestamp"}` (JSON, not colon-joined, so free text cannot shift
 * fields; the `action` tag separates it from every other Hive signature).
 */
import { z } from 'zod';
import { lazy } from '../../lazy.ts';
import { canonicalJson } from '../../canonical/python-json.ts';
import type { RawPayload } from '../envelope.ts';
import { count, hiveId, pubkey, reason, requestId, zbaseSig } from '../primitives.ts';
import { type MessageSpec, singleSignature } from '../spec.ts';
import { AGE_LIMITS } from '../limits.ts';

/** HIVE_REVOKE payload schema. */
const HiveRevokePayload = lazy(() =>
  z.object({
    hive_id: hiveId(),
    revocation_id: requestId(),
    node_id: pubkey(),
    admin_pubkey: pubkey(),
    reason: reason(),
    timestamp: count(),
    signature: zbaseSig(),
  }),
);

/** Validated HIVE_REVOKE payload. */
type HiveRevokePayload = z.output<ReturnType<typeof HiveRevokePayload>>;

/** The canonical string the admin signs. */
export function hiveRevokeSigningString(raw: RawPayload): string {
  return canonicalJson({
    action: 'hive_revoke',
    admin_pubkey: raw.admin_pubkey ?? '',
    hive_id: raw.hive_id ?? '',
    node_id: raw.node_id ?? '',
    reason: raw.reason ?? '',
    revocation_id: raw.revocation_id ?? '',
    timestamp: raw.timestamp ?? 0,
  });
}

/** HIVE_REVOKE's facts (wire/spec.ts): the registry builds every per-type table from them. */
export const HIVE_REVOKE_SPEC = {
  name: 'HIVE_REVOKE',
  id: 32905,
  get schema() {
    return HiveRevokePayload();
  },
  max_age_s: AGE_LIMITS.revoke_s,
  signed: (m) => singleSignature(hiveRevokeSigningString(m.raw), m.payload.signature, m.payload.admin_pubkey),
  signing_string: hiveRevokeSigningString,
  gate: { sender: 'admin_pubkey', relay: true, tier: 'admin' },
  event_id_fields: ['revocation_id'],
  hivebox_only: true,
} as const satisfies MessageSpec<HiveRevokePayload>;
