/**
 * HIVE_MEMBER_LEFT (32797): a member leaves voluntarily (clhive-protocol.md §2.3, §6.6).
 * `{peer_id, timestamp, reason (1..512), signature}`, signed by `peer_id` over
 * `hive:leave:{peer_id}:{timestamp}:{reason}`.
 */
import { z } from 'zod';
import type { RawPayload } from '../envelope.ts';
import { count, pubkey, reason, zbaseSig } from '../primitives.ts';
import { pyStr } from '../signing/py-format.ts';

/** MEMBER_LEFT payload schema. */
export const MemberLeftPayload = z.object({ peer_id: pubkey, timestamp: count, reason, signature: zbaseSig });

/** Validated MEMBER_LEFT payload. */
export type MemberLeftPayload = z.output<typeof MemberLeftPayload>;

/** cl-hive leave signing string. */
export function memberLeftSigningString(raw: RawPayload): string {
  return `hive:leave:${pyStr(raw.peer_id)}:${pyStr(raw.timestamp)}:${pyStr(raw.reason)}`;
}
