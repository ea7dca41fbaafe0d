/**
 * Numeric limits of the swarm transport (issue 10 §3), one named constant object so every check
 * and every attack test cites the same number.
 */

/** Limits of the swarm fallback transport. Units are in the names. */
export const SWARM_LIMITS = {
  /** Largest frame payload: the BOLT 8 message limit, as cl-hive's MAX_MESSAGE_BYTES (clhive-protocol.md §1.1). */
  max_frame_bytes: 65_535,
  /** Largest encoded binding frame (magic + JSON statement, about 400 bytes in practice). */
  max_binding_frame_bytes: 1_024,
  /** Swarm connections the gate keeps (bound + awaiting binding); cl-hive's reported max_members is 50. */
  max_connections: 64,
  /** A new connection must present its binding statement within this time or it is dropped. */
  binding_timeout_ms: 4_000,
  /** Longest validity a binding statement may claim (expires_at − issued_at). */
  max_binding_validity_s: 14 * 86_400,
  /** Validity Hivebox gives its own binding statements. */
  binding_validity_s: 7 * 86_400,
  /** Renew our own binding when less than this remains. */
  binding_renew_before_s: 2 * 86_400,
  /** Tolerated clock skew for a statement's issued_at in the future. */
  max_clock_skew_s: 300,
  /** Per-peer token bucket: sustained frames per second (cl-hive paces sends 20 ms apart per member). */
  frames_per_s: 20,
  /** Per-peer token bucket: burst size in frames. */
  burst_frames: 200,
  /** How long the sidecar refuses a swarm key after a drop for a refusal reason (not for caps or timeouts). */
  block_s: 600,
} as const;

/** The shape of `SWARM_LIMITS`, so tests can run the gate with tighter numbers. */
export type SwarmLimits = { readonly [K in keyof typeof SWARM_LIMITS]: number };
