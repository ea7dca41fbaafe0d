/**
 * Size, depth and count limits of the Hive wire codec, one named constant each with its source
 * (clhive-protocol.md §1.1, §2.2, §2.3; spec 001 §1). The codec checks them before a handler sees
 * a message.
 */

/** Limits applied to every inbound and outbound Hive message. */
export const WIRE_LIMITS = {
  /** Whole BOLT message incl. 2-byte type (BOLT 1: u16 length; cl-hive `MAX_MESSAGE_BYTES`). */
  maxMessageBytes: 65_535,
  /** JSON nesting depth of the envelope (envelope 1 + payload 1 + FULL_SYNC states/fee_policy 2, ample headroom). */
  maxJsonDepth: 16,
  /** Any JSON array anywhere (cl-hive gossip layer allows 2,000 states; schemas cap tighter). */
  maxArrayItems: 2_000,
  /** Keys of any JSON object. */
  maxObjectKeys: 256,
} as const;

/** Field caps of cl-hive's validators (clhive-protocol.md §2.2 `MAX_*`). */
export const FIELD_LIMITS = {
  /** `MAX_REASON_LEN`: free-text `reason`. */
  reasonChars: 512,
  /** `MAX_STRING_FIELD_LEN`: any other free string. */
  stringChars: 1_024,
  /** `MAX_PEER_ID_LEN`: peer ids / targets / hashes given as strings. */
  peerIdChars: 128,
  /** `_valid_request_id`: lowercase hex, 1..64 chars. */
  requestIdChars: 64,
  /** A zbase32 signature is 104 chars; cl-hive only asks for ≥ 10, Hivebox caps the length. */
  signatureMaxChars: 256,
  /** cl-hive "signature present" for GOSSIP, STATE_HASH, FULL_SYNC, INTENT_ABORT: ≥ 10 chars. */
  signatureMinChars: 10,
  /** GOSSIP `topology` (§2.3): ≤ 200 entries of ≤ 256 chars. */
  topologyItems: 200,
  topologyItemChars: 256,
  /** GOSSIP `fee_policy` (§2.3): ≤ 20 keys, key ≤ 256 chars, numeric values 0..10,000,000. */
  feePolicyKeys: 20,
  feePolicyKeyChars: 256,
  feePolicyMaxValue: 10_000_000,
  /** GOSSIP `capabilities`: ≤ 20 entries of ≤ 32 chars. */
  capabilitiesItems: 20,
  capabilityChars: 32,
  /** GOSSIP `addresses` ("host:port"); cl-hive sets no cap, Hivebox allows 20 of ≤ 256 chars. */
  addressesItems: 20,
  addressChars: 256,
  /** FULL_SYNC `states` (§2.3): ≤ 500 entries. */
  fullSyncStates: 500,
  /** FULL_SYNC / WELCOME `members`; cl-hive sets no cap, Hivebox allows 1,000. */
  members: 1_000,
  /** PROMOTION `vouches` (`MAX_VOUCHES_IN_PROMOTION`). */
  vouches: 50,
  /** ATTEST `features`; cl-hive sets no cap, Hivebox allows 32 of ≤ 32 chars. */
  features: 32,
  featureChars: 32,
  /** Invite ticket (base64url), `MAX_TICKET_SIZE` = 10 KiB (spec 000 §4.1, issue 2 §5). */
  ticketChars: 10 * 1024,
  /** BAN_PEER `evidence`: ≤ 16 entries of ≤ 1,024 chars (Hivebox). */
  evidenceItems: 16,
  /** HELLO `supported_versions`: a handful of small ints. */
  supportedVersions: 16,
  /** MSG_ACK `ack_msg_id`: ≤ 64 chars (§2.3). */
  ackMsgIdChars: 64,
  /** A hive id: cl-hive uses `"hive_" + 16 hex` or `"hive"`; any 1..128 printable chars. */
  hiveIdChars: 128,
} as const;

/**
 * Freshness windows in seconds (clhive-protocol.md §2.2 `MAX_*_AGE_SECONDS`; Hivebox's own for its
 * additions). Each message's spec names the one it uses (`max_age_s`).
 */
export const AGE_LIMITS = {
  /** `MAX_GOSSIP_AGE_SECONDS`. */
  gossip_s: 3_600,
  /** `MAX_INTENT_AGE_SECONDS`. */
  intent_s: 600,
  /** `MAX_STATE_HASH_AGE_SECONDS`. */
  stateHash_s: 3_600,
  /** `MAX_SETTLEMENT_AGE_SECONDS`. */
  settlement_s: 86_400,
  /** `MAX_INTELLIGENCE_AGE_SECONDS`. */
  intelligence_s: 7_200,
  /** Hivebox: a revocation is kept and re-sent; replaying one re-applies nothing (30 days). */
  revoke_s: 30 * 86_400,
  /** Hivebox: a peer ban lives as long as a cl-hive ban proposal (7 days). */
  banPeer_s: 7 * 86_400,
  /** Hivebox: a join refusal answers a HELLO at once; an old one is not an answer (10 min). */
  joinRefused_s: 600,
} as const;
