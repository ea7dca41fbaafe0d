/**
 * HIVE_MEMBER_LEFT (32797): a member leaves voluntarily (clhive-protocol.md §2.3, §6.6).
 * `{peer_id, timestamp, reason (1..512), signature}`, signed by `peer_id` over
 * `hive:leave:{peer_id}:{timestamp}:{reason}`.
 */
import { z } from 'zod';
import { lazy } from '../../lazy.ts';
import type { RawPayload } from '../envelope.ts';
import { count, pubkey, reason, zbaseSig } from '../primitives.ts';
import { pyStr } from '../signing/py-format.ts';
import { type MessageSpec, singleSignature } from '../spec.ts';

/** MEMBER_LEFT payload schema. */
const MemberLeftPayload = lazy(() => z.object({ peer_id: pubkey(), timestamp: count(), reason: reason(), signature: zbaseSig() }));

/** Validated MEMBER_LEFT payload. */
type MemberLeftPayload = z.output<ReturnType<typeof MemberLeftPayload>>;

/** cl-hive leave signing string. */
export function memberLeftSigningString(raw: RawPayload): string {
  return `hive:leave:${pyStr(raw.peer_id)}:${pyStr(raw.timestamp)}:${pyStr(raw.reason)}`;
}

/** MEMBER_LEFT's facts (wire/spec.ts): the registry builds every per-type table from them. */
export const MEMBER_LEFT_SPEC = {
  name: 'MEMBER_LEFT',
  id: 32797,
  get schema() {
    return MemberLeftPayload();
  },
  max_age_s: null,
  signed: (m) => singleSignature(memberLeftSigningString(m.raw), m.payload.signature, m.payload.peer_id),
  signing_string: memberLeftSigningString,
  gate: { sender: 'peer_id', relay: true, tier: 'certified' },
  event_id_fields: ['peer_id', 'timestamp'],
} as const satisfies MessageSpec<MemberLeftPayload>;
