/**
 * Idempotency ids of reliable messages (clhive-protocol.md §3.6 `EVENT_ID_FIELDS`):
 * `event_id = sha256hex(JSON-canonical({"_type": <type name>, <identity fields>}))[:32]`.
 * The id doubles as the outbox `msg_id` and MSG_ACK `ack_msg_id`. Each type's identity fields are
 * in its spec (`event_id_fields`); Hivebox adds HIVE_REVOKE (`revocation_id`) and BAN_PEER (`ban_id`). None of the identity fields except MEMBER_LEFT's is
 * a timestamp, which is what lets an outbox retry re-sign with a fresh timestamp and keep its id.
 */
import { canonicalJson, type PyJson } from '../canonical/python-json.ts';
import type { RawPayload } from '../wire/envelope.ts';
import { type MsgType, specOf } from '../wire/message-types.ts';
import { sha256Hex } from '../wire/signing/py-format.ts';

/**
 * The event id of a payload of `type`.
 * @returns 32 hex chars, or null for types without identity fields (not deduplicated).
 */
export function eventIdOf(type: MsgType, payload: RawPayload): string | null {
  const fields = specOf(type).event_id_fields;
  if (!fields) return null;
  const obj: Record<string, PyJson> = { _type: type };
  for (const f of fields) obj[f] = payload[f] ?? '';
  return sha256Hex(canonicalJson(obj)).slice(0, 32);
}
