/**
 * Splits a byte stream into 64-byte reports, for bindings whose reads are not report-aligned (the
 * simulator's unix socket; a hidraw node read through a tty stand-in). Pure.
 */
import { REPORT_BYTES } from '../framing/constants.ts';

/** Accumulates bytes and yields complete 64-byte reports in order. */
export class ReportChunker {
  private buf = new Uint8Array(0);

  /** Add `chunk`; @returns the reports it completed (copies). */
  push(chunk: Uint8Array): Uint8Array[] {
    const all = new Uint8Array(this.buf.length + chunk.length);
    all.set(this.buf);
    all.set(chunk, this.buf.length);
    const out: Uint8Array[] = [];
    let off = 0;
    for (; off + REPORT_BYTES <= all.length; off += REPORT_BYTES) out.push(all.slice(off, off + REPORT_BYTES));
    this.buf = all.slice(off);
    return out;
  }
}
