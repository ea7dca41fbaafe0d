/**
 * Limits of the plugin's stdin stream from lightningd.
 */
export const PLUGIN_LIMITS = {
  /**
   * Largest JSON-RPC request accepted from lightningd, in characters. The biggest thing lightningd
   * sends is a custommsg hook (≤ 131 070 hex chars) or a passthrough command's params; 16 Mi leaves
   * room for any operator input while bounding memory.
   */
  max_request_chars: 16 * 1024 * 1024,
} as const;
