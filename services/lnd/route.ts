/**
 * A CLN `sendpay` route as LND's `lnrpc.Route` for `SendToRouteV2` (lightning.proto `Route`,
 * `Hop`): CLN hop i carries the amount and CLTV arriving at node i; LND hop i forwards
 * `amt_to_forward_msat` = that amount with `expiry` = that CLTV, `fee_msat` = what node i keeps
 * (its amount minus the next hop's; 0 at the last hop), and the last hop carries the MPP record
 * (payment_addr = the invoice's payment_secret, total = the amount paid).
 */
import type { RoutePaymentRequest } from '../../runtime/core/ports.ts';
import { chanIdOfScid } from './ids.ts';

/** The lnrpc.Route for `req` (int64 fields as decimal strings, bytes as Buffers). */
export function lndRoute(req: RoutePaymentRequest): Record<string, unknown> {
  const hops = req.hops.map((h, i) => {
    const next = req.hops[i + 1];
    const last = next === undefined;
    return {
      chan_id: chanIdOfScid(h.channel),
      pub_key: h.id,
      amt_to_forward_msat: String((next ?? h).amount_msat),
      fee_msat: String(h.amount_msat - (next ?? h).amount_msat),
      expiry: (next ?? h).delay,
      ...(last ? { mpp_record: { payment_addr: Buffer.from(req.payment_secret, 'hex'), total_amt_msat: String(req.amount_msat) } } : {}),
    };
  });
  const first = req.hops[0]!;
  return { total_time_lock: first.delay, total_amt_msat: String(first.amount_msat), total_fees_msat: String(first.amount_msat - req.amount_msat), hops };
}
