/**
 * The managed node's channels as the management core sees them, read through `listpeerchannels`
 * (CLN doc/schemas/listpeerchannels.json: `updates.local.fee_proportional_millionths`).
 */
import type { ChannelView } from '../../core/mgmt/index.ts';
import type { NodeBackend, NodeResult } from '../../core/ports.ts';

/** Channels with a short_channel_id, keyed by scid. */
export async function readChannels(backend: NodeBackend): Promise<NodeResult<Map<string, ChannelView>>> {
  const res = await backend.listpeerchannels();
  if (!res.ok) return res;
  const out = new Map<string, ChannelView>();
  for (const c of res.value) {
    if (!c.short_channel_id) continue;
    out.set(c.short_channel_id, {
      scid: c.short_channel_id,
      peer_id: c.peer_id,
      fee_ppm: c.updates?.local?.fee_proportional_millionths ?? 0,
      base_fee_msat: c.updates?.local?.fee_base_msat ?? 0,
      to_us_msat: c.to_us_msat ?? 0,
      total_msat: c.total_msat ?? 0,
      state: c.state,
    });
  }
  return { ok: true, value: out };
}
