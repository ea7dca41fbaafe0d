/**
 * What this node reports about itself in GOSSIP (`LocalStatus`, runtime/core/fleet/types.ts),
 * built from lightningd's answers (CLN v26.06 `getinfo`, `listpeerchannels`): capacity and our
 * side of the CHANNELD_NORMAL channels with members, the external peers we have such channels
 * with (topology), our fee policy, addresses (announced, else non-wildcard bindings: members
 * re-dial each other from them) and the Hive features our init message advertises.
 * Pure.
 */
import type { LocalStatus } from '../../core/fleet/index.ts';
import type { NodeInfo, NodePeerChannel } from '../../core/ports.ts';
import { negotiatedFeatures } from '../../core/ticket/features.ts';

/** A channel counts once it is open and usable (the same state the handshake takes as proof). */
const NORMAL = 'CHANNELD_NORMAL';

/**
 * CLN v26.06 defaults (`fee-base` 1000 msat, `fee-per-satoshi` 10 ppm, `cltv-delta` 34) for a node
 * without channels. `min_htlc` / `max_htlc` are always 0, as cl-hive sends them: its receivers
 * accept fee_policy values up to 10,000,000 only, which real HTLC limits in msat exceed.
 */
const CLN_DEFAULT_POLICY = { base_fee: 1_000, fee_rate: 10, min_htlc: 0, max_htlc: 0, cltv_delta: 34 };

/** Wildcard bind addresses nobody can dial. */
const WILDCARD = new Set(['0.0.0.0', '::', '']);

/**
 * Where members can dial us: the announced addresses, or, when lightningd announces none (only
 * `bind-addr`, common on LANs and test rigs), the addresses it listens on that are not wildcards.
 */
function reachableAt(info: NodeInfo): { type: string; address: string; port: number }[] {
  if (info.address.length > 0) return [...info.address];
  return (info.binding ?? []).flatMap((b) =>
    (b.type === 'ipv4' || b.type === 'ipv6') && b.address !== undefined && b.port !== undefined && !WILDCARD.has(b.address) ? [{ type: b.type, address: b.address, port: b.port }] : [],
  );
}

/**
 * Build the status.
 * @param members node ids of the hive's members (ours included; it is skipped).
 */
export function localStatus(info: NodeInfo, channels: readonly NodePeerChannel[], members: ReadonlySet<string>): LocalStatus {
  const normal = channels.filter((c) => c.state === NORMAL && c.peer_id !== info.id);
  const withMembers = normal.filter((c) => members.has(c.peer_id));
  const external = normal.filter((c) => !members.has(c.peer_id));
  const policy = external.find((c) => c.updates?.local)?.updates?.local;
  return {
    capacity_sats: withMembers.reduce((s, c) => s + Math.floor((c.total_msat ?? 0) / 1000), 0),
    available_sats: withMembers.reduce((s, c) => s + Math.floor((c.to_us_msat ?? 0) / 1000), 0),
    fee_policy: policy ? { base_fee: policy.fee_base_msat, fee_rate: policy.fee_proportional_millionths, min_htlc: 0, max_htlc: 0, cltv_delta: policy.cltv_expiry_delta } : CLN_DEFAULT_POLICY,
    topology: [...new Set(external.map((c) => c.peer_id))].sort(),
    addresses: reachableAt(info).map((a) => (a.type === 'ipv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`)),
    capabilities: [...(negotiatedFeatures(info.our_features?.init ?? '') ?? [])].sort(),
  };
}
