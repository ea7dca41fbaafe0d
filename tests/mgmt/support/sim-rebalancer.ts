/**
 * A `Rebalancer` over the CLN simulator: succeeds when the source channel has the liquidity and
 * the route's fee fits `max_fee_ppm`, moving the balance as a completed circular payment would.
 * `route: 'hive'` models zero-fee fleet routes (spec 000), `'public'` a priced public route.
 */
import { err, ok } from '../../../runtime/core/result.ts';
import type { Rebalancer, RebalanceRequest } from '../../../services/mgmt/rebalancer.ts';
import type { ClnSim } from './cln-sim.ts';

/** Simulated rebalancer with a fixed route fee. */
export class SimRebalancer implements Rebalancer {
  calls = 0;
  constructor(
    private readonly sim: ClnSim,
    private readonly route: 'hive' | 'public',
    private readonly fee_ppm: number,
    private readonly available = true,
  ) {}

  async rebalance(req: RebalanceRequest) {
    this.calls += 1;
    if (!this.available) return err(`no ${this.route} route`);
    if (this.fee_ppm > req.max_fee_ppm) return err(`route fee ${this.fee_ppm} ppm > ${req.max_fee_ppm}`);
    const amount_msat = req.amount_sats * 1000;
    const fee_msat = Math.ceil((amount_msat * this.fee_ppm) / 1_000_000);
    if (!this.sim.moveLiquidity(req.from_scid, req.to_scid, amount_msat, fee_msat)) return err('insufficient liquidity');
    return ok({ route: this.route, fee_msat, hops: this.route === 'hive' ? 2 : 4 });
  }
}
