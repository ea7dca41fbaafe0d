/**
 * Channel size for an expansion (cl-hive ChannelSizer, simplified to its three inputs named in issue 7):
 * the capacity that would lift the fleet to half the saturation share of the target, bounded by 80 % of
 * the opener's spendable on-chain funds (after the reserve) and by the configured min / max.
 */
import type { PlannerConfig } from './config.ts';

/** Proposed size, or null when the opener cannot fund even `min_channel_sat`. All amounts in sat. */
export function channelSizeSat(publicCapacitySat: number, fleetCapacitySat: number, onchainAvailableSat: number, cfg: PlannerConfig): number | null {
  const goal = cfg.saturation_share_min / 2;
  const gap = (goal * publicCapacitySat - fleetCapacitySat) / (1 - goal);
  const wanted = gap > 0 ? gap : cfg.default_channel_sat;
  const fundable = 0.8 * (onchainAvailableSat - cfg.onchain_reserve_sat);
  const size = Math.floor(Math.min(wanted, cfg.max_channel_sat, fundable) / 1000) * 1000;
  if (fundable < cfg.min_channel_sat) return null;
  return Math.max(size, cfg.min_channel_sat);
}
