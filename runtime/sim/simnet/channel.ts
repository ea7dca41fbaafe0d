/**
 * Simulated channels between fleet nodes, or from a fleet node to a real graph node ("attachment").
 * A test's channel (`SimNetwork.openChannel`) is born in CHANNELD_NORMAL; a `fundchannel` channel
 * waits in CHANNELD_AWAITING_LOCKIN (no short_channel_id yet) until its funding confirms. A normal
 * channel shows up, like a confirmed announced channel on CLN v26.06, in both ends'
 * `listpeerchannels` and, when public, in every node's `listchannels` (one entry per direction,
 * doc/schemas/listchannels.json).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { NodeChannel } from '../../core/ports.ts';
import { toHex, utf8 } from '../../core/types.ts';
import { SIM_NODE_DEFAULTS } from './limits.ts';

/** One side's routing policy (channel_update fields). */
export interface ChannelPolicy {
  fee_base_msat: number;
  fee_proportional_millionths: number;
  cltv_expiry_delta: number;
  htlc_minimum_msat: number;
  htlc_maximum_msat: number;
  last_update: number;
}

/** Channel states simnet models (CLN `listpeerchannels` `state`). */
export type SimChannelState = 'CHANNELD_AWAITING_LOCKIN' | 'CHANNELD_NORMAL';

/** A simulated channel; `a` is the opener. */
export interface SimChannel {
  readonly short_channel_id: string;
  readonly channel_id: string;
  readonly a: string;
  readonly b: string;
  /** Changes when a splice is published (cmd-splice.ts). */
  capacity_msat: number;
  readonly public: boolean;
  readonly policy: Map<string, ChannelPolicy>;
  readonly to_msat: Map<string, number>;
  /** AWAITING_LOCKIN from `fundchannel` until its funding confirms (`SimNetwork.mineBlocks`), then NORMAL. */
  state: SimChannelState;
  /** When it reached CHANNELD_NORMAL (ms since the epoch; null before): `listchannels` shows it `announce_delay_ms` later. */
  normal_since_ms: number | null;
  /** Funding transaction and the block height it confirms at (channels opened with `fundchannel`). */
  readonly funding?: { readonly txid: string; readonly confirm_at_block: number };
}

/**
 * Create a channel of `capacity_sat`, all funds on the opener's side, default CLN fees both ways;
 * CHANNELD_NORMAL with a made-up past scid unless `funding` says where it confirms.
 */
export function newChannel(
  index: number,
  a: string,
  b: string,
  capacity_sat: number,
  isPublic: boolean,
  now_s: number,
  funding?: { readonly txid: string; readonly confirm_at_block: number },
): SimChannel {
  const capacity_msat = capacity_sat * 1000;
  const scid = funding ? `${funding.confirm_at_block}x${1 + index}x0` : `${SIM_NODE_DEFAULTS.blockheight - 100 + index}x${1 + index}x0`;
  const policy = (): ChannelPolicy => ({
    fee_base_msat: SIM_NODE_DEFAULTS.fee_base_msat,
    fee_proportional_millionths: SIM_NODE_DEFAULTS.fee_ppm,
    cltv_expiry_delta: SIM_NODE_DEFAULTS.cltv_expiry_delta,
    htlc_minimum_msat: 0,
    htlc_maximum_msat: Math.floor(capacity_msat * 0.99),
    last_update: now_s,
  });
  return {
    short_channel_id: scid,
    channel_id: toHex(sha256(utf8(`simnet-channel:${scid}`))),
    a,
    b,
    capacity_msat,
    public: isPublic,
    policy: new Map([
      [a, policy()],
      [b, policy()],
    ]),
    to_msat: new Map([
      [a, capacity_msat],
      [b, 0],
    ]),
    state: funding ? 'CHANNELD_AWAITING_LOCKIN' : 'CHANNELD_NORMAL',
    normal_since_ms: funding ? null : now_s * 1000,
    ...(funding ? { funding } : {}),
  };
}

/** The other end of `ch` seen from `nodeId`. */
export function peerOf(ch: SimChannel, nodeId: string): string {
  return ch.a === nodeId ? ch.b : ch.a;
}

/** BOLT 7 direction of the half-channel whose source is `source`: 0 when source is the lesser node id. */
function direction(ch: SimChannel, source: string): number {
  return source === (ch.a < ch.b ? ch.a : ch.b) ? 0 : 1;
}

/** The two `listchannels` entries of a public channel. */
export function listchannelsEntries(ch: SimChannel): NodeChannel[] {
  return [ch.a, ch.b].map((source) => {
    const p = ch.policy.get(source)!;
    return {
      source,
      destination: peerOf(ch, source),
      short_channel_id: ch.short_channel_id,
      direction: direction(ch, source),
      public: ch.public,
      amount_msat: ch.capacity_msat,
      active: true,
      last_update: p.last_update,
      base_fee_millisatoshi: p.fee_base_msat,
      fee_per_millionth: p.fee_proportional_millionths,
      delay: p.cltv_expiry_delta,
      htlc_minimum_msat: p.htlc_minimum_msat,
      htlc_maximum_msat: p.htlc_maximum_msat,
    } as NodeChannel;
  });
}

/** `listpeerchannels` entry of `ch` as seen by `nodeId`. */
export function listpeerchannelsEntry(ch: SimChannel, nodeId: string, peerConnected: boolean): Record<string, unknown> {
  const peer = peerOf(ch, nodeId);
  const local = ch.policy.get(nodeId)!;
  const remote = ch.policy.get(peer)!;
  const half = (p: ChannelPolicy) => ({
    htlc_minimum_msat: p.htlc_minimum_msat,
    htlc_maximum_msat: p.htlc_maximum_msat,
    cltv_expiry_delta: p.cltv_expiry_delta,
    fee_base_msat: p.fee_base_msat,
    fee_proportional_millionths: p.fee_proportional_millionths,
  });
  const to_us_msat = ch.to_msat.get(nodeId)!;
  const normal = ch.state === 'CHANNELD_NORMAL';
  return {
    peer_id: peer,
    peer_connected: peerConnected,
    reestablished: peerConnected,
    state: ch.state,
    opener: ch.a === nodeId ? 'local' : 'remote',
    features: ['option_static_remotekey', 'option_anchors'],
    owner: peerConnected ? 'channeld' : undefined,
    ...(ch.funding ? { funding_txid: ch.funding.txid, funding_outnum: 0 } : {}),
    short_channel_id: normal ? ch.short_channel_id : undefined,
    direction: direction(ch, nodeId),
    channel_id: ch.channel_id,
    private: !ch.public,
    to_us_msat,
    total_msat: ch.capacity_msat,
    spendable_msat: Math.max(0, to_us_msat - Math.floor(ch.capacity_msat / 100)),
    receivable_msat: Math.max(0, ch.capacity_msat - to_us_msat - Math.floor(ch.capacity_msat / 100)),
    fee_base_msat: local.fee_base_msat,
    fee_proportional_millionths: local.fee_proportional_millionths,
    minimum_htlc_out_msat: local.htlc_minimum_msat,
    maximum_htlc_out_msat: local.htlc_maximum_msat,
    updates: { local: half(local), remote: half(remote) },
    status: [normal ? 'CHANNELD_NORMAL:Channel ready for use.' : 'CHANNELD_AWAITING_LOCKIN:Funding needs more confirmations.'],
  };
}
