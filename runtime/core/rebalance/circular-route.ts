/**
 * Circular rebalance routes (spec 000 §3.2 push rebalancing; spec 002 §4 `circular_rebalance`): a
 * payment from our node out through `out_scid`, across the graph to the node at the far end of
 * `in_scid`, in through `in_scid` to `in_node`, and (when `in_node` is another fleet member) back
 * to us over the given fleet nodes — paid to an invoice of our own, so only the balances move.
 *
 * The result is lightningd's `sendpay` route (CLN doc/schemas/sendpay.json: per hop `id`,
 * `channel`, `direction`, `amount_msat` = what the node at the end of the hop receives, `delay` =
 * the CLTV it expects, relative to the current block), built backwards from the final hop the way
 * BOLT 4 does: each forwarding node adds its `fee_base_msat + amount × ppm / 1e6` and its
 * `cltv_expiry_delta` for its outgoing channel. Pure: channels in, route or typed error out.
 */
import type { NodeChannel, NodePeerChannel } from '../ports.ts';
import { err, ok, type Result } from '../result.ts';

/** One directed channel a payment can cross, with the forwarding policy of its source. */
export interface DirectedChannel {
  readonly scid: string;
  readonly source: string;
  readonly destination: string;
  /** BOLT 7 direction: 0 when `source` is the lesser node id. */
  readonly direction: 0 | 1;
  readonly fee_base_msat: number;
  readonly fee_ppm: number;
  readonly cltv_delta: number;
  readonly htlc_minimum_msat: number;
  readonly htlc_maximum_msat: number;
}

/** One `sendpay` route hop (CLN's older field names, accepted by every version). */
export interface SendpayHop {
  readonly id: string;
  readonly channel: string;
  readonly direction: 0 | 1;
  readonly amount_msat: number;
  readonly delay: number;
  readonly style: 'tlv';
}

/** What to route. */
export interface CircularRouteRequest {
  readonly our_id: string;
  /** Our channel the payment leaves through. */
  readonly out_scid: string;
  /** The channel the payment arrives through (ours, or another member's draining channel). */
  readonly in_scid: string;
  /** The node `in_scid` delivers to (us for our own channel; the member for a push). */
  readonly in_node: string;
  /** Fleet nodes from `in_node` back to us, `in_node` first, us last (empty when `in_node` is us). */
  readonly back_route: readonly string[];
  /** Amount that arrives at our invoice, msat. */
  readonly amount_msat: number;
  /** Highest total fee, msat. */
  readonly max_fee_msat: number;
  /** CLTV delta the final hop (our invoice, `min_final_cltv_expiry`) needs. */
  readonly final_cltv: number;
  /** The only nodes the route may pass between our two channels — their peers included — or null for any (public route). */
  readonly only_via: ReadonlySet<string> | null;
}

/** A route ready for `sendpay`. */
export interface CircularRoute {
  readonly hops: readonly SendpayHop[];
  /** What we send into `out_scid`, msat (amount + fees). */
  readonly amount_sent_msat: number;
  readonly fee_msat: number;
}

/** Why no route was built. */
export type CircularRouteError =
  | { readonly kind: 'unknown_channel'; readonly scid: string; readonly detail: string }
  | { readonly kind: 'insufficient_balance'; readonly scid: string; readonly spendable_msat: number; readonly needed_msat: number }
  | { readonly kind: 'no_path'; readonly from: string; readonly to: string }
  | { readonly kind: 'htlc_limits'; readonly scid: string; readonly amount_msat: number }
  | { readonly kind: 'fee_too_high'; readonly fee_msat: number; readonly max_fee_msat: number };

/** Every directed channel we know: public ones from `listchannels`, ours (public or not) from `listpeerchannels`. */
export function directedChannels(ourId: string, peerChannels: readonly NodePeerChannel[], publicChannels: readonly NodeChannel[]): DirectedChannel[] {
  const out: DirectedChannel[] = [];
  const ours = new Set<string>();
  for (const c of peerChannels) {
    if (c.state !== 'CHANNELD_NORMAL' || !c.short_channel_id) continue;
    ours.add(c.short_channel_id);
    const local = c.updates?.local;
    const remote = c.updates?.remote;
    if (local) out.push(edge(c.short_channel_id, ourId, c.peer_id, local));
    if (remote) out.push(edge(c.short_channel_id, c.peer_id, ourId, remote));
  }
  for (const c of publicChannels) {
    if (!c.active || ours.has(c.short_channel_id)) continue;
    out.push({
      scid: c.short_channel_id,
      source: c.source,
      destination: c.destination,
      direction: c.direction === 1 ? 1 : 0,
      fee_base_msat: c.base_fee_millisatoshi,
      fee_ppm: c.fee_per_millionth,
      cltv_delta: c.delay,
      htlc_minimum_msat: c.htlc_minimum_msat ?? 0,
      htlc_maximum_msat: c.htlc_maximum_msat ?? c.amount_msat,
    });
  }
  return out;
}

function edge(scid: string, source: string, destination: string, p: NonNullable<NonNullable<NodePeerChannel['updates']>['local']>): DirectedChannel {
  return {
    scid,
    source,
    destination,
    direction: source < destination ? 0 : 1,
    fee_base_msat: p.fee_base_msat,
    fee_ppm: p.fee_proportional_millionths,
    cltv_delta: p.cltv_expiry_delta,
    htlc_minimum_msat: p.htlc_minimum_msat,
    htlc_maximum_msat: p.htlc_maximum_msat,
  };
}

/** Fee a node charges to forward `amount_msat` over `c` (BOLT 7: base + amount × ppm / 1e6, rounded down). */
export function forwardFeeMsat(c: DirectedChannel, amount_msat: number): number {
  return c.fee_base_msat + Math.floor((amount_msat * c.fee_ppm) / 1_000_000);
}

/**
 * Build the circular route. `spendable_out_msat` is what we can send over `out_scid` now
 * (`listpeerchannels` `spendable_msat`).
 * @returns the route, or why none fits (unknown channel, balance, no path, HTLC limits, fee cap).
 */
export function circularRoute(req: CircularRouteRequest, channels: readonly DirectedChannel[], spendable_out_msat: number): Result<CircularRoute, CircularRouteError> {
  const first = channels.find((c) => c.scid === req.out_scid && c.source === req.our_id);
  if (!first) return err({ kind: 'unknown_channel', scid: req.out_scid, detail: 'not a normal channel of ours' });
  const last = channels.find((c) => c.scid === req.in_scid && c.destination === req.in_node);
  if (!last) return err({ kind: 'unknown_channel', scid: req.in_scid, detail: `no channel into ${req.in_node}` });
  if (req.out_scid === req.in_scid) return err({ kind: 'unknown_channel', scid: req.in_scid, detail: 'the payment would enter through the channel it leaves from' });
  const backNodes = req.in_node === req.our_id ? [] : req.back_route;
  if (req.in_node !== req.our_id && (backNodes[0] !== req.in_node || backNodes[backNodes.length - 1] !== req.our_id)) return err({ kind: 'no_path', from: req.in_node, to: req.our_id });
  const back: DirectedChannel[] = [];
  for (let i = 0; i + 1 < backNodes.length; i++) {
    const hop = bestChannel(channels, backNodes[i]!, backNodes[i + 1]!, req.amount_msat);
    if (!hop) return err({ kind: 'no_path', from: backNodes[i]!, to: backNodes[i + 1]! });
    back.push(hop);
  }
  if (req.only_via && (!req.only_via.has(first.destination) || !req.only_via.has(last.source))) return err({ kind: 'no_path', from: first.destination, to: last.source });
  const middle = shortestPath(channels, first.destination, last.source, req, new Set([req.out_scid, req.in_scid]));
  if (!middle) return err({ kind: 'no_path', from: first.destination, to: last.source });
  const path = [first, ...middle, last, ...back];
  const amounts: number[] = new Array(path.length);
  const delays: number[] = new Array(path.length);
  amounts[path.length - 1] = req.amount_msat;
  delays[path.length - 1] = req.final_cltv;
  for (let i = path.length - 2; i >= 0; i--) {
    const next = path[i + 1]!;
    amounts[i] = amounts[i + 1]! + forwardFeeMsat(next, amounts[i + 1]!);
    delays[i] = delays[i + 1]! + next.cltv_delta;
  }
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (amounts[i]! < c.htlc_minimum_msat || amounts[i]! > c.htlc_maximum_msat) return err({ kind: 'htlc_limits', scid: c.scid, amount_msat: amounts[i]! });
  }
  const sent = amounts[0]!;
  const fee = sent - req.amount_msat;
  if (fee > req.max_fee_msat) return err({ kind: 'fee_too_high', fee_msat: fee, max_fee_msat: req.max_fee_msat });
  if (sent > spendable_out_msat) return err({ kind: 'insufficient_balance', scid: req.out_scid, spendable_msat: spendable_out_msat, needed_msat: sent });
  const hops = path.map((c, i): SendpayHop => ({ id: c.destination, channel: c.scid, direction: c.direction, amount_msat: amounts[i]!, delay: delays[i]!, style: 'tlv' }));
  return ok({ hops, amount_sent_msat: sent, fee_msat: fee });
}

/** The cheapest channel from `a` to `b` that carries `amount_msat`. */
function bestChannel(channels: readonly DirectedChannel[], a: string, b: string, amount_msat: number): DirectedChannel | null {
  const fits = channels.filter((c) => c.source === a && c.destination === b && c.htlc_maximum_msat >= amount_msat);
  fits.sort((x, y) => forwardFeeMsat(x, amount_msat) - forwardFeeMsat(y, amount_msat) || x.scid.localeCompare(y.scid));
  return fits[0] ?? null;
}

/**
 * Fewest-hop, then cheapest path from `from` to `to` (breadth first over channels that carry the
 * amount, never through us or the excluded scids, only through `only_via` when given).
 */
function shortestPath(channels: readonly DirectedChannel[], from: string, to: string, req: CircularRouteRequest, excluded: ReadonlySet<string>): DirectedChannel[] | null {
  if (from === to) return [];
  const bySource = new Map<string, DirectedChannel[]>();
  for (const c of channels) {
    if (excluded.has(c.scid) || c.htlc_maximum_msat < req.amount_msat || c.destination === req.our_id || c.source === req.our_id) continue;
    const list = bySource.get(c.source) ?? [];
    list.push(c);
    bySource.set(c.source, list);
  }
  for (const list of bySource.values()) list.sort((x, y) => forwardFeeMsat(x, req.amount_msat) - forwardFeeMsat(y, req.amount_msat) || x.scid.localeCompare(y.scid));
  const via = new Map<string, DirectedChannel>();
  const queue = [from];
  const seen = new Set([from]);
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const c of bySource.get(node) ?? []) {
      if (seen.has(c.destination)) continue;
      if (c.destination !== to && req.only_via && !req.only_via.has(c.destination)) continue;
      seen.add(c.destination);
      via.set(c.destination, c);
      if (c.destination === to) return unwind(via, from, to);
      queue.push(c.destination);
    }
  }
  return null;
}

function unwind(via: ReadonlyMap<string, DirectedChannel>, from: string, to: string): DirectedChannel[] {
  const path: DirectedChannel[] = [];
  for (let at = to; at !== from; ) {
    const c = via.get(at)!;
    path.unshift(c);
    at = c.source;
  }
  return path;
}
