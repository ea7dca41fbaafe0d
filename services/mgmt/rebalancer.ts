/**
 * The pluggable rebalancer behind `hive:rebalance/v1 circular_rebalance` (spec 002 §4; issue 9 §3
 * "rebalances through a pluggable rebalancer with fleet routes preferred"). A `Rebalancer` moves
 * `amount_sats` out of `from_scid` and back in through `to_scid`; `FleetFirstRebalancer` tries the
 * fleet's (zero-fee, spec 000) routes first when asked to and falls back to public routes.
 */
import type { Result } from '../../runtime/core/result.ts';

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
