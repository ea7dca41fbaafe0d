/**
 * Named rejections of management commands (spec 002 "Trust Model": each of the three layers —
 * credential, payment, local policy — blocks on its own; issue 9 §3 "each rejection names the
 * layer and rule"). Transport and schema checks come first; execution errors come last.
 */
import type { CredentialRule } from './credential.ts';

/** Which layer refused. */
export type MgmtLayer = 'transport' | 'schema' | 'credential' | 'payment' | 'policy' | 'execution';

/** Rules per layer. Each rule is produced by exactly one check. */
export type MgmtRule =
  // transport (spec 002 §3 "Replay Protection", "Message Size"; signature field [5])
  | 'malformed_message'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'bad_signature'
  | 'unresolvable_did'
  | 'replayed_nonce'
  | 'rate_limited'
  // schema (spec 002 §4)
  | 'unsupported_schema'
  | 'unknown_action'
  | 'invalid_params'
  | 'unknown_channel'
  // credential (spec 002 §1 verification rules, credential.ts; §4 constraints)
  | CredentialRule
  | 'agent_mismatch'
  | 'schema_not_allowed'
  | 'insufficient_tier'
  | 'permission_denied'
  | 'max_fee_change_pct'
  | 'max_rebalance_sats'
  | 'max_fee_ppm'
  | 'daily_cap_reached'
  // payment (spec 002 §2)
  | 'payment_required'
  | 'malformed_payment'
  | 'mint_not_allowed'
  | 'insufficient_amount'
  | 'token_spent'
  | 'mint_unreachable'
  | 'macaroon_invalid'
  | 'caveat_violated'
  | 'preimage_mismatch'
  | 'actions_exhausted'
  // local policy (spec 002 "Local Policy"; conflict rule, open question 1)
  | 'quiet_hours'
  | 'protected_channel'
  | 'max_fee_change_24h'
  | 'config_locked'
  | 'conflict'
  // execution
  | 'backend_error';

/** A rejection: layer, rule, a human-readable detail; `supported_schemas` on `unsupported_schema`. */
export interface MgmtReject {
  readonly layer: MgmtLayer;
  readonly rule: MgmtRule;
  readonly detail: string;
  readonly supported_schemas?: readonly string[];
}

/** Build a {@link MgmtReject}. */
export function reject(layer: MgmtLayer, rule: MgmtRule, detail: string, supported_schemas?: readonly string[]): MgmtReject {
  return supported_schemas ? { layer, rule, detail, supported_schemas } : { layer, rule, detail };
}
