/**
 * `hive-channels [refresh]` (spec 004 "Channel Health Monitoring"): every channel's liquidity
 * ratio, alert in force (low outbound < 0.2, low inbound > 0.8, with hysteresis), forwards,
 * success rate and fees earned over the health window, and the node-wide summary. `refresh` reads
 * lightningd now instead of returning the engine's last reading.
 */
import { z } from 'zod';
import { lazy } from '../../../core/lazy.ts';
import type { ChannelsResult } from '../channel-monitor.ts';
import type { EngineCore } from '../engine-core.ts';
import { flag, parseParams } from './params.ts';


/** `hive-channels [refresh]`. */
export const ChannelsParams = lazy(() => z.object({ refresh: flag().optional() }).strict());

/** Run `hive-channels`. @throws RpcFailure (invalidParams). */
export async function channelsCommand(core: EngineCore, params: Record<string, unknown>): Promise<ChannelsResult> {
  const p = parseParams('hive-channels', ChannelsParams, params);
  if (!p.ok) throw p.error;
  return p.value.refresh === true || core.channels.view().read_at === null ? core.channels.read() : core.channels.view();
}
