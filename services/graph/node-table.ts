/**
 * Node ids of the resident gossip_store graph, interned from their 33 raw bytes (BOLT 7 `point`)
 * through an open-addressing index in one typed array, compared against the node's hex id, so a
 * channel_announcement costs a hash probe, not a hex string and a Map lookup per endpoint; each
 * node's hex id is made once, when it first appears. `view(count)` hands the graph a read-only
 * id → index map over the first `count` nodes that shares this table instead of copying it (issue
 * 19 §2: daemon peak RSS; a Map of the 2026-02-03 graph's 17,324 node ids held ~3 MiB, and the
 * graph took a copy of it).
 */

const KEY = 33;

/** ASCII code of each nibble's lowercase hex digit. */
const HEX_DIGIT = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** Value of the lowercase hex digit with ASCII code `c` (only called on ids this table made). */
const nibble = (c: number): number => (c <= 57 ? c - 48 : c - 87);

/** Node ids by index, appended only (a replaced store gets a new table). */
export class NodeTable {
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
    let s = home(bytes, at) & mask;
    for (; this.slots[s] !== 0; s = (s + 1) & mask) {
      const i = this.slots[s]! - 1;
      if (same(this.ids[i]!, bytes, at)) return i;
    }
    const i = this.ids.length;
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
    for (let s = home(bytes, 0) & mask; this.slots[s] !== 0; s = (s + 1) & mask) {
      const i = this.slots[s]! - 1;
      if (same(this.ids[i]!, bytes, 0)) return i < count && this.ids[i] === id ? i : undefined;
    }
    return undefined;
  }

  /** A read-only id → index map over the first `count` nodes (later additions stay invisible to it). */
  view(count: number): ReadonlyMap<string, number> {
    return new NodeIndexView(this, count);
  }

  private grow(): void {
    this.slots = new Int32Array(Math.max(2048, 2 * this.slots.length));
    const mask = this.slots.length - 1;
    for (let i = 0; i < this.ids.length; i++) {
      let s = homeOfId(this.ids[i]!) & mask;
      while (this.slots[s] !== 0) s = (s + 1) & mask;
      this.slots[s] = i + 1;
    }
  }
}

/** Bytes 1..4 of a compressed public key are uniformly distributed: they are the hash. */
function home(bytes: Uint8Array, at: number): number {
  return ((bytes[at + 1]! << 24) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 8) | bytes[at + 4]!) >>> 0;
}

/** `home` of a node's 66-hex id (hex digits 2..9 are bytes 1..4). */
function homeOfId(id: string): number {
  let h = 0;
  for (let d = 2; d < 10; d++) h = (h << 4) | nibble(id.charCodeAt(d));
  return h >>> 0;
}

/** True when lowercase hex `id` spells `bytes[at .. at + 33)`. */
function same(id: string, bytes: Uint8Array, at: number): boolean {
  for (let b = 0; b < KEY; b++) {
    const v = bytes[at + b]!;
    if (id.charCodeAt(2 * b) !== HEX_DIGIT[v >> 4] || id.charCodeAt(2 * b + 1) !== HEX_DIGIT[v & 15]) return false;
  }
  return true;
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
