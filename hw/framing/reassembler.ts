/**
 * 64-byte reports → messages (hw/PROTOCOL.md §2.1–2.2), the receiving half of CTAPHID framing.
 * Pure: no I/O, no timers. Time enters as `now_ms` arguments so the owner (a transport loop or the
 * device model) decides when to call `expire`. Every malformed report yields a typed
 * `FramingError`; nothing throws and nothing waits.
 */
import {
  BROADCAST_CID,
  CMD,
  CONT_PAYLOAD_BYTES,
  INIT_PAYLOAD_BYTES,
  MAX_MESSAGE_BYTES,
  REASSEMBLY_TIMEOUT_MS,
  REPORT_BYTES,
  RESERVED_CID,
} from './constants.ts';
import type { FramingError } from './errors.ts';
import type { Frame } from './packetize.ts';

/** What one report did. `cid` on errors is the channel to answer, or null when unknown. */
export type ReassemblyEvent =
  | { readonly kind: 'frame'; readonly frame: Frame }
  | { readonly kind: 'partial'; readonly cid: number }
  | { readonly kind: 'ignored'; readonly cid: number }
  | { readonly kind: 'error'; readonly cid: number | null; readonly error: FramingError };

/** Options of a {@link Reassembler}. */
export interface ReassemblerOptions {
  /**
   * Which channels this side listens to. The host accepts its own channel (and broadcast while an
   * INIT is outstanding); reports for other channels belong to other hosts and are `ignored`.
   * The device accepts every channel. Default: all.
   */
  readonly accept?: (cid: number) => boolean;
  /** Reassembly timeout in ms (default 1,000, PROTOCOL.md §2.1). */
  readonly timeout_ms?: number;
  /** Largest payload accepted (default 7,609). */
  readonly max_message_bytes?: number;
}

interface PartialMessage {
  readonly cid: number;
  readonly cmd: number;
  readonly buffer: Uint8Array;
  filled: number;
  nextSeq: number;
  last_ms: number;
}

/** Reassembles one message at a time, as CTAPHID requires of both ends. */
export class Reassembler {
  private partial: PartialMessage | null = null;
  private readonly accept: (cid: number) => boolean;
  private readonly timeout_ms: number;
  private readonly max: number;

  constructor(options: ReassemblerOptions = {}) {
    this.accept = options.accept ?? (() => true);
    this.timeout_ms = options.timeout_ms ?? REASSEMBLY_TIMEOUT_MS;
    this.max = options.max_message_bytes ?? MAX_MESSAGE_BYTES;
  }

  /** Channel of the message being reassembled, or null. */
  get pendingChannel(): number | null {
    return this.partial?.cid ?? null;
  }

  /** Drop any message in progress (after a resync or a disconnect). */
  reset(): void {
    this.partial = null;
  }

  /**
   * Feed one report received at `now_ms`.
   * @returns `frame` when a message completed, `partial` when more packets are needed, `ignored`
   *   for another host's channel, or `error` (the report changed nothing unless the error says the
   *   message in progress was dropped: OutOfOrderSequence, InterleavedInit).
   */
  push(report: Uint8Array, now_ms: number): ReassemblyEvent {
    const cidKnown = report.length >= 4;
    const cid = cidKnown ? ((report[0]! << 24) | (report[1]! << 16) | (report[2]! << 8) | report[3]!) >>> 0 : null;
    if (report.length < REPORT_BYTES) return { kind: 'error', cid, error: { kind: 'ShortReport', length: report.length } };
    if (report.length > REPORT_BYTES) return { kind: 'error', cid, error: { kind: 'OversizeReport', length: report.length } };
    const channel = cid!;
    if (!this.accept(channel)) return { kind: 'ignored', cid: channel };
    if (channel === RESERVED_CID) return { kind: 'error', cid: null, error: { kind: 'BadChannel', cid: channel } };
    this.expireIfStale(now_ms);
    const head = report[4]!;
    return head & 0x80 ? this.initPacket(channel, head & 0x7f, report, now_ms) : this.contPacket(channel, head, report, now_ms);
  }

  /**
   * Drop a message whose packets stopped arriving `timeout_ms` ago.
   * @returns the `MessageTimeout` error for the dropped channel, or null when nothing expired.
   */
  expire(now_ms: number): ReassemblyEvent | null {
    const p = this.partial;
    if (!p || now_ms - p.last_ms < this.timeout_ms) return null;
    this.partial = null;
    return { kind: 'error', cid: p.cid, error: { kind: 'MessageTimeout', cid: p.cid, waited_ms: now_ms - p.last_ms } };
  }

  private expireIfStale(now_ms: number): void {
    if (this.partial && now_ms - this.partial.last_ms >= this.timeout_ms) this.partial = null;
  }

  private initPacket(cid: number, cmd: number, report: Uint8Array, now_ms: number): ReassemblyEvent {
    const p = this.partial;
    if (p && p.cid !== cid) return { kind: 'error', cid, error: { kind: 'ChannelBusy', cid, busy_cid: p.cid } };
    if (p && cmd !== CMD.INIT) {
      this.partial = null;
      return { kind: 'error', cid, error: { kind: 'InterleavedInit', cid } };
    }
    this.partial = null;
    const length = (report[5]! << 8) | report[6]!;
    if (length > this.max) return { kind: 'error', cid, error: { kind: 'LengthOverflow', length, max: this.max } };
    if (length <= INIT_PAYLOAD_BYTES) return { kind: 'frame', frame: { cid, cmd, payload: report.slice(7, 7 + length) } };
    const buffer = new Uint8Array(length);
    buffer.set(report.subarray(7, 7 + INIT_PAYLOAD_BYTES));
    this.partial = { cid, cmd, buffer, filled: INIT_PAYLOAD_BYTES, nextSeq: 0, last_ms: now_ms };
    return { kind: 'partial', cid };
  }

  private contPacket(cid: number, seq: number, report: Uint8Array, now_ms: number): ReassemblyEvent {
    const p = this.partial;
    if (!p || p.cid !== cid) return { kind: 'error', cid: cid === BROADCAST_CID ? null : cid, error: { kind: 'UnexpectedContinuation', cid, seq } };
    if (seq !== p.nextSeq) {
      this.partial = null;
      return { kind: 'error', cid, error: { kind: 'OutOfOrderSequence', cid, expected: p.nextSeq, got: seq } };
    }
    const take = Math.min(CONT_PAYLOAD_BYTES, p.buffer.length - p.filled);
    p.buffer.set(report.subarray(5, 5 + take), p.filled);
    p.filled += take;
    p.nextSeq++;
    p.last_ms = now_ms;
    if (p.filled < p.buffer.length) return { kind: 'partial', cid };
    this.partial = null;
    return { kind: 'frame', frame: { cid, cmd: p.cmd, payload: p.buffer } };
  }
}
