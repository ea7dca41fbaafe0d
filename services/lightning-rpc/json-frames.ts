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

/**
 * Why a stream cannot be framed (`at` = offset of the offending character within the chunk that
 * held it); after an error the reader is unusable and the connection must be closed.
 */
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
  private parts: string[] = [];
  private partsLength = 0;
  private inFrame = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private failed: FrameError | undefined;

  /** @param maxFrameChars largest accepted object in UTF-16 code units; bigger → `oversize`. */
  constructor(private readonly maxFrameChars: number) {}

  /** Characters buffered but not yet part of a complete frame. */
  get pending(): number {
    return this.partsLength;
  }

  /**
   * Feed the next piece of the stream. Only the new piece is scanned (an incomplete frame is kept
   * as a list of pieces), so a large response arriving in many reads costs linear time.
   * Returns completed frames; once an error is returned, every later call returns it again.
   */
  push(chunk: string): FramePush {
    if (this.failed) return { frames: [], error: this.failed };
    const frames: string[] = [];
    let segStart = this.inFrame ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (!this.inFrame) {
        if (isJsonWhitespace(c)) continue;
        if (c !== OPEN_BRACE) return this.fail({ kind: 'not_object', at: i, char: chunk[i]! }, frames);
        this.inFrame = true;
        this.depth = 1;
        segStart = i;
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
          if (this.partsLength + i + 1 - segStart > this.maxFrameChars) return this.fail({ kind: 'oversize', limit_chars: this.maxFrameChars }, frames);
          const tail = chunk.slice(segStart, i + 1);
          frames.push(this.parts.length > 0 ? this.parts.join('') + tail : tail);
          this.parts = [];
          this.partsLength = 0;
          this.inFrame = false;
        }
      }
    }
    if (this.inFrame) {
      const rest = chunk.slice(segStart);
      this.parts.push(rest);
      this.partsLength += rest.length;
      if (this.partsLength > this.maxFrameChars) return this.fail({ kind: 'oversize', limit_chars: this.maxFrameChars }, frames);
    }
    return { frames };
  }

  private fail(error: FrameError, frames: string[]): FramePush {
    this.failed = error;
    this.parts = [];
    this.partsLength = 0;
    return { frames, error };
  }
}

/** Human-readable one-liner for a framing error (logs and error messages). */
export function describeFrameError(e: FrameError): string {
  return e.kind === 'oversize'
    ? `JSON object larger than ${e.limit_chars} characters`
    : `expected a JSON object, got ${JSON.stringify(e.char)} at offset ${e.at}`;
}
