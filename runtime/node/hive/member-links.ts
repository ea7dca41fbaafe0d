/**
 * Keeping the members' Lightning links up (issue 13): lightningd re-dials only peers it has
 * channels with after a restart (real-cln-facts.md), so a member without a channel would stay
 * unreachable and fleet traffic to it would wait in the outbox. The engine periodically dials every
 * member that is not connected from the addresses it gossiped (`host:port`, `[v6]:port`, onion),
 * at most once per `retry_s` per member; and hands each member's channels to the fleet machines,
 * which zero the fee of a channel opened after admission and put back a fee changed by hand
 * (core/machines/fee-routing.ts). The choices here are pure; the engine does the calls.
 */
import type { MemberChannel } from '../../core/fleet/index.ts';
import type { NodePeerChannel } from '../../core/ports.ts';

/** A member address split for lightningd's `connect id host port`. */
export interface DialTarget {
  readonly node_id: string;
  readonly host: string;
  readonly port: number;
}

/**
 * Split a gossiped address.
 * @returns host and port, or null for anything that is not `host:port` / `[v6]:port` with a port 1..65535.
 */
export function parseAddress(address: string): { host: string; port: number } | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(address);
  if (!m) return null;
  const port = Number(m[3]);
  if (port < 1 || port > 65_535) return null;
  return { host: m[1] ?? m[2]!, port };
}

/**
 * Members to dial now: not us, not connected, with a usable address, and not tried within `retry_s`.
 * @param tried unix seconds of the last attempt per member (updated by the caller).
 * @param now unix seconds.
 */
export function membersToDial(
  members: Iterable<{ readonly node_id: string; readonly addresses: readonly string[] }>,
  us: string,
  connected: ReadonlySet<string>,
  tried: ReadonlyMap<string, number>,
  now: number,
  retry_s: number,
): DialTarget[] {
  const out: DialTarget[] = [];
  for (const m of members) {
    if (m.node_id === us || connected.has(m.node_id)) continue;
    const last = tried.get(m.node_id);
    if (last !== undefined && now - last < retry_s) continue;
    const addr = m.addresses.map(parseAddress).find((a) => a !== null);
    if (addr) out.push({ node_id: m.node_id, ...addr });
  }
  return out;
}

/** Our usable channels with `peer_id` and their current policy toward it (`listpeerchannels` `updates.local`). */
export function memberChannelsOf(channels: readonly NodePeerChannel[], peer_id: string): MemberChannel[] {
  return channels
    .filter((c) => c.peer_id === peer_id && c.state === 'CHANNELD_NORMAL' && c.short_channel_id !== undefined)
    .map((c) => ({ scid: c.short_channel_id!, fee_base_msat: c.updates?.local?.fee_base_msat ?? 0, fee_ppm: c.updates?.local?.fee_proportional_millionths ?? 0 }));
}
