/**
 * Assertions for rejection paths: the response names the layer and rule, a receipt recording the
 * rejection was appended, and nothing else about the node changed (fees, liquidity, setchannel
 * calls, rebalances, config, pending actions, Cashu redeemed).
 */
import { expect } from 'bun:test';
import type { OpenedResponse } from '../../../runtime/core/mgmt/advisor.ts';
import type { MgmtResponse } from '../../../runtime/core/mgmt/messages.ts';
import type { MgmtLayer, MgmtRule } from '../../../runtime/core/mgmt/reject.ts';
import type { Result } from '../../../runtime/core/result.ts';
import type { AdvisorError } from '../../../services/mgmt/advisor-client.ts';
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

/** Assert a verified advisor response is the named refusal and only a receipt was added. */
export function expectRefused(w: World, before: Snapshot, r: Result<OpenedResponse, AdvisorError>, layer: MgmtLayer, rule: MgmtRule): OpenedResponse {
  if (!r.ok) throw new Error(`no verified response: ${JSON.stringify(r.error)}`);
  expect(r.value.result).toMatchObject({ layer, rule });
  expect(r.value.status).toBe(layer === 'execution' ? 2 : 1);
  expect(r.value.receipt).toMatchObject({ status: layer === 'execution' ? 'error' : 'rejected', layer, rule });
  expect(snapshot(w)).toEqual({ ...before, receipts: before.receipts + 1 });
  expect(w.lastReceipt().receipt_id).toBe(r.value.receipt.receipt_id);
  return r.value;
}

/** The same for a raw (unverified) response to hand-built bytes. */
export function expectRefusedRaw(w: World, before: Snapshot, res: MgmtResponse | null, layer: MgmtLayer, rule: MgmtRule): void {
  if (!res) throw new Error('no response');
  expect(JSON.parse(res.result)).toMatchObject({ layer, rule });
  expect(JSON.parse(res.receipt)).toMatchObject({ layer, rule });
  expect(snapshot(w)).toEqual({ ...before, receipts: before.receipts + 1 });
  expect(w.lastReceipt()).toMatchObject({ layer, rule });
}
