/**
 * The payload schema for cl-hive types Hivebox knows by name but does not interpret yet
 * (expansion, intelligence, settlement, splice, MCF, credential and bond messages;
 * clhive-protocol.md §2.1, §2.3 "Other domains"). Such a payload is **not fully validated**: it
 * must be a JSON object within the codec's global caps (size, depth, array and key counts), and
 * `_`-prefixed relay metadata keys are stripped from the validated view. A handler that starts
 * consuming one of these types must first give it a real schema.
 */
import { z } from 'zod';
import { lazy } from '../../lazy.ts';
import { AGE_LIMITS } from '../limits.ts';
import { type MessageSpec, opaqueSignature } from '../spec.ts';
import { MGMT_CREDENTIAL_REVOKE_TYPE } from '../traffic.ts';

/** Any JSON object; `_`-prefixed keys removed from the output. */
const GenericPayload = lazy(() =>
  z.record(z.string(), z.unknown()).transform((obj) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) if (!k.startsWith('_')) out[k] = v;
    return out;
  }),
);

/** A generic payload's validated view. */
type GenericPayload = z.output<ReturnType<typeof GenericPayload>>;

/**
 * The facts of a generic type: its name, id and freshness window; schema `GenericPayload`, its
 * `signature` reported present but not checkable, no gate rule (the fleet does not consume it).
 */
function genericSpec<const N extends string, const I extends number>(name: N, id: I, max_age_s: number | null) {
  return {
    name,
    id,
    get schema() {
      return GenericPayload();
    },
    max_age_s,
    signed: opaqueSignature,
  } as const satisfies MessageSpec<GenericPayload>;
}

/** The cl-hive types Hivebox knows by name but does not interpret (clhive-protocol.md §2.1), in id order. */
export const GENERIC_SPECS = [
  genericSpec('PEER_AVAILABLE', 32803, null),
  genericSpec('EXPANSION_NOMINATE', 32805, null),
  genericSpec('EXPANSION_ELECT', 32807, null),
  genericSpec('LIQUIDITY_NEED', 32811, AGE_LIMITS.intelligence_s),
  genericSpec('HEALTH_REPORT', 32813, AGE_LIMITS.intelligence_s),
  genericSpec('ROUTE_PROBE', 32815, null),
  genericSpec('EXPANSION_DECLINE', 32819, null),
  genericSpec('SETTLEMENT_OFFER', 32821, AGE_LIMITS.settlement_s),
  genericSpec('FEE_REPORT', 32823, AGE_LIMITS.intelligence_s),
  genericSpec('FEE_INTELLIGENCE_SNAPSHOT', 32825, AGE_LIMITS.intelligence_s),
  genericSpec('PEER_REPUTATION_SNAPSHOT', 32827, null),
  genericSpec('ROUTE_PROBE_BATCH', 32829, null),
  genericSpec('LIQUIDITY_SNAPSHOT', 32831, AGE_LIMITS.intelligence_s),
  genericSpec('TASK_REQUEST', 32833, null),
  genericSpec('TASK_RESPONSE', 32835, null),
  genericSpec('SPLICE_INIT_REQUEST', 32837, null),
  genericSpec('SPLICE_INIT_RESPONSE', 32839, null),
  genericSpec('SPLICE_UPDATE', 32841, null),
  genericSpec('SPLICE_SIGNED', 32843, null),
  genericSpec('SPLICE_ABORT', 32845, null),
  genericSpec('SETTLEMENT_PROPOSE', 32847, AGE_LIMITS.settlement_s),
  genericSpec('SETTLEMENT_READY', 32849, AGE_LIMITS.settlement_s),
  genericSpec('SETTLEMENT_EXECUTED', 32851, AGE_LIMITS.settlement_s),
  genericSpec('STIGMERGIC_MARKER_BATCH', 32853, null),
  genericSpec('PHEROMONE_BATCH', 32855, null),
  genericSpec('YIELD_METRICS_BATCH', 32857, null),
  genericSpec('CIRCULAR_FLOW_ALERT', 32859, null),
  genericSpec('TEMPORAL_PATTERN_BATCH', 32861, null),
  genericSpec('CORRIDOR_VALUE_BATCH', 32863, null),
  genericSpec('POSITIONING_PROPOSAL', 32865, null),
  genericSpec('PHYSARUM_RECOMMENDATION', 32867, null),
  genericSpec('COVERAGE_ANALYSIS_BATCH', 32869, null),
  genericSpec('CLOSE_PROPOSAL', 32871, null),
  genericSpec('MCF_NEEDS_BATCH', 32873, null),
  genericSpec('MCF_SOLUTION_BROADCAST', 32875, null),
  genericSpec('MCF_ASSIGNMENT_ACK', 32877, null),
  genericSpec('MCF_COMPLETION_REPORT', 32879, null),
  genericSpec('DID_CREDENTIAL_PRESENT', 32883, null),
  genericSpec('DID_CREDENTIAL_REVOKE', 32885, null),
  genericSpec('MGMT_CREDENTIAL_PRESENT', 32887, null),
  genericSpec('MGMT_CREDENTIAL_REVOKE', MGMT_CREDENTIAL_REVOKE_TYPE, null),
  genericSpec('SETTLEMENT_RECEIPT', 32891, null),
  genericSpec('BOND_POSTING', 32893, null),
  genericSpec('BOND_SLASH', 32895, null),
  genericSpec('NETTING_PROPOSAL', 32897, null),
  genericSpec('NETTING_ACK', 32899, null),
  genericSpec('VIOLATION_REPORT', 32901, null),
  genericSpec('ARBITRATION_VOTE', 32903, null),
] as const;
