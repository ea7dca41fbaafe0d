/**
 * Core Lightning's own `gossip_store` file read into the typed-array graph model and kept
 * resident: `apply` consumes only the records appended since the previous call, so a planner cycle
 * pays for what gossipd wrote meanwhile, not for the whole graph (issue 19 §2).
 *
 * Format (CLN `common/gossip_store.h`, `gossipd/gossip_store.c`, `common/gossmap.c`
 * `map_catchup`, version byte major 0 / minor 16): one version byte, then records of
 * `be16 flags | be16 len | be32 crc | be32 timestamp` + `len` bytes of message. As CLN's own
 * reader does: a record without `COMPLETED` (0x2000) is still being written (stop and wait), a
 * `DELETED` (0x8000) record is skipped; `channel_announcement` (256) is followed by
 * `gossip_store_channel_amount` (4101, the capacity) and is taken only once that record is there;
 * `channel_update` (258, BOLT 7) sets one direction; `gossip_store_delete_chan` (4103) removes a
 * channel; `gossip_store_ended` (4105) means gossipd compacted the store into a new file, so the
 * reader starts over, as it does when the file's first record (`gossip_store_uuid`, 4107) changed
 * or the file shrank. `node_announcement`, `chan_dying`, `uuid` and private records change no
 * public channel and are skipped. Every complete, not deleted record's `crc` must equal CLN's
 * `crc32c(timestamp, message)` (ccan/crc32c seeded with the header's timestamp, as gossipd and
 * connectd check it on read); the records of one `apply` are all checked before any is applied, so a
 * corrupt record leaves the resident graph unchanged and is reported as `BadChecksum`.
 */
import { buf as crc32c } from 'crc-32/crc32c';
import { buildGraph, type Graph, HALF, withHalves } from '../../runtime/core/graph/graph.ts';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import type { GraphLoadError } from './errors.ts';
import { NodeTable } from './node-table.ts';
import { ResidentColumns } from './resident-columns.ts';
import { ScidTable } from './scid-table.ts';

/** Major version this reader understands (top three bits of the version byte). */
export const GOSSIP_STORE_MAJOR = 0;
const FLAG_DELETED = 0x8000;
const FLAG_COMPLETED = 0x2000;
const HDR = 12;
const WIRE = { channel_announcement: 256, channel_update: 258, channel_amount: 4101, delete_chan: 4103, ended: 4105, uuid: 4107 } as const;

/** True when `bytes` start like a gossip_store (version byte with major 0, minor ≥ 9, then a record header). */
export function isGossipStore(bytes: Uint8Array): boolean {
  return bytes.length >= 1 && bytes[0]! >> 5 === GOSSIP_STORE_MAJOR && (bytes[0]! & 0x1f) >= 9 && bytes[0]! !== 0x1f;
}

/** What one `apply` consumed. */
export interface ApplyReport {
  readonly records: number;
  readonly channels_added: number;
  readonly updates: number;
  readonly channels_deleted: number;
  /** gossipd compacted the store (`gossip_store_ended`): everything was read again from the start. */
  readonly restarted: boolean;
  /** Byte offset up to which the file has been applied. */
  readonly offset: number;
}

/** Bytes of a store's head that hold its version byte and identity record. */
export const GOSSIP_STORE_HEAD_BYTES = 1 + HDR + 34;

/**
 * The file's identity: the `gossip_store_uuid` (4107) record gossipd writes first in every store
 * file (a compacted copy gets a new one), or '' for a file without it.
 */
export function storeIdentity(file: Uint8Array): string {
  if (file.length < 1 + HDR + 34) return '';
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  return view.getUint16(1 + HDR) === WIRE.uuid ? hex(file, 1 + HDR + 2, 32) : '';
}

/**
 * The not deleted channel_announcements among the complete records of `chunk` from `off` (a record
 * header), and the offset just after the last complete record: a header walk, for sizing the
 * resident columns before a whole store is read.
 */
export function announcementsIn(chunk: Uint8Array, off: number): { readonly count: number; readonly end: number } {
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  let count = 0;
  while (off + HDR + 2 <= chunk.length) {
    const flags = view.getUint16(off);
    const len = view.getUint16(off + 2);
    if ((flags & FLAG_COMPLETED) === 0 || off + HDR + len > chunk.length) break;
    if ((flags & FLAG_DELETED) === 0 && len >= 2 && view.getUint16(off + HDR) === WIRE.channel_announcement) count++;
    off += HDR + len;
  }
  return { count, end: off };
}

/**
 * Offset (in `file`) of the first complete, not deleted record from `off` on whose `crc` is not CLN's
 * `crc32c(timestamp, message)`, or null. Stops where the reader stops: at an incomplete record.
 */
function firstBadChecksum(file: Uint8Array, off: number): number | null {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  while (off + HDR <= file.length) {
    const flags = view.getUint16(off);
    const len = view.getUint16(off + 2);
    if ((flags & FLAG_COMPLETED) === 0 || off + HDR + len > file.length) return null;
    if ((flags & FLAG_DELETED) === 0) {
      const crc = crc32c(file.subarray(off + HDR, off + HDR + len), view.getUint32(off + 8)) >>> 0;
      if (crc !== view.getUint32(off + 4)) return off;
    }
    off += HDR + len;
  }
  return null;
}

/** The big-endian u64 at `at` as a number, rounded as `Number(getBigUint64)` rounds it, without allocating a BigInt. */
const u64 = (view: DataView, at: number): number => view.getUint32(at) * 2 ** 32 + view.getUint32(at + 4);

const hex = (b: Uint8Array, from: number, len: number): string => Buffer.from(b.buffer, b.byteOffset + from, len).toString('hex');

/** The public channel graph of one gossip_store file, kept in memory and brought up to date by `apply`. */
export class ResidentGossipStore {
  private cols = new ResidentColumns();
  private scidIndex = new ScidTable(this.cols);
  private nodes = new NodeTable();
  private offset = 0;
  private identity = '';
  private graphCache: Graph | null = null;
  /** The last graph built and what changed since: nothing, only channel_updates (`halves`), or channels (`all`). */
  private built: { readonly graph: Graph; stale: 'none' | 'halves' | 'all' } | null = null;

  /** Number of live public channels. */
  get channelCount(): number {
    return this.scidIndex.size;
  }

  /**
   * Apply the records of `file` (the whole gossip_store as it is now on disk) from where the last
   * call stopped. A file shorter than that offset, or with another identity, was replaced: it is
   * read again from the start.
   * @returns what was consumed, or `BadHeader` (unknown major version) or `BadChecksum` (a record's
   *   crc32c does not match) with nothing changed.
   */
  apply(file: Uint8Array): Result<ApplyReport, GraphLoadError> {
    const identity = storeIdentity(file);
    const expected = this.readsWhole(identity, file.length) && isGossipStore(file) ? announcementsIn(file, 1).count : 0;
    return this.applyChunk(file, 0, identity, file.length, expected);
  }

  /** True when a file of this identity and size must be read from its start: nothing read yet, or the file was replaced (other identity, or shorter than what was read). */
  readsWhole(identity: string, fileSize: number): boolean {
    return this.offset === 0 || fileSize < this.offset || identity !== this.identity;
  }

  /** Byte offset the next `applyChunk` must start its chunk at or before (0 = from the start, version byte included). */
  get nextOffset(): number {
    return this.offset;
  }

  /**
   * Apply the records in `chunk`, which holds the file's bytes from offset `chunkStart` (≤
   * `nextOffset`, or 0 with the version byte when the file is new or was replaced) to its end.
   * @param identity `storeIdentity` of the file's first bytes; @param fileSize the file's size.
   * @param expectedChannels when the file is read from its start, how many channel_announcements it
   *   holds (`announcementsIn`): the columns are sized once for them instead of growing.
   */
  applyChunk(chunk: Uint8Array, chunkStart: number, identity: string, fileSize: number, expectedChannels = 0): Result<ApplyReport, GraphLoadError> {
    if (chunkStart === 0 && chunk.length > 0 && !isGossipStore(chunk)) {
      return err({ kind: 'BadHeader', reason: `gossip_store version byte 0x${chunk[0]!.toString(16)} is not major ${GOSSIP_STORE_MAJOR}` });
    }
    const fresh = this.readsWhole(identity, fileSize);
    if (fresh && (chunkStart !== 0 || chunk.length === 0)) return err({ kind: 'BadHeader', reason: 'a new or replaced gossip_store must be read from its first byte' });
    const corrupt = firstBadChecksum(chunk, (fresh ? 1 : this.offset) - chunkStart);
    if (corrupt !== null) return err({ kind: 'BadChecksum', offset: chunkStart + corrupt });
    let restarted = false;
    if (fresh) {
      restarted = this.offset !== 0;
      this.reset();
      this.cols.ensure(expectedChannels);
      this.offset = 1;
      this.identity = identity;
    }
    const file = chunk;
    const base = chunkStart;
    const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
    let [records, added, updates, deleted] = [0, 0, 0, 0];
    let off = this.offset - base;
    while (off + HDR + 2 <= file.length) {
      const flags = view.getUint16(off);
      const len = view.getUint16(off + 2);
      if ((flags & FLAG_COMPLETED) === 0 || off + HDR + len > file.length) break;
      const msg = off + HDR;
      if ((flags & FLAG_DELETED) === 0 && len >= 2) {
        const type = view.getUint16(msg);
        if (type === WIRE.channel_announcement) {
          const amount = this.amountAfter(view, msg + len, file.length);
          if (amount === null) break; // wait for the capacity record, as CLN's gossmap does
          added += this.announce(file, view, msg, len, amount);
        } else if (type === WIRE.channel_update && len >= 138) {
          updates += this.update(view, msg);
        } else if (type === WIRE.delete_chan && len >= 10) {
          deleted += this.remove(view.getUint32(msg + 2), view.getUint32(msg + 6));
        } else if (type === WIRE.ended) {
          // This file is finished: gossipd continues in a compacted copy under the same name.
          this.reset();
          return ok({ records: records + 1, channels_added: added, updates, channels_deleted: deleted, restarted: true, offset: 0 });
        }
      }
      records++;
      off = msg + len;
    }
    this.offset = base + off;
    if (added || updates || deleted || restarted) this.graphCache = null;
    if (this.built) this.built.stale = added || deleted || restarted ? 'all' : updates && this.built.stale === 'none' ? 'halves' : this.built.stale;
    return ok({ records, channels_added: added, updates, channels_deleted: deleted, restarted, offset: this.offset });
  }

  /**
   * The graph of the live channels (built once per change; planner input), viewing the resident
   * columns rather than copying them (resident-columns.ts copies on its next write). After only
   * channel_updates, the previous graph's channels, node index and adjacency are kept and only the
   * per-direction views are new; otherwise deleted channels are first compacted out of the columns,
   * and the node index is the resident one's view of its first nodes (issue 19 §2: a cycle pays
   * for what changed).
   */
  graph(): Graph {
    if (this.graphCache) return this.graphCache;
    const c = this.cols;
    const prev = this.built?.graph;
    if (prev && this.built?.stale === 'halves') {
      this.graphCache = withHalves(prev, c.shareHalves());
    } else {
      if (this.scidIndex.size < c.count) this.scidIndex.remap(c.compact());
      const sameNodes = prev !== undefined && prev.nodeCount === this.nodes.count;
      this.graphCache = buildGraph(
        {
          format: 'gossip-store',
          scids: 'real',
          nodeIds: sameNodes ? prev.nodeIds : this.nodes.ids.slice(),
          aliases: sameNodes ? prev.aliases : new Array<string>(this.nodes.count).fill(''),
          ...c.shareChannels(),
          ...c.shareHalves(),
        },
        sameNodes ? prev.nodeIndex : this.nodes.view(this.nodes.count),
      );
    }
    this.built = { graph: this.graphCache, stale: 'none' };
    return this.graphCache;
  }

  private reset(): void {
    this.cols = new ResidentColumns();
    this.scidIndex = new ScidTable(this.cols);
    this.nodes = new NodeTable();
    this.graphCache = null;
    this.built = null;
    this.offset = 0;
    this.identity = '';
  }

  /** Capacity (sat) of the `gossip_store_channel_amount` record at `at`, or null when it is not (completely) there yet. */
  private amountAfter(view: DataView, at: number, end: number): number | null {
    if (at + HDR + 10 > end || (view.getUint16(at) & FLAG_COMPLETED) === 0) return null;
    if (view.getUint16(at + HDR) !== WIRE.channel_amount) return null;
    return u64(view, at + HDR + 2);
  }

  /** BOLT 7 channel_announcement: 4 signatures, features, chain_hash, scid, node_id_1, node_id_2. */
  private announce(file: Uint8Array, view: DataView, msg: number, len: number, capacity_sat: number): number {
    const featuresLen = view.getUint16(msg + 2 + 256);
    const at = msg + 2 + 256 + 2 + featuresLen + 32;
    if (at + 8 + 66 > msg + len) return 0;
    const hi = view.getUint32(at);
    const lo = view.getUint32(at + 4);
    if (this.scidIndex.get(hi, lo) >= 0) return 0;
    const cols = this.cols;
    cols.ensure(cols.count + 1);
    cols.writeChannels();
    const c = cols.channels;
    const i = cols.count++;
    c.node1[i] = this.nodes.intern(file, at + 8);
    c.node2[i] = this.nodes.intern(file, at + 8 + 33);
    c.capacitySat[i] = capacity_sat;
    c.scidBlock[i] = hi >>> 8;
    c.scidTx[i] = ((hi & 0xff) << 16) | (lo >>> 16);
    c.scidOut[i] = lo & 0xffff;
    cols.alive[i] = 1;
    this.scidIndex.add(hi, lo, i);
    return 1;
  }

  /** BOLT 7 channel_update: scid at 98, timestamp, flags (bit 0 direction, bit 1 disabled), cltv, htlc_min, fees, htlc_max. */
  private update(view: DataView, msg: number): number {
    const i = this.scidIndex.get(view.getUint32(msg + 98), view.getUint32(msg + 102));
    if (i < 0) return 0;
    const channelFlags = view.getUint8(msg + 111);
    const h = 2 * i + (channelFlags & 1);
    this.cols.writeHalves();
    const c = this.cols.halves;
    const timestamp = view.getUint32(msg + 106);
    if ((c.halfFlags[h]! & HALF.present) !== 0 && timestamp < c.lastUpdate[h]!) return 0;
    c.halfFlags[h] = HALF.present | ((channelFlags & 2) === 0 ? HALF.active : 0);
    c.lastUpdate[h] = timestamp;
    c.delay[h] = view.getUint16(msg + 112);
    c.htlcMinMsat[h] = u64(view, msg + 114);
    c.baseFeeMsat[h] = view.getUint32(msg + 122);
    c.feePpm[h] = view.getUint32(msg + 126);
    c.htlcMaxMsat[h] = u64(view, msg + 130);
    return 1;
  }

  private remove(hi: number, lo: number): number {
    const i = this.scidIndex.delete(hi, lo);
    if (i < 0) return 0;
    this.cols.alive[i] = 0;
    return 1;
  }
}
