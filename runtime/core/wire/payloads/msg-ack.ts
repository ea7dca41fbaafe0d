/**
 * HIVE_MSG_ACK (32881): reliable-delivery acknowledgement (clhive-protocol.md §2.3, §3.6).
 * `{ack_msg_id (≤ 64), status: ok|invalid|retry_later, sender_id, timestamp, signature?}`;
 * when signed, by `sender_id` over `MSG_ACK:{sender_id}:{ack_msg_id}:{status}:{timestamp}`.
 * An unsigned ack is acceptable only direct from `sender_id` (a handler rule).
 */
import { z } from 'zod';
import { lazy } from '../../lazy.ts';
import type { RawPayload } from '../envelope.ts';
import { FIELD_LIMITS } from '../limits.ts';
import { count, pubkey, text, zbaseSig } from '../primitives.ts';
import { pyStr } from '../signing/py-format.ts';
import { type MessageSpec, singleSignature } from '../spec.ts';

/** MSG_ACK payload schema. */
const MsgAckPayload = lazy(() =>
  z.object({
    ack_msg_id: text(FIELD_LIMITS.ackMsgIdChars).min(1),
    status: z.enum(['ok', 'invalid', 'retry_later']),
    sender_id: pubkey(),
    timestamp: count(),
    signature: zbaseSig().optional(),
  }),
);

/** Validated MSG_ACK payload. */
type MsgAckPayload = z.output<ReturnType<typeof MsgAckPayload>>;

/** cl-hive MSG_ACK signing string. */
export function msgAckSigningString(raw: RawPayload): string {
  return `MSG_ACK:${pyStr(raw.sender_id)}:${pyStr(raw.ack_msg_id)}:${pyStr(raw.status)}:${pyStr(raw.timestamp)}`;
}

/** MSG_ACK's facts (wire/spec.ts): the registry builds every per-type table from them. */
export const MSG_ACK_SPEC = {
  name: 'MSG_ACK',
  id: 32881,
  get schema() {
    return MsgAckPayload();
  },
  max_age_s: null,
  signed: (m) => (m.payload.signature === undefined ? [] : singleSignature(msgAckSigningString(m.raw), m.payload.signature, m.payload.sender_id)),
  gate: { sender: 'sender_id', relay: false, tier: 'any' },
} as const satisfies MessageSpec<MsgAckPayload>;
