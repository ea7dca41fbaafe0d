/**
 * Node ids of the resident gossip_store graph, interned from their 33 raw bytes (BOLT 7 `point`):
 * the keys sit in one typed array with an open-addressing index beside it, so a channel_announcement
 * costs a hash probe, not a hex string and a Map lookup per endpoint; each node's hex id is made
 * once, when it first appears. `view(count)` hands the graph a read-only id → index map over the
 * first `count` nodes that shares this table instead of copying it (issue 19 §2: daemon peak RSS;
 * a Map of the 2026-02-03 graph's 17,324 node ids held ~3 MiB, and the graph took a copy of it).
 */

const KEY = 33;

/** Node ids by index, appended only (a replaced store gets a new table). */
export class NodeTable {
  private keys = new Uint8Array(0);
  /** Node index + 1 per slot; 0 = empty. */
  private slots = new Int32Array(0);
  /** 66-hex id of each node, by index. */
  readonly ids: string[] = [];

  /** Number of nodes. */
  get count(): number {
    return this.ids.length;
  }

  /** Index of the node id in `bytes[at .. at + 33)`, added when new. */
  intern(bytes: Uint8Array, at: number): number {
    if (2 * (this.ids.length + 1) > this.slots.length) this.grow();
    const mask = this.slots.length - 1;
    let s = this.home(bytes, at) & mask;
    for (; this.slots[s] !== 0; s = (s + 1) & mask) {
      const i = this.slots[s]! - 1;
      if (this.same(i, bytes, at)) return i;
    }
    const i = this.ids.length;
    if (this.keys.length < KEY * (i + 1)) {
      const keys = new Uint8Array(KEY * Math.max(1024, 2 * i));
      keys.set(this.keys);
      this.keys = keys;
    }
    this.keys.set(bytes.subarray(at, at + KEY), KEY * i);
    this.ids.push(Buffer.from(bytes.buffer, bytes.byteOffset + at, KEY).toString('hex'));
    this.slots[s] = i + 1;
    return i;
  }

  /** Index of the node with 66-hex id `id` (lowercase, as `ids` holds it) among the first `count`, or undefined. */
  indexOf(id: string, count: number): number | undefined {
    if (id.length !== 2 * KEY || this.ids.length === 0) return undefined;
    const bytes = Buffer.from(id, 'hex');
    if (bytes.length !== KEY) return undefined;
    const mask = this.slots.length - 1;
    for (let s = this.home(bytes, 0) & mask; this.slots[s] !== 0; s = (s + 1) & mask) {
      const i = this.slots[s]! - 1;
      if (this.same(i, bytes, 0)) return i < count && this.ids[i] === id ? i : undefined;
    }
    return undefined;
  }

  /** A read-only id → index map over the first `count` nodes (later additions stay invisible to it). */
  view(count: number): ReadonlyMap<string, number> {
    return new NodeIndexView(this, count);
  }

  /** Bytes 1..4 of a compressed public key are uniformly distributed: they are the hash. */
  private home(bytes: Uint8Array, at: number): number {
    return ((bytes[at + 1]! << 24) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 8) | bytes[at + 4]!) >>> 0;
  }

  private same(i: number, bytes: Uint8Array, at: number): boolean {
    const k = KEY * i;
    for (let b = 0; b < KEY; b++) if (this.keys[k + b] !== bytes[at + b]) return false;
    return true;
  }

  private grow(): void {
    this.slots = new Int32Array(Math.max(2048, 2 * this.slots.length));
    const mask = this.slots.length - 1;
    for (let i = 0; i < this.ids.length; i++) {
      let s = this.home(this.keys, KEY * i) & mask;
      while (this.slots[s] !== 0) s = (s + 1) & mask;
      this.slots[s] = i + 1;
    }
  }
}

/** The first `count` nodes of a `NodeTable` as a ReadonlyMap (insertion order = index order). */
class NodeIndexView implements ReadonlyMap<string, number> {
  constructor(
    private readonly table: NodeTable,
    readonly size: number,
  ) {}

  get(id: string): number | undefined {
    return this.table.indexOf(id, this.size);
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  *entries(): MapIterator<[string, number]> {
    for (let i = 0; i < this.size; i++) yield [this.table.ids[i]!, i];
  }

  *keys(): MapIterator<string> {
    for (let i = 0; i < this.size; i++) yield this.table.ids[i]!;
  }

  *values(): MapIterator<number> {
    for (let i = 0; i < this.size; i++) yield i;
  }

  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }

  forEach(fn: (value: number, key: string, map: ReadonlyMap<string, number>) => void, thisArg?: unknown): void {
    for (let i = 0; i < this.size; i++) fn.call(thisArg, i, this.table.ids[i]!, this);
  }
}
