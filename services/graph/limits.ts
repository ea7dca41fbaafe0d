/**
 * Size and count limits of the graph readers: an input past any of them is refused with
 * `TooLarge` before memory is allocated for it. Mainnet 2026 is 50,808 channels / 17,324 nodes;
 * the limits leave two orders of magnitude of headroom and stay within a Raspberry Pi's memory.
 */
export const GRAPH_LIMITS = {
  /** Bytes of a graph file as stored (compressed or not). */
  maxFileBytes: 256 * 1024 * 1024,
  /** Bytes after gzip/xz decompression (zip-bomb guard). */
  maxDecompressedBytes: 1024 * 1024 * 1024,
  /** Channels in one graph. */
  maxChannels: 5_000_000,
  /** Nodes in one graph. */
  maxNodes: 2_000_000,
  /** Alias length in characters (BOLT 7: 32 bytes; UTF-8 decoding keeps it below this). */
  maxAliasChars: 64,
} as const;
