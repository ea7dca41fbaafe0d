/**
 * Advisor reputation credentials (spec 002 "Reputation System"): a `DIDReputationCredential`
 * with `domain: "hive:advisor"` issued by the operator from the node's signed receipts and
 * measured outcomes. Metrics are cl-hive's required `hive:advisor` metrics
 * (clhive-protocol.md §8.2): revenue_delta_pct (−100..1000), actions_taken, uptime_pct,
 * channels_managed.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8 } from '../types.ts';
import { uuidV4 } from './credential.ts';
import type { Receipt } from './receipt.ts';
import { DAY_S, unixToIso } from './time.ts';

/** `hive:advisor` metrics. */
export interface AdvisorMetrics {
  readonly revenue_delta_pct: number;
  /** Accepted commands in the period. */
  readonly actions_taken: number;
  /** Days in the period with at least one receipt from the advisor, percent of the period's days. */
  readonly uptime_pct: number;
  /** Distinct channels the advisor's accepted commands touched. */
  readonly channels_managed: number;
}

/** Outcome of the relationship (cl-hive outcomes). */
export type ReputationOutcome = 'renew' | 'revoke' | 'neutral';

/**
 * Metrics over the period `[start, end]` (unix seconds, both ends included).
 * @param channelsTouched scids of the advisor's accepted changes in the period.
 */
export function advisorMetrics(receipts: readonly Receipt[], channelsTouched: readonly string[], revenue_delta_pct: number, start: number, end: number): AdvisorMetrics {
  const inPeriod = receipts.filter((r) => r.executed_at >= start && r.executed_at <= end);
  const days = Math.max(1, Math.ceil((end - start) / DAY_S));
  const activeDays = new Set(inPeriod.map((r) => Math.floor((r.executed_at - start) / DAY_S))).size;
  return {
    revenue_delta_pct,
    actions_taken: inPeriod.filter((r) => r.status === 'accepted').length,
    uptime_pct: Math.min(100, Math.round((activeDays / days) * 1000) / 10),
    channels_managed: new Set(channelsTouched).size,
  };
}

/** `renew` when revenue did not fall and the advisor acted; `revoke` when its credential was revoked; else `neutral`. */
export function reputationOutcome(m: AdvisorMetrics, revoked: boolean): ReputationOutcome {
  if (revoked) return 'revoke';
  return m.actions_taken > 0 && m.revenue_delta_pct >= 0 ? 'renew' : 'neutral';
}

/** Inputs of {@link buildReputationCredential}; times in unix seconds, `idBytes` 16 random bytes. */
export interface ReputationSpec {
  readonly issuer: string;
  readonly agent_did: string;
  readonly start: number;
  readonly end: number;
  readonly issued_at: number;
  readonly metrics: AdvisorMetrics;
  readonly outcome: ReputationOutcome;
  readonly receipt_ids: readonly string[];
  readonly idBytes: Uint8Array;
}

/** The unsigned `DIDReputationCredential` (spec 002 shape); evidence id hashes the receipt ids. */
export function buildReputationCredential(s: ReputationSpec): Record<string, unknown> {
  const evidenceHash = toHex(sha256(utf8([...s.receipt_ids].sort().join('\n'))));
  return {
    '@context': ['https://www.w3.org/2018/credentials/v1', 'https://archon.technology/schemas/reputation/v1'],
    id: `urn:uuid:${uuidV4(s.idBytes)}`,
    type: ['VerifiableCredential', 'DIDReputationCredential'],
    issuer: s.issuer,
    issuanceDate: unixToIso(s.issued_at),
    credentialSubject: {
      id: s.agent_did,
      domain: 'hive:advisor',
      period: { start: unixToIso(s.start), end: unixToIso(s.end) },
      metrics: { ...s.metrics },
      outcome: s.outcome,
      evidence: [
        {
          type: 'SignedReceipt',
          id: `urn:sha256:${evidenceHash}`,
          description: `${s.receipt_ids.length} signed management receipts from managed node`,
        },
      ],
    },
  };
}
