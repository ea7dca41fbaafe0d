/**
 * short_channel_id → channel index for the resident gossip_store graph, held in one typed array
 * (open addressing, linear probing, backward-shift deletion) whose slots hold only channel indexes:
 * the scid itself is read back from the columns (`ScidKeys`), and looked up by its two big-endian
 * 32-bit halves as they sit in the message, so reading a mainnet store allocates no BigInt and no
 * Map entry per channel (issue 19 §2: daemon peak RSS; a Map<bigint, number> of the 2026-02-03
 * graph's 50,808 channels held ~5 MiB of heap, this table 0.5 MiB).
 */

/** Where the table reads a channel's scid back: its upper and lower 32 bits. */
export interface ScidKeys {
  scidHi(index: number): number;
  scidLo(index: number): number;
}

/** Murmur3's 32-bit finaliser over the scid's halves: block/tx/out numbers are far from uniform. */
function hash(hi: number, lo: number): number {
  let h = (lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A set of scids, each with the index (≥ 0) of a channel whose scid `keys` hold. */
export class ScidTable {
  /** Channel index + 1 per slot; 0 = empty. */
  private value = new Int32Array(0);
  private used = 0;

  constructor(private readonly keys: ScidKeys) {}

  /** Number of scids held. */
  get size(): number {
    return this.used;
  }

  /** Channel index of scid `hi:lo` (its upper and lower 32 bits), or -1. */
  get(hi: number, lo: number): number {
    const slot = this.find(hi, lo);
    return slot < 0 ? -1 : this.value[slot]! - 1;
  }

  /** Add channel `index`, whose scid `hi:lo` the keys already hold (the caller checked it is absent). */
  add(hi: number, lo: number, index: number): void {
    if (2 * (this.used + 1) > this.value.length) this.grow();
    this.place(hash(hi, lo), index);
    this.used++;
  }

  /** Remove scid `hi:lo`. @returns its channel index, or -1 when it was not there. */
  delete(hi: number, lo: number): number {
    let s = this.find(hi, lo);
    if (s < 0) return -1;
    const index = this.value[s]! - 1;
    const mask = this.value.length - 1;
    // Backward shift: pull later entries of the probe run into the hole unless their home lies after it.
    for (let j = (s + 1) & mask; this.value[j] !== 0; j = (j + 1) & mask) {
      if (((j - this.home(this.value[j]! - 1)) & mask) < ((j - s) & mask)) continue;
      this.value[s] = this.value[j]!;
      s = j;
    }
    this.value[s] = 0;
    this.used--;
    return index;
  }

  /** Replace every channel index `i` by `moved[i]` (after the columns were compacted). */
  remap(moved: Int32Array): void {
    for (let s = 0; s < this.value.length; s++) if (this.value[s] !== 0) this.value[s] = moved[this.value[s]! - 1]! + 1;
  }

  private home(index: number): number {
    return hash(this.keys.scidHi(index), this.keys.scidLo(index)) & (this.value.length - 1);
  }

  private place(h: number, index: number): void {
    const mask = this.value.length - 1;
    let s = h & mask;
    while (this.value[s] !== 0) s = (s + 1) & mask;
    this.value[s] = index + 1;
  }

  private find(hi: number, lo: number): number {
    if (this.used === 0) return -1;
    const mask = this.value.length - 1;
    for (let s = hash(hi, lo) & mask; this.value[s] !== 0; s = (s + 1) & mask) {
      const i = this.value[s]! - 1;
      if (this.keys.scidHi(i) === hi && this.keys.scidLo(i) === lo) return s;
    }
    return -1;
  }

  private grow(): void {
    const old = this.value;
    this.value = new Int32Array(Math.max(1024, 2 * old.length));
    for (let s = 0; s < old.length; s++) if (old[s] !== 0) this.place(hash(this.keys.scidHi(old[s]! - 1), this.keys.scidLo(old[s]! - 1)), old[s]! - 1);
  }
}
