/**
 * The "trust but verify" lookup (spec 003 §2.1, §3.1): public capacity between two nodes from
 * CLN `listchannels` (doc/schemas/listchannels.json; one entry per direction of each public
 * channel). Channels are counted once per scid; amounts are msat on the wire, sat here.
 */
import type { NodeChannel } from '../ports.ts';
import type { NodeFacts } from './types.ts';

function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/**
 * Index `listchannels` output.
 * @returns `NodeFacts` whose `publicCapacitySats(a, b)` is the sum of the public channels between
 *   `a` and `b` in sat (0 when none; private entries are ignored).
 */
export function publicCapacityIndex(channels: readonly NodeChannel[]): NodeFacts {
  const seen = new Set<string>();
  const byPair = new Map<string, number>();
  for (const ch of channels) {
    if (!ch.public || seen.has(ch.short_channel_id)) continue;
    seen.add(ch.short_channel_id);
    const k = pairKey(ch.source, ch.destination);
    byPair.set(k, (byPair.get(k) ?? 0) + Math.floor(ch.amount_msat / 1000));
  }
  return { publicCapacitySats: (a, b) => byPair.get(pairKey(a, b)) ?? 0 };
}
