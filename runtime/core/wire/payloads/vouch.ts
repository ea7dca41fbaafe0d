/**
 * HIVE_VOUCH (32789): a member vouches for a neophyte's promotion (spec 001 §3.4;
 * clhive-protocol.md §2.3, §6.4). `{target_pubkey, request_id, timestamp, voucher_pubkey, sig}`
 * — the signature field is `sig`. Signed by `voucher_pubkey` over
 * `hive:vouch:{target_pubkey}:{request_id}:{timestamp}` (the voucher is recovered, not in the string).
 */
import { z } from 'zod';
import { lazy } from '../../lazy.ts';
import type { RawPayload } from '../envelope.ts';
import { count, pubkey, requestId, zbaseSig } from '../primitives.ts';
import { pyStr } from '../signing/py-format.ts';
import { type MessageSpec, singleSignature } from '../spec.ts';
import { AGE_LIMITS } from '../limits.ts';

/** VOUCH payload schema; a node cannot vouch for itself. */
export const VouchPayload = lazy(() =>
  z
    .object({
      target_pubkey: pubkey(),
      request_id: requestId(),
      timestamp: count(),
      voucher_pubkey: pubkey(),
      sig: zbaseSig(),
    })
    .refine((v) => v.voucher_pubkey !== v.target_pubkey, { path: ['voucher_pubkey'], message: 'self-vouch' }),
);

/** Validated VOUCH payload. */
export type VouchPayload = z.output<ReturnType<typeof VouchPayload>>;

/** cl-hive `build_vouch_message`. */
export function vouchSigningString(raw: RawPayload): string {
  return `hive:vouch:${pyStr(raw.target_pubkey)}:${pyStr(raw.request_id)}:${pyStr(raw.timestamp)}`;
}

/** VOUCH's facts (wire/spec.ts): the registry builds every per-type table from them. */
export const VOUCH_SPEC = {
  name: 'VOUCH',
  id: 32789,
  get schema() {
    return VouchPayload();
  },
  max_age_s: AGE_LIMITS.gossip_s,
  signed: (m) => singleSignature(vouchSigningString(m.raw), m.payload.sig, m.payload.voucher_pubkey, 'sig'),
  signing_string: vouchSigningString,
  gate: { sender: 'voucher_pubkey', relay: true, tier: 'full' },
  event_id_fields: ['target_pubkey', 'request_id', 'voucher_pubkey'],
} as const satisfies MessageSpec<VouchPayload>;
