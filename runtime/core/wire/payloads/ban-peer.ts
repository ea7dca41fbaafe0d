/**
 * BAN_PEER (32907, Hivebox; spec 000 §5.1 `HIVE_BAN_PEER`, §3.3 global ignore list): a certified
 * member reports an external attacker node so every member ignores it (refuses new channels from
 * it, surfaces it to operators; issue 4 §3). Accepted only from certified members (handler rule).
 *
 * Payload:
 * - `hive_id`; `ban_id`: 1..64 lowercase hex, unique (dedupe key);
 * - `peer_id`: the external node to ignore; `reporter_id`: the reporting member (the signer);
 * - `reason`: 1..512 chars; `evidence`: ≤ 16 strings of ≤ 1,024 chars (e.g. scids, payment
 *   hashes, log lines), kept with the ban;
 * - `timestamp`: unix seconds; `signature`: zbase32 by `reporter_id`'s node key.
 *
 * Signing string: JSON-canonical `{"action":"ban_peer","ban_id","evidence","hive_id","peer_id",
 * "reason","reporter_id","timestamp"}`.
 */
import { z } from 'zod';
import { lazy } from '../../lazy.ts';
import { canonicalJson } from '../../canonical/python-json.ts';
import type { RawPayload } from '../envelope.ts';
import { AGE_LIMITS, FIELD_LIMITS } from '../limits.ts';
import { count, hiveId, pubkey, reason, requestId, text, zbaseSig } from '../primitives.ts';
import { type MessageSpec, singleSignature } from '../spec.ts';

/** BAN_PEER payload schema; a member cannot ban itself this way. */
const BanPeerPayload = lazy(() =>
  z
    .object({
      hive_id: hiveId(),
      ban_id: requestId(),
      peer_id: pubkey(),
      reporter_id: pubkey(),
      reason: reason(),
      evidence: z.array(text(FIELD_LIMITS.stringChars)).max(FIELD_LIMITS.evidenceItems),
      timestamp: count(),
      signature: zbaseSig(),
    })
    .refine((p) => p.peer_id !== p.reporter_id, { path: ['peer_id'], message: 'reporter cannot ban itself' }),
);

/** Validated BAN_PEER payload. */
type BanPeerPayload = z.output<ReturnType<typeof BanPeerPayload>>;

/** The canonical string the reporting member signs. */
export function banPeerSigningString(raw: RawPayload): string {
  return canonicalJson({
    action: 'ban_peer',
    ban_id: raw.ban_id ?? '',
    evidence: raw.evidence ?? [],
    hive_id: raw.hive_id ?? '',
    peer_id: raw.peer_id ?? '',
    reason: raw.reason ?? '',
    reporter_id: raw.reporter_id ?? '',
    timestamp: raw.timestamp ?? 0,
  });
}

/** BAN_PEER's facts (wire/spec.ts): the registry builds every per-type table from them. */
export const BAN_PEER_SPEC = {
  name: 'BAN_PEER',
  id: 32907,
  get schema() {
    return BanPeerPayload();
  },
  max_age_s: AGE_LIMITS.banPeer_s,
  signed: (m) => singleSignature(banPeerSigningString(m.raw), m.payload.signature, m.payload.reporter_id),
  signing_string: banPeerSigningString,
  gate: { sender: 'reporter_id', relay: true, tier: 'full' },
  event_id_fields: ['ban_id'],
  hivebox_only: true,
} as const satisfies MessageSpec<BanPeerPayload>;
