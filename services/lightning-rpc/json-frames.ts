/**
 * Streaming splitter for a byte stream of concatenated JSON objects — the framing lightningd uses
 * on both of its JSON-RPC channels (CLN v26.06):
 *  - `lightning-rpc` unix socket: each response is a JSON object followed by "\n\n"
 *    (pyln-client `UnixDomainSocketRpc._readobj` splits on it); requests need no separator.
 *  - plugin stdin/stdout: lightningd writes each request as an object followed by "\n\n" and reads
 *    the plugin's stdout as a token stream (a-day-in-the-life-of-a-plugin.md).
 * Reads arrive in arbitrary pieces (one object split over many reads, or many objects in one), so
 * the reader tracks object depth and string state instead of trusting the separator: whitespace
 * between objects (including "\n\n") is skipped, anything else at top level is a framing error.
 */

/** Why a stream cannot be framed; after an error the reader is unusable and the connection must be closed. */
export type FrameError =
  | { readonly kind: 'not_object'; readonly at: number; readonly char: string }
  | { readonly kind: 'oversize'; readonly limit_chars: number };

/** Result of feeding one chunk: complete frames (raw JSON text, in order) and an optional error. */
export interface FramePush {
  readonly frames: string[];
  readonly error?: FrameError;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isJsonWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Incremental splitter of a stream of top-level JSON objects.
 * Feed decoded text with `push`; each call returns the objects completed so far as raw text
 * (callers `JSON.parse` them, or read raw tokens from them as lightningd does).
 */
export class JsonFrameReader {
  private buf = '';
  private pos = 0;
  private start = -1;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private failed: FrameError | undefined;

  /** @param maxFrameChars largest accepted object in UTF-16 code units; bigger → `oversize`. */
  constructor(private readonly maxFrameChars: number) {}

  /** Characters buffered but not yet part of a complete frame. */
  get pending(): number {
    return this.buf.length;
  }

  /** Feed the next piece of the stream. Returns completed frames; once an error is returned, every later call returns it again. */
  push(chunk: string): FramePush {
    if (this.failed) return { frames: [], error: this.failed };
    this.buf += chunk;
    const frames: string[] = [];
    const buf = this.buf;
    let i = this.pos;
    for (; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (this.start < 0) {
        if (isJsonWhitespace(c)) continue;
        if (c !== OPEN_BRACE) return this.fail({ kind: 'not_object', at: i, char: buf[i]! }, frames);
        this.start = i;
        this.depth = 1;
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
        continue;
      }
      if (c === QUOTE) this.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth === 0) {
          if (i + 1 - this.start > this.maxFrameChars) return this.fail({ kind: 'oversize', limit_chars: this.maxFrameChars }, frames);
          frames.push(buf.slice(this.start, i + 1));
          this.start = -1;
        }
      }
    }
    const keepFrom = this.start >= 0 ? this.start : buf.length;
    this.buf = buf.slice(keepFrom);
    this.pos = i - keepFrom;
    if (this.start >= 0) {
      this.start = 0;
      if (this.buf.length > this.maxFrameChars) return this.fail({ kind: 'oversize', limit_chars: this.maxFrameChars }, frames);
    }
    return { frames };
  }

  private fail(error: FrameError, frames: string[]): FramePush {
    this.failed = error;
    this.buf = '';
    return { frames, error };
  }
}

/** Human-readable one-liner for a framing error (logs and error messages). */
export function describeFrameError(e: FrameError): string {
  return e.kind === 'oversize'
    ? `JSON object larger than ${e.limit_chars} characters`
    : `expected a JSON object, got ${JSON.stringify(e.char)} at offset ${e.at}`;
}
