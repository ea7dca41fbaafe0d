/**
 * Payments between simnet nodes — the smallest faithful piece of Lightning payments that lets a
 * BOLT 11 invoice created with `invoice` on one simulated lightningd be paid with `pay` on another
 * and reveal its preimage (stands for CLN v26.06 `pay` over BOLT 4 onion routing and BOLT 2 HTLCs).
 *
 * What is simulated: a route over simnet channels (fewest hops; every hop's peers connected, link
 * not partitioned, the sending side able to spend the hop amount above a 1 % reserve), the
 * forwarding fee each intermediate node charges on its outgoing channel (fee_base_msat +
 * fee_proportional_millionths, as set with `setchannel`), the payee's checks (invoice known, not
 * paid, not expired, amount at least the invoice's), and the atomic outcome: balances move along
 * the route, the invoice is paid, intermediate nodes record settled forwards (`listforwards`).
 * Not simulated: HTLC states in flight, CLTV, MPP (one part), probing and retries over other routes.
 */
import type { SimChannel } from './channel.ts';
import { peerOf } from './channel.ts';
import type { SimNetwork } from './network.ts';
import type { SimInvoice, SimNode } from './node.ts';

/** A forward an intermediate node settled or failed (CLN doc/schemas/listforwards.json subset). */
export interface SimForward {
  readonly created_index: number;
  readonly in_channel: string;
  readonly in_htlc_id: number;
  readonly in_msat: number;
  readonly out_channel: string;
  readonly out_htlc_id?: number;
  readonly out_msat: number;
  readonly fee_msat: number;
  readonly status: 'settled' | 'local_failed';
  /** BOLT 4 failure name of a `local_failed` forward. */
  readonly failreason?: string;
  readonly style: 'tlv';
  /** Unix seconds with fraction, as CLN prints them. */
  readonly received_time: number;
  readonly resolved_time: number;
}

/** One hop: the channel and the amount that crosses it. */
export interface Hop {
  readonly channel: SimChannel;
  readonly from: SimNode;
  readonly to: SimNode;
  readonly amount_msat: number;
}

/** Why a payment attempt failed, in `pay`'s terms. */
export type PaymentFailure =
  | { readonly kind: 'no_route' }
  | { readonly kind: 'too_expensive'; readonly fee_msat: number; readonly budget_msat: number }
  | { readonly kind: 'destination_refused'; readonly reason: string };

/** A completed payment. */
export interface PaymentSuccess {
  readonly preimage: string;
  readonly amount_sent_msat: number;
  readonly hops: number;
}

/** What `nodeId` can send over `ch` now: its balance above a 1 % reserve. */
export const spendable = (ch: SimChannel, nodeId: string) => ch.to_msat.get(nodeId)! - Math.floor(ch.capacity_msat / 100);

/** Channels `node` can send `amount_msat` over right now, with the node at the far end. */
function usableChannels(net: SimNetwork, node: SimNode, amount_msat: number): { channel: SimChannel; next: SimNode }[] {
  return net.channelsOf(node.nodeId).flatMap((channel) => {
    if (channel.state !== 'CHANNELD_NORMAL') return [];
    const next = net.nodeById(peerOf(channel, node.nodeId));
    if (!next?.running || !node.peers.get(next.nodeId)?.connected || net.link(node.nodeId, next.nodeId).partitioned) return [];
    return spendable(channel, node.nodeId) >= amount_msat ? [{ channel, next }] : [];
  });
}

/** Fewest-hop path from `payer` to `payee` over usable channels (breadth first). */
function shortestPath(net: SimNetwork, payer: SimNode, payee: SimNode, amount_msat: number): { channel: SimChannel; from: SimNode; to: SimNode }[] | null {
  const via = new Map<string, { channel: SimChannel; from: SimNode; to: SimNode }>();
  const queue: SimNode[] = [payer];
  const seen = new Set([payer.nodeId]);
  while (queue.length > 0) {
    const node = queue.shift()!;
    if (node === payee) break;
    for (const { channel, next } of usableChannels(net, node, amount_msat)) {
      if (seen.has(next.nodeId)) continue;
      seen.add(next.nodeId);
      via.set(next.nodeId, { channel, from: node, to: next });
      queue.push(next);
    }
  }
  if (!via.has(payee.nodeId)) return null;
  const path = [];
  for (let at = payee.nodeId; at !== payer.nodeId; ) {
    const step = via.get(at)!;
    path.unshift(step);
    at = step.from.nodeId;
  }
  return path;
}

/** Amounts per hop, last hop = `amount_msat`, each earlier hop adding the next forwarder's fee. */
function withAmounts(path: { channel: SimChannel; from: SimNode; to: SimNode }[], amount_msat: number): Hop[] {
  const hops: Hop[] = [];
  let amount = amount_msat;
  for (let i = path.length - 1; i >= 0; i--) {
    const p = path[i]!;
    hops.unshift({ ...p, amount_msat: amount });
    if (i > 0) {
      const policy = p.channel.policy.get(p.from.nodeId)!;
      amount += policy.fee_base_msat + Math.floor((amount * policy.fee_proportional_millionths) / 1_000_000);
    }
  }
  return hops;
}

/** What the payee says about an incoming payment (BOLT 4 final-node checks). */
function payeeRefusal(invoice: SimInvoice | undefined, amount_msat: number, now_s: number): string | null {
  if (!invoice || invoice.status === 'paid') return 'WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS';
  if (invoice.expires_at <= now_s) return 'WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS';
  if (amount_msat < invoice.amount_msat) return 'WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS';
  return null;
}

/**
 * Pay `amount_msat` to `payment_hash` at `payee` from `payer`, charging at most `budget_msat` in
 * fees. Atomic: on failure nothing changed.
 * @returns the preimage and the amount sent, or why it failed.
 */
export function settlePayment(
  net: SimNetwork,
  payer: SimNode,
  payee: SimNode,
  payment_hash: string,
  amount_msat: number,
  budget_msat: number,
  now_s: number,
): { ok: true; value: PaymentSuccess } | { ok: false; error: PaymentFailure } {
  const path = payee.running ? shortestPath(net, payer, payee, amount_msat) : null;
  if (!path) return { ok: false, error: { kind: 'no_route' } };
  const hops = withAmounts(path, amount_msat);
  const sent = hops[0]!.amount_msat;
  if (sent - amount_msat > budget_msat) return { ok: false, error: { kind: 'too_expensive', fee_msat: sent - amount_msat, budget_msat } };
  if (hops.some((h) => spendable(h.channel, h.from.nodeId) < h.amount_msat)) return { ok: false, error: { kind: 'no_route' } };
  const invoice = [...payee.invoices.values()].find((i) => i.payment_hash === payment_hash);
  const refusal = payeeRefusal(invoice, amount_msat, now_s);
  if (refusal || !invoice) return { ok: false, error: { kind: 'destination_refused', reason: refusal ?? 'unknown invoice' } };
  recordHops(hops, now_s);
  invoice.status = 'paid';
  invoice.paid_at = now_s;
  invoice.amount_received_msat = amount_msat;
  return { ok: true, value: { preimage: invoice.preimage, amount_sent_msat: sent, hops: hops.length } };
}

/** Move the amounts along `hops` and record each intermediate node's settled forward. */
export function recordHops(hops: readonly Hop[], now_s: number): void {
  for (const h of hops) {
    h.channel.to_msat.set(h.from.nodeId, h.channel.to_msat.get(h.from.nodeId)! - h.amount_msat);
    h.channel.to_msat.set(h.to.nodeId, h.channel.to_msat.get(h.to.nodeId)! + h.amount_msat);
  }
  for (let i = 1; i < hops.length; i++) {
    const into = hops[i - 1]!;
    const out = hops[i]!;
    const fw = out.from.forwards;
    fw.push({
      created_index: fw.length + 1,
      in_channel: into.channel.short_channel_id,
      in_htlc_id: fw.length,
      in_msat: into.amount_msat,
      out_channel: out.channel.short_channel_id,
      out_htlc_id: fw.length,
      out_msat: out.amount_msat,
      fee_msat: into.amount_msat - out.amount_msat,
      status: 'settled',
      style: 'tlv',
      received_time: now_s,
      resolved_time: now_s,
    });
  }
}
