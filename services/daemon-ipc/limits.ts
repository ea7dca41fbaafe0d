/**
 * Limits of the plugin ↔ daemon IPC protocol (README.md in this folder).
 */
export const IPC_LIMITS = {
  /**
   * Longest line accepted, in characters. A custommsg is at most 65 535 bytes (BOLT 1 length
   * field) = 131 070 hex characters; RPC answers (member lists, plans) are larger, so 16 Mi.
   */
  max_line_chars: 16 * 1024 * 1024,
  /** Largest custommsg payload forwarded, in hex characters (65 535 bytes, BOLT 1). */
  max_payload_hex: 2 * 65_535,
  /** Bytes the plugin may queue towards a slow daemon before it drops events (never blocks lightningd). */
  max_queued_bytes: 8 * 1024 * 1024,
  /** Reconnect back-off of the plugin, ms: first retry and cap. */
  reconnect_min_ms: 100,
  reconnect_max_ms: 2_000,
  /** Most node ids in one ignore-list push (66 chars each: ≤ 690 kB, well inside a line). */
  max_ignore_list: 10_000,
  /** Most (peer, reason) rows in one `inbound_drops` report of the plugin. */
  max_drop_reports: 256,
} as const;

/** Version of the IPC protocol, sent in `hello`; the daemon refuses other versions. */
export const IPC_PROTOCOL_VERSION = 1;
