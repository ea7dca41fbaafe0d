/**
 * Limits of the membership store adapter. The protocol caps (1,000 open challenges, 300 s TTL)
 * live in the core (runtime/core/machines/handshake-limits.ts); these are storage-side guards.
 */
export const STORE_LIMITS = {
  /** How long a writer waits for a lock held by another connection (ms). */
  busyTimeout_ms: 5_000,
  /** Addresses kept per member (wire cap FIELD_LIMITS.addressesItems = 20). */
  addressesPerMember: 20,
} as const;
