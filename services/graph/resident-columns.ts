/**
 * The growable typed-array columns behind the resident gossip_store graph, laid out as
 * runtime/core/graph's `GraphParts` (per channel, and per direction at `2 * channel + dir`). A built
 * graph views the columns' used part instead of copying it; the columns then copy themselves before
 * their next write (copy on write, per channel group and per-direction group), so the graph a
 * cycle judged never changes under it and one copy of the graph exists until gossip changes it
 * (issue 19 §2: the copy was ~4.5 MiB of the daemon's first-cycle peak RSS on the 2026-02-03 graph).
 */
import type { ScidKeys } from './scid-table.ts';
import { emptyHalves, type GraphHalves, type GraphParts } from '../../runtime/core/graph/graph.ts';

type Column = Uint8Array | Uint16Array | Uint32Array | Float64Array;

/** `a` copied into a new array of `size` entries (≥ a.length), the rest filled with `fill`. */
function resized<T extends Column>(a: T, size: number, fill: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  if (fill !== 0) b.fill(fill, a.length);
  b.set(a);
  return b;
}

/** The per-channel columns a graph shares (`alive` is the columns' own). */
type ChannelColumns = Pick<GraphParts, 'node1' | 'node2' | 'capacitySat' | 'scidBlock' | 'scidTx' | 'scidOut'>;

const CHANNEL_KEYS = ['node1', 'node2', 'capacitySat', 'scidBlock', 'scidTx', 'scidOut'] as const;
const HALF_KEYS = ['halfFlags', 'baseFeeMsat', 'feePpm', 'delay', 'htlcMinMsat', 'htlcMaxMsat', 'lastUpdate'] as const;
/** Fill of an unused per-direction slot: htlc limits unknown (NaN), everything else 0. */
const HALF_FILL: Record<(typeof HALF_KEYS)[number], number> = { halfFlags: 0, baseFeeMsat: 0, feePpm: 0, delay: 0, htlcMinMsat: Number.NaN, htlcMaxMsat: Number.NaN, lastUpdate: 0 };

/** Columns for `cap` channels; `count` of them used. Also the scid table's keys (scid-table.ts). */
export class ResidentColumns implements ScidKeys {
  cap = 0;
  count = 0;
  channels: { -readonly [K in keyof ChannelColumns]: ChannelColumns[K] } = { node1: new Uint32Array(0), node2: new Uint32Array(0), capacitySat: new Float64Array(0), scidBlock: new Uint32Array(0), scidTx: new Uint32Array(0), scidOut: new Uint16Array(0) };
  halves: { -readonly [K in keyof GraphHalves]: GraphHalves[K] } = emptyHalves(0);
  /** 1 while the channel is live (not deleted by `gossip_store_delete_chan`). */
  alive = new Uint8Array(0);
  private channelsShared = false;
  private halvesShared = false;

  /** Room for `n` channels: exactly `n` when sized up front, else 25 % more than before (the copies are the columns' own). */
  ensure(n: number): void {
    if (n <= this.cap) return;
    const cap = Math.max(1024, this.cap + (this.cap >> 2), n);
    for (const k of CHANNEL_KEYS) (this.channels[k] as Column) = resized(this.channels[k], cap, 0);
    for (const k of HALF_KEYS) (this.halves[k] as Column) = resized(this.halves[k], 2 * cap, HALF_FILL[k]);
    this.alive = resized(this.alive, cap, 0);
    this.cap = cap;
    this.channelsShared = false;
    this.halvesShared = false;
  }

  /** Upper 32 bits of channel `i`'s scid: block height (24 bits), then the tx index's top 8. */
  scidHi(i: number): number {
    return ((this.channels.scidBlock[i]! << 8) | (this.channels.scidTx[i]! >>> 16)) >>> 0;
  }

  /** Lower 32 bits of channel `i`'s scid: the tx index's low 16 bits, then the output index. */
  scidLo(i: number): number {
    return (((this.channels.scidTx[i]! & 0xffff) << 16) | this.channels.scidOut[i]!) >>> 0;
  }

  /** Call before writing a per-channel column: copies the group a graph still views. */
  writeChannels(): void {
    if (!this.channelsShared) return;
    for (const k of CHANNEL_KEYS) (this.channels[k] as Column) = this.channels[k].slice();
    this.channelsShared = false;
  }

  /** Call before writing a per-direction column: copies the group a graph still views. */
  writeHalves(): void {
    if (!this.halvesShared) return;
    for (const k of HALF_KEYS) (this.halves[k] as Column) = this.halves[k].slice();
    this.halvesShared = false;
  }

  /** Views of the used per-channel columns, handed to a graph (the next write copies first). */
  shareChannels(): ChannelColumns {
    this.channelsShared = true;
    const n = this.count;
    const c = this.channels;
    return { node1: c.node1.subarray(0, n), node2: c.node2.subarray(0, n), capacitySat: c.capacitySat.subarray(0, n), scidBlock: c.scidBlock.subarray(0, n), scidTx: c.scidTx.subarray(0, n), scidOut: c.scidOut.subarray(0, n) };
  }

  /** Views of the used per-direction columns, handed to a graph (the next write copies first). */
  shareHalves(): GraphHalves {
    this.halvesShared = true;
    const n = 2 * this.count;
    const h = this.halves;
    return {
      halfFlags: h.halfFlags.subarray(0, n),
      baseFeeMsat: h.baseFeeMsat.subarray(0, n),
      feePpm: h.feePpm.subarray(0, n),
      delay: h.delay.subarray(0, n),
      htlcMinMsat: h.htlcMinMsat.subarray(0, n),
      htlcMaxMsat: h.htlcMaxMsat.subarray(0, n),
      lastUpdate: h.lastUpdate.subarray(0, n),
    };
  }

  /**
   * Move the live channels down over the deleted ones (order kept) and clear the freed slots.
   * @returns old channel index → new one (-1 for a deleted channel).
   */
  compact(): Int32Array {
    this.writeChannels();
    this.writeHalves();
    const moved = new Int32Array(this.count).fill(-1);
    let k = 0;
    for (let i = 0; i < this.count; i++) if (this.alive[i]) moved[i] = k++;
    for (const key of CHANNEL_KEYS) moveDown(this.channels[key], moved, 1);
    for (const key of HALF_KEYS) {
      moveDown(this.halves[key], moved, 2);
      this.halves[key].fill(HALF_FILL[key], 2 * k, 2 * this.count);
    }
    this.alive.fill(1, 0, k).fill(0, k, this.count);
    this.count = k;
    return moved;
  }
}

/** Entries of live channel `i` (`stride` per channel) moved to `moved[i]`, ascending, so nothing is overwritten before it moved. */
function moveDown(a: Column, moved: Int32Array, stride: number): void {
  for (let i = 0; i < moved.length; i++) {
    const k = moved[i]!;
    if (k < 0 || k === i) continue;
    for (let d = 0; d < stride; d++) a[stride * k + d] = a[stride * i + d]!;
  }
}
