/**
 * Circular rebalancing through lightningd (spec 000 §3.2; spec 002 §4 `circular_rebalance`): an
 * invoice of our own (`invoice`, CLN doc/schemas/invoice.json), a route out through one channel
 * and back through another built from `listpeerchannels` + `listchannels`
 * (runtime/core/rebalance/circular-route.ts), paid with the node's `payRoute` (CLN `sendpay` +
 * `waitsendpay`, doc/schemas/sendpay.json, waitsendpay.json; LND `SendToRouteV2`). A failure along the route (204) excludes the
 * erring channel and tries the next route, up to `MAX_ATTEMPTS`; the fee cap is checked before
 * anything is sent. Failures come back as values with lightningd's words.
 */
import { circularRoute, directedChannels, type CircularRouteError } from '../../runtime/core/rebalance/circular-route.ts';
import type { NodeBackend } from '../../runtime/core/ports.ts';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { toHex } from '../../runtime/core/types.ts';

/** Routes tried per rebalance (each after a 204 failure along the previous one). */
export const MAX_ATTEMPTS = 3;
/** min_final_cltv_expiry of our rebalance invoices (CLN's default `cltv-final`). */
export const REBALANCE_FINAL_CLTV = 18;

/** One circular payment to make. */
export interface CircularRequest {
  /** Our channel the payment leaves through. */
  readonly out_scid: string;
  /** The channel it comes in through: ours, or (push rebalance) another member's. */
  readonly in_scid: string;
  /** The node `in_scid` delivers to; absent = us. */
  readonly in_node?: string;
  /** Fleet nodes from `in_node` back to us (`in_node` first, us last); absent when `in_node` is us. */
  readonly back_route?: readonly string[];
  readonly amount_sat: number;
  /** Highest total fee, msat. */
  readonly max_fee_msat: number;
  /** How long `waitsendpay` waits, seconds. */
  readonly timeout_s: number;
  /** Only these nodes between the two channels (fleet route), or null for any public route. */
  readonly only_via: ReadonlySet<string> | null;
}

/** A completed circular payment. */
export interface CircularResult {
  readonly payment_hash: string;
  readonly amount_sat: number;
  readonly fee_msat: number;
  readonly hops: number;
  /** Node ids along the route, first hop first (ends with us). */
  readonly route: readonly string[];
  readonly attempts: number;
}

/** Makes circular payments on one node. */
export class CircularPayer {
  constructor(
    private readonly backend: NodeBackend,
    private readonly random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n)),
  ) {}

  /** Pay `req` around. @returns the result, or what went wrong (route, fee cap, lightningd's error, timeout). */
  async pay(req: CircularRequest): Promise<Result<CircularResult, string>> {
    if (!Number.isSafeInteger(req.amount_sat) || req.amount_sat <= 0) return err(`amount ${req.amount_sat} sat is not a positive whole number`);
    const [info, peers, pub] = await Promise.all([this.backend.getinfo(), this.backend.listpeerchannels(), this.backend.listchannels()]);
    if (!info.ok) return err(`getinfo: ${info.error.message}`);
    if (!peers.ok) return err(`listpeerchannels: ${peers.error.message}`);
    if (!pub.ok) return err(`listchannels: ${pub.error.message}`);
    const us = info.value.id;
    const out = peers.value.find((c) => c.short_channel_id === req.out_scid && c.state === 'CHANNELD_NORMAL');
    if (!out) return err(`${req.out_scid} is not a normal channel of this node`);
    const spendable = out.spendable_msat ?? out.to_us_msat ?? 0;
    const excluded = new Set<string>();
    const label = `hivebox-rebalance-${toHex(this.random(8))}`;
    const amount_msat = req.amount_sat * 1000;
    const inv = await this.backend.invoice(amount_msat, label, `hivebox circular rebalance ${req.out_scid} -> ${req.in_scid}`, req.timeout_s * MAX_ATTEMPTS + 60, REBALANCE_FINAL_CLTV);
    if (!inv.ok) return err(`invoice: ${inv.error.message}`);
    const invoice = inv.value;
    if (typeof invoice.payment_hash !== 'string' || typeof invoice.payment_secret !== 'string') return err('invoice: no payment_hash / payment_secret in the answer');
    const payment_secret = invoice.payment_secret;
    let lastFailure = '';
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const channels = directedChannels(us, peers.value, pub.value).filter((c) => !excluded.has(c.scid) || c.scid === req.out_scid || c.scid === req.in_scid);
      const route = circularRoute(
        { our_id: us, out_scid: req.out_scid, in_scid: req.in_scid, in_node: req.in_node ?? us, back_route: req.back_route ?? [], amount_msat, max_fee_msat: req.max_fee_msat, final_cltv: REBALANCE_FINAL_CLTV, only_via: req.only_via },
        channels,
        spendable,
      );
      if (!route.ok) return err(attempt === 1 ? routeError(route.error) : `${lastFailure}; then ${routeError(route.error)}`);
      const waited = await this.backend.payRoute({ hops: route.value.hops, payment_hash: invoice.payment_hash, payment_secret, amount_msat, label, timeout_s: req.timeout_s });
      if (waited.ok) {
        return ok({ payment_hash: invoice.payment_hash, amount_sat: req.amount_sat, fee_msat: route.value.fee_msat, hops: route.value.hops.length, route: route.value.hops.map((h) => h.id), attempts: attempt });
      }
      const e = waited.error;
      if (e.code === 200) return err(`waitsendpay: timed out after ${req.timeout_s} s (payment ${invoice.payment_hash} may still settle)`);
      lastFailure = `${e.method} (${e.code}): ${e.message}`;
      const erring = (e.data as { erring_channel?: unknown } | undefined)?.erring_channel;
      if (e.code !== 204 || typeof erring !== 'string' || erring === req.out_scid || erring === req.in_scid) return err(lastFailure);
      excluded.add(erring);
    }
    return err(`${lastFailure} (after ${MAX_ATTEMPTS} routes)`);
  }
}

function routeError(e: CircularRouteError): string {
  switch (e.kind) {
    case 'unknown_channel':
      return `channel ${e.scid}: ${e.detail}`;
    case 'insufficient_balance':
      return `${e.scid} can send ${Math.floor(e.spendable_msat / 1000)} sat, the rebalance needs ${Math.ceil(e.needed_msat / 1000)} sat`;
    case 'no_path':
      return `no route from ${e.from.slice(0, 16)}… to ${e.to.slice(0, 16)}…`;
    case 'htlc_limits':
      return `${e.amount_msat} msat is outside ${e.scid}'s HTLC limits`;
    case 'fee_too_high':
      return `cheapest route costs ${e.fee_msat} msat, above the cap of ${e.max_fee_msat} msat`;
  }
}
