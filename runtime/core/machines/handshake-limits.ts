/**
 * Handshake limits, one named constant each with its source (spec 001 §2.2; clhive-protocol.md
 * §3.5 `CHALLENGE_TTL_SECONDS`, `MAX_PENDING_CHALLENGES`, `CHALLENGE_RATE_LIMIT_SECONDS`).
 */
export const HANDSHAKE_LIMITS = {
  /** A challenge is answerable for 300 s after it was issued (`CHALLENGE_TTL_SECONDS`). */
  challengeTtl_s: 300,
  /** At most 1,000 open challenges; the oldest is evicted for a new one (`MAX_PENDING_CHALLENGES`). */
  maxOpenChallenges: 1_000,
  /** At most one HELLO is processed per peer per 10 s (`CHALLENGE_RATE_LIMIT_SECONDS`). */
  helloInterval_s: 10,
  /** A HELLO waiting for node facts (listpeers/listpeerchannels) is dropped after 30 s (Hivebox). */
  factsTimeout_s: 30,
  /** At most 1,000 HELLOs wait for node facts at once; more are refused (Hivebox). */
  maxPendingFacts: 1_000,
  /** Manifest `timestamp` may differ from the member's clock by 300 s (`MAX_CLOCK_SKEW_SECONDS`). */
  manifestSkew_s: 300,
  /**
   * Candidate: ATTEST is re-sent every 10 s until WELCOME comes (Hivebox; the member may have been
   * away when it arrived — its challenge is persisted, so a restarted member answers the retry).
   */
  attestRetry_s: 10,
  /** Candidate: a join with no WELCOME 300 s after HELLO is abandoned (matches the challenge TTL). */
  joinTimeout_s: 300,
} as const;
