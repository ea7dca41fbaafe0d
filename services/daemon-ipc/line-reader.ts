/**
 * Newline framing of the IPC stream: splits decoded text into complete lines, holding a partial
 * line across reads. A line longer than the limit poisons the reader (the connection is closed).
 */

/** Output of one `push`: complete lines (without "\n") and whether the limit was exceeded. */
export interface LinePush {
  readonly lines: string[];
  readonly oversize: boolean;
}

/** Incremental "\n" splitter with a maximum line length in characters. */
export class LineReader {
  private buf = '';
  private broken = false;

  constructor(private readonly maxLineChars: number) {}

  /** Feed the next piece of the stream. */
  push(chunk: string): LinePush {
    if (this.broken) return { lines: [], oversize: true };
    const parts = chunk.split('\n');
    const lines: string[] = [];
    if (parts.length > 1) {
      parts[0] = this.buf + parts[0]!;
      this.buf = '';
      for (const l of parts.slice(0, -1)) if (l.length > 0) lines.push(l);
    }
    this.buf += parts[parts.length - 1]!;
    if (this.buf.length > this.maxLineChars || lines.some((l) => l.length > this.maxLineChars)) {
      this.broken = true;
      this.buf = '';
      return { lines: [], oversize: true };
    }
    return { lines, oversize: false };
  }
}
