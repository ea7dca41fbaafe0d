/**
 * A read cursor over BOLT 1 `bigsize` integers (big-endian, minimally encoded: 0xfd + u16 ≥ 0xfd,
 * 0xfe + u32 > 0xffff, 0xff + u64 > 0xffffffff), as CLN's `bigsize_get` reads them. Values above
 * 2^53 − 1 are refused (no graph field needs them). Failures throw `GraphDecodeFailure`, which the
 * decoder using the cursor turns into a returned error.
 */
import { GraphDecodeFailure } from './errors.ts';

/** Sequential bigsize reader; `section` names what is being read for error messages. */
export class BigsizeCursor {
  pos: number;
  section = 'header';

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
  ) {
    this.pos = start;
  }

  /** Bytes not yet read. */
  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  /** Next bigsize value. @throws GraphDecodeFailure (Truncated, NonCanonicalBigsize, ValueOutOfRange). */
  next(): number {
    const b = this.bytes;
    const at = this.pos;
    if (at >= b.length) this.fail({ kind: 'Truncated', section: this.section, offset: at });
    const first = b[at]!;
    if (first < 0xfd) {
      this.pos = at + 1;
      return first;
    }
    const width = first === 0xfd ? 2 : first === 0xfe ? 4 : 8;
    if (at + 1 + width > b.length) this.fail({ kind: 'Truncated', section: this.section, offset: at });
    let v = 0;
    for (let i = 1; i <= width; i++) v = v * 256 + b[at + i]!;
    const min = first === 0xfd ? 0xfd : first === 0xfe ? 0x10000 : 0x100000000;
    if (v < min) this.fail({ kind: 'NonCanonicalBigsize', section: this.section, offset: at });
    if (v > Number.MAX_SAFE_INTEGER) {
      this.fail({ kind: 'ValueOutOfRange', section: this.section, index: at, value: v, limit: Number.MAX_SAFE_INTEGER });
    }
    this.pos = at + 1 + width;
    return v;
  }

  /** Next value, refused when above `limit` (index = item number within the section). */
  bounded(limit: number, index: number): number {
    const v = this.next();
    if (v > limit) this.fail({ kind: 'ValueOutOfRange', section: this.section, index, value: v, limit });
    return v;
  }

  private fail(error: ConstructorParameters<typeof GraphDecodeFailure>[0]): never {
    throw new GraphDecodeFailure(error);
  }
}
