/**
 * Assertions for rejection paths: the response names the layer and rule and carries a signed receipt;
 * that receipt was stored only for a request whose credential verified (layers after `transport` and
 * `credential`, issue 15 item 7), and nothing else about the node changed (fees, liquidity,
 * setchannel calls, rebalances, config, pending actions, Cashu redeemed).
 */
import { expect } from 'bun:test';
import type { OpenedResponse } from '../../../runtime/core/mgmt/advisor.ts';
import type { MgmtResponse } from '../../../runtime/core/mgmt/messages.ts';
import type { MgmtLayer, MgmtRule } from '../../../runtime/core/mgmt/reject.ts';
import type { Result } from '../../../runtime/core/result.ts';
import type { AdvisorError } from '../../../runtime/node/mgmt/advisor-client.ts';
import type { World } from './world.ts';

/** What must not change when a command is refused. */
export interface Snapshot {
  fees: Record<string, number>;
  liquidity: Record<string, number>;
  setchannel: number;
  rebalances: number;
  config: Record<string, number>;
  pending: number;
  redeemed: number;
  receipts: number;
}

/** Capture the node's observable state. */
export function snapshot(w: World): Snapshot {
  const ch = [...w.sim.channels.values()];
  return {
    fees: Object.fromEntries(ch.map((c) => [c.scid, c.fee_ppm])),
    liquidity: Object.fromEntries(ch.map((c) => [c.scid, c.to_us_msat])),
    setchannel: w.sim.calls.get('setchannel') ?? 0,
    rebalances: w.hiveRoutes.calls + w.publicRoutes.calls,
    config: w.store.getConfig(),
    pending: w.store.pendingActions().length,
    redeemed: w.store.redeemedSats(),
    receipts: w.store.receipts().length,
  };
}

/**
 * Rules refused before the credential verified (signature, nonce, credential validity; gate.ts
 * `authorize`, credential.ts): their receipts are answered but not stored.
 */
const UNSTORED_RULES: ReadonlySet<string> = new Set([
  'malformed_message', 'stale_timestamp', 'future_timestamp', 'unresolvable_did', 'bad_signature', 'agent_mismatch', 'replayed_nonce', 'rate_limited',
  'expired', 'not_yet_valid', 'revoked', 'untrusted_issuer', 'bad_credential_signature', 'wrong_node', 'validity_too_long', 'malformed_credential',
]);

/** Whether a refusal by `rule` stores its receipt (only once the credential verified; runtime/node/mgmt/managed-node.ts). */
export function receiptStored(rule: MgmtRule): boolean {
  return !UNSTORED_RULES.has(rule);
}

function expectStored(w: World, before: Snapshot, rule: MgmtRule, receiptId: string): void {
  const stored = receiptStored(rule);
  expect(snapshot(w)).toEqual({ ...before, receipts: before.receipts + (stored ? 1 : 0) });
  if (stored) expect(w.lastReceipt().receipt_id).toBe(receiptId);
  else expect(w.store.receipts().some((x) => x.receipt_id === receiptId)).toBe(false);
}

/** Assert a verified advisor response is the named refusal and only a receipt was added. */
export function expectRefused(w: World, before: Snapshot, r: Result<OpenedResponse, AdvisorError>, layer: MgmtLayer, rule: MgmtRule): OpenedResponse {
  if (!r.ok) throw new Error(`no verified response: ${JSON.stringify(r.error)}`);
  expect(r.value.result).toMatchObject({ layer, rule });
  expect(r.value.status).toBe(layer === 'execution' ? 2 : 1);
  expect(r.value.receipt).toMatchObject({ status: layer === 'execution' ? 'error' : 'rejected', layer, rule });
  expectStored(w, before, rule, r.value.receipt.receipt_id);
  return r.value;
}

/** The same for a raw (unverified) response to hand-built bytes. */
export function expectRefusedRaw(w: World, before: Snapshot, res: MgmtResponse | null, layer: MgmtLayer, rule: MgmtRule): void {
  if (!res) throw new Error('no response');
  expect(JSON.parse(res.result)).toMatchObject({ layer, rule });
  const receipt = JSON.parse(res.receipt) as { receipt_id: string };
  expect(receipt).toMatchObject({ layer, rule });
  expectStored(w, before, rule, receipt.receipt_id);
}
