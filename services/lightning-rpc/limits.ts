/**
 * Limits and defaults of the lightning-rpc client. Numbers are chosen for a mainnet node:
 * `listchannels` on the 2026-02-03 graph is ≈ 39 MB of JSON (shared/data SOURCE.md §1).
 */
export const LIGHTNING_RPC_LIMITS = {
  /** Largest response accepted, in UTF-16 code units: 4× the full-graph listchannels. */
  max_response_chars: 160 * 1024 * 1024,
  /** Default per-call timeout: lightningd answers local queries in ms; 30 s covers a busy node. */
  call_timeout_ms: 30_000,
} as const;
