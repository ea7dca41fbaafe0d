/**
 * The pluggable rebalancer behind `hive:rebalance/v1 circular_rebalance` (spec 002 §4; issue 9 §3
 * "rebalances through a pluggable rebalancer with fleet routes preferred"). A `Rebalancer` moves
 * `amount_sats` out of `from_scid` and back in through `to_scid`; `FleetFirstRebalancer` tries the
 * fleet's (zero-fee, spec 000) routes first when asked to and falls back to public routes.
 */
import type { NodeBackend } from '../../runtime/core/ports.ts';
import { ok, type Result } from '../../runtime/core/result.ts';
import { CircularPayer } from '../liquidity/circular-rebalancer.ts';

/** A circular rebalance to perform. */
export interface RebalanceRequest {
  readonly from_scid: string;
  readonly to_scid: string;
  readonly amount_sats: number;
  /** Highest fee to pay, ppm of the amount. */
  readonly max_fee_ppm: number;
  readonly prefer_hive_route: boolean;
}

/** A completed rebalance. */
export interface RebalanceResult {
  readonly route: 'hive' | 'public';
  readonly fee_msat: number;
  readonly hops: number;
  /** The payment that moved the funds (lightningd's payment_hash), when it went through lightningd. */
  readonly payment_hash?: string;
}

/** Performs circular rebalances; failures are values (no route, fee too high, node error). */
export interface Rebalancer {
  rebalance(req: RebalanceRequest): Promise<Result<RebalanceResult, string>>;
}

/** Fleet routes first (when preferred and available), then public routes. */
export class FleetFirstRebalancer implements Rebalancer {
  constructor(
    private readonly fleet: Rebalancer | null,
    private readonly publicRoutes: Rebalancer,
  ) {}

  async rebalance(req: RebalanceRequest): Promise<Result<RebalanceResult, string>> {
    if (req.prefer_hive_route && this.fleet) {
      const viaFleet = await this.fleet.rebalance(req);
      if (viaFleet.ok) return viaFleet;
    }
    return this.publicRoutes.rebalance(req);
  }
}

/**
 * A rebalancer over lightningd's sendpay (services/liquidity/circular-rebalancer.ts): a circular
 * payment out of `from_scid` and back in through `to_scid` to an invoice of our own, the fee cap
 * being `max_fee_ppm` of the amount. `fleet` (a function, read per request) limits the hops between
 * the two channels to fleet members (the 0-fee hive route); without it any public route is used.
 */
export class LightningRebalancer implements Rebalancer {
  constructor(
    private readonly payer: CircularPayer,
    private readonly timeout_s: number,
    private readonly fleet: (() => ReadonlySet<string>) | null,
  ) {}

  async rebalance(req: RebalanceRequest): Promise<Result<RebalanceResult, string>> {
    const r = await this.payer.pay({
      out_scid: req.from_scid,
      in_scid: req.to_scid,
      amount_sat: req.amount_sats,
      max_fee_msat: Math.floor((req.amount_sats * 1000 * req.max_fee_ppm) / 1_000_000),
      timeout_s: this.timeout_s,
      only_via: this.fleet ? this.fleet() : null,
    });
    if (!r.ok) return r;
    return ok({ route: this.fleet ? 'hive' : 'public', fee_msat: r.value.fee_msat, hops: r.value.hops, payment_hash: r.value.payment_hash });
  }
}

/** Seconds a management rebalance waits for its payment (`waitsendpay` timeout). */
export const MGMT_REBALANCE_TIMEOUT_S = 60;

/** The rebalancer a managed node uses: fleet-member routes first when asked, then public ones. */
export function lightningRebalancer(backend: NodeBackend, fleetMembers: () => ReadonlySet<string>): Rebalancer {
  const payer = new CircularPayer(backend);
  return new FleetFirstRebalancer(new LightningRebalancer(payer, MGMT_REBALANCE_TIMEOUT_S, fleetMembers), new LightningRebalancer(payer, MGMT_REBALANCE_TIMEOUT_S, null));
}
