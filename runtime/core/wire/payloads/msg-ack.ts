/**
 * HIVE_MSG_ACK (32881): reliable-delivery acknowledgement (clhive-protocol.md §2.3, §3.6).
 * `{ack_msg_id (≤ 64), status: ok|invalid|retry_later, sender_id, timestamp, signature?}`;
 * when signed, by `sender_id` over `MSG_ACK:{sender_id}:{ack_msg_id}:{status}:{timestamp}`.
 * An unsigned ack is acceptable only direct from `sender_id` (a handler rule).
 */
import { z } from 'zod';
import type { RawPayload } from '../envelope.ts';
import { FIELD_LIMITS } from '../limits.ts';
import { count, pubkey, text, zbaseSig } from '../primitives.ts';
import { pyStr } from '../signing/py-format.ts';

/** MSG_ACK payload schema. */
export const MsgAckPayload = z.object({
  ack_msg_id: text(FIELD_LIMITS.ackMsgIdChars).min(1),
  status: z.enum(['ok', 'invalid', 'retry_later']),
  sender_id: pubkey,
  timestamp: count,
  signature: zbaseSig.optional(),
});

/** Validated MSG_ACK payload. */
export type MsgAckPayload = z.output<typeof MsgAckPayload>;

/** cl-hive MSG_ACK signing string. */
export function msgAckSigningString(raw: RawPayload): string {
  return `MSG_ACK:${pyStr(raw.sender_id)}:${pyStr(raw.ack_msg_id)}:${pyStr(raw.status)}:${pyStr(raw.timestamp)}`;
}
