/**
 * The simulated Lightning graph a fleet lives in, as CLN `listchannels` would show it
 * (doc/schemas/listchannels.json, CLN v26.06: one entry per direction of each public channel):
 * a ring of channels between consecutive members plus two public channels from every member to
 * external nodes. Members' keys are 32-byte secrets derived from the seed; external nodes are
 * just node ids.
 */
import { nobleScheme } from '../../runtime/core/crypto/noble-scheme.ts';
import type { NodeChannel } from '../../runtime/core/ports.ts';
import { toHex, type NodeId } from '../../runtime/core/types.ts';
import { SeededRng } from './rng.ts';

/** One member of the simulated fleet. */
export interface SimKey {
  readonly sk: Uint8Array;
  readonly node_id: NodeId;
}

/** A channel between two members (for 0-fee routing). */
export interface MemberLink {
  readonly scid: string;
  readonly a: NodeId;
  readonly b: NodeId;
  readonly capacity_sats: number;
}

/** Keys, external peers and channels of one simulated network. */
export interface SimNetwork {
  readonly keys: readonly SimKey[];
  readonly externals: ReadonlyMap<NodeId, readonly NodeId[]>;
  readonly links: readonly MemberLink[];
  readonly channels: NodeChannel[];
}

/** A valid node id derived from `label` (an external node; no key needed). */
export function externalId(rng: SeededRng): NodeId {
  for (;;) {
    const sk = rng.bytes(32);
    try {
      return toHex(nobleScheme.publicKey(sk)) as NodeId;
    } catch {
      continue;
    }
  }
}

function direction(scid: string, source: string, destination: string, sats: number): NodeChannel[] {
  const base = { short_channel_id: scid, public: true, amount_msat: sats * 1000, active: true, base_fee_millisatoshi: 1000, fee_per_millionth: 100, delay: 40 };
  return [
    { ...base, source, destination, direction: source < destination ? 0 : 1 },
    { ...base, source: destination, destination: source, direction: source < destination ? 1 : 0 },
  ];
}

/**
 * Build a network of `n` members from `seed`; each member has a public channel to the next and to
 * `externals` (a [min, max] count, default 2) outside nodes, all listed in its GOSSIP topology.
 */
export function buildNetwork(n: number, seed: number, externals_range?: readonly [number, number]): SimNetwork {
  const rng = new SeededRng(seed);
  const keys: SimKey[] = [];
  while (keys.length < n) {
    const sk = rng.bytes(32);
    try {
      keys.push({ sk, node_id: toHex(nobleScheme.publicKey(sk)) as NodeId });
    } catch {
      continue;
    }
  }
  const channels: NodeChannel[] = [];
  const links: MemberLink[] = [];
  const externals = new Map<NodeId, NodeId[]>();
  let block = 800_000;
  for (let i = 0; i < n; i++) {
    const me = keys[i]!.node_id;
    if (n > 1 && (n > 2 || i === 0)) {
      const peer = keys[(i + 1) % n]!.node_id;
      const scid = `${block++}x1x0`;
      links.push({ scid, a: me, b: peer, capacity_sats: 5_000_000 });
      channels.push(...direction(scid, me, peer, 5_000_000));
    }
    const ext = Array.from({ length: externals_range ? rng.int(externals_range[0], externals_range[1]) : 2 }, () => externalId(rng));
    externals.set(me, ext);
    for (const e of ext) channels.push(...direction(`${block++}x2x0`, me, e, 2_000_000 + rng.int(0, 8) * 1_000_000));
  }
  return { keys, externals, links, channels };
}
