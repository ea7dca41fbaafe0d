/**
 * Swarm discovery topic of a hive (issue 10 §2): only fleets that know the hive id meet.
 *
 * topic = sha256( utf8("hivebox/swarm/v1") ‖ utf8(hive_id) ), 32 bytes, as hyperswarm's `join`
 * takes it. The tag is fixed-length and versioned: a change of the swarm protocol changes the tag,
 * so old and new fleets do not meet on one topic.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8 } from '../types.ts';

/** Versioned domain tag hashed in front of the hive id. */
export const SWARM_TOPIC_TAG = 'hivebox/swarm/v1';

const HIVE_ID_RE = /^[\x21-\x7e]{1,128}$/;

/**
 * True for a hive id the swarm accepts: 1–128 printable ASCII characters without spaces
 * (cl-hive genesis makes `hive_` + 16 hex; clhive-protocol.md §6.2).
 */
export function isHiveId(s: unknown): s is string {
  return typeof s === 'string' && HIVE_ID_RE.test(s);
}

/**
 * The 32-byte hyperswarm topic of `hiveId`, as 64 lowercase hex characters.
 * @throws Error when `hiveId` fails `isHiveId` (programmer misuse: the hive id comes from our own config).
 */
export function swarmTopic(hiveId: string): string {
  if (!isHiveId(hiveId)) throw new Error(`swarmTopic: hive_id must be 1-128 printable ASCII characters, got ${JSON.stringify(hiveId)}`);
  const tag = utf8(SWARM_TOPIC_TAG);
  const id = utf8(hiveId);
  const buf = new Uint8Array(tag.length + id.length);
  buf.set(tag, 0);
  buf.set(id, tag.length);
  return toHex(sha256(buf));
}
