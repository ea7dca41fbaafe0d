/**
 * One host connection to a signer (hw/PROTOCOL.md §2): allocates a CTAPHID channel with INIT on the
 * broadcast channel, then runs one transaction at a time — send a message, pass KEEPALIVEs to the
 * caller, return the answer — with the host-side timeouts. Framing is the shared pure layer; this
 * file owns only the waiting. Never throws: every failure is a `ChannelError`.
 */
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { toHex } from '../../runtime/core/types.ts';
import type { Clock, RandomBytes } from '../clock.ts';
import { BROADCAST_CID, CMD, INIT_NONCE_BYTES, PROTOCOL_VERSION } from '../framing/constants.ts';
import { decodeErrorCode, decodeInitResponse, decodeKeepalive, type Keepalive } from '../framing/control-payloads.ts';
import { hidErrorName, type FramingError } from '../framing/errors.ts';
import { packetize, type Frame } from '../framing/packetize.ts';
import { Reassembler } from '../framing/reassembler.ts';
import type { ReportTransport } from '../transport/report-transport.ts';

/** Host-side timeouts in ms (PROTOCOL.md §5). */
export const HOST_TIMEOUTS_MS = {
  init: 1000,
  command: 3000,
  /** Silence while a SIGN waits: no keepalive or answer for this long → unavailable. */
  idle: 2000,
  /** Margin added to the device's approval timeout for the host's own SIGN timeout. */
  approval_margin: 5000,
} as const;

/** Why a transaction failed. */
export type ChannelError =
  | { readonly kind: 'Closed'; readonly reason: string }
  | { readonly kind: 'Timeout'; readonly after_ms: number }
  | { readonly kind: 'Silent'; readonly after_ms: number }
  | { readonly kind: 'DeviceError'; readonly code: number; readonly name: string }
  | { readonly kind: 'Framing'; readonly error: FramingError }
  | { readonly kind: 'Protocol'; readonly reason: string }
  | { readonly kind: 'InUse' };

/** Human text for a channel error (logs, SignerUnavailable reasons). */
export function describeChannelError(e: ChannelError): string {
  switch (e.kind) {
    case 'Closed':
      return e.reason;
    case 'Timeout':
      return `no answer within ${e.after_ms} ms`;
    case 'Silent':
      return `signer went silent for ${e.after_ms} ms`;
    case 'DeviceError':
      return `signer answered ERROR ${e.name}`;
    case 'Framing':
      return `malformed report from signer (${e.error.kind})`;
    case 'Protocol':
      return e.reason;
    case 'InUse':
      return 'channel busy with another transaction';
  }
}

/** Options of one transaction. */
export interface TransactOptions {
  /** Give up after this long (ms) in total. */
  readonly timeout_ms: number;
  /** While keepalives arrive, fail if none comes for this long (ms). Default: no idle check. */
  readonly idle_ms?: number;
  /** Called for each KEEPALIVE. */
  readonly onKeepalive?: (k: Keepalive) => void;
}

interface Waiter {
  readonly cmd: number;
  readonly resolve: (r: Result<Frame, ChannelError>) => void;
}

/** A channel on an open transport. Create with {@link SignerChannel.open}. */
export class SignerChannel {
  private cid = BROADCAST_CID;
  private waiter: Waiter | null = null;
  private readonly reassembler: Reassembler;
  private closedReason: string | null = null;
  private onGone: (reason: string) => void = () => {};
  private keepaliveHook: (k: Keepalive) => void = () => {};
  private matchHook: ((f: Frame) => boolean) | null = null;

  private constructor(readonly transport: ReportTransport, private readonly clock: Clock) {
    this.reassembler = new Reassembler({ accept: (c) => c === this.cid || (this.cid === BROADCAST_CID && c === BROADCAST_CID) });
    transport.onReport((r) => this.onReport(r));
    transport.onClose((reason) => {
      this.closedReason = reason;
      this.finish(err({ kind: 'Closed', reason }));
      this.onGone(reason);
    });
  }

  /**
   * Allocate a channel on `transport` (INIT with an 8-byte nonce from `random`).
   * @returns the channel, or an error (the transport is closed on failure).
   */
  static async open(transport: ReportTransport, clock: Clock, random: RandomBytes): Promise<Result<SignerChannel, ChannelError>> {
    const ch = new SignerChannel(transport, clock);
    const nonce = random(INIT_NONCE_BYTES);
    const answer = (f: Frame) => {
      const init = decodeInitResponse(f.payload);
      return init !== null && toHex(init.nonce) === toHex(nonce) ? init : null;
    };
    const r = await ch.transact(CMD.INIT, nonce, { timeout_ms: HOST_TIMEOUTS_MS.init }, (f) => answer(f) !== null);
    const init = r.ok ? answer(r.value) : null;
    let failure: ChannelError | null = r.ok ? null : r.error;
    if (init && init.protocol_version !== PROTOCOL_VERSION) failure = { kind: 'Protocol', reason: `signer speaks protocol ${init.protocol_version}, host ${PROTOCOL_VERSION}` };
    if (failure || !init) {
      await transport.close();
      return err(failure ?? { kind: 'Protocol', reason: 'bad INIT response' });
    }
    ch.cid = init.cid;
    return ok(ch);
  }

  /** The allocated channel id. */
  get channelId(): number {
    return this.cid;
  }

  /** Why the transport closed, or null while open. */
  get closed(): string | null {
    return this.closedReason;
  }

  /** Set the listener for the transport going away (unplug). */
  onClosed(listener: (reason: string) => void): void {
    this.onGone = listener;
  }

  /**
   * Send `payload` as command `cmd` and wait for the answer with the same command code.
   * KEEPALIVEs go to `onKeepalive`; an ERROR frame ends the transaction with `DeviceError`.
   * @param match optional extra check on an answer; non-matching answers are dropped (stale).
   */
  async transact(cmd: number, payload: Uint8Array, opts: TransactOptions, match?: (f: Frame) => boolean): Promise<Result<Frame, ChannelError>> {
    if (this.closedReason !== null) return err({ kind: 'Closed', reason: this.closedReason });
    if (this.waiter) return err({ kind: 'InUse' });
    const reports = packetize({ cid: this.cid, cmd, payload });
    if (!reports.ok) return err({ kind: 'Framing', error: reports.error });
    const result = new Promise<Result<Frame, ChannelError>>((resolve) => {
      const cancelTotal = this.clock.setTimer(opts.timeout_ms, () => this.finish(err({ kind: 'Timeout', after_ms: opts.timeout_ms })));
      let cancelIdle = () => {};
      const armIdle = () => {
        cancelIdle();
        if (opts.idle_ms !== undefined) cancelIdle = this.clock.setTimer(opts.idle_ms, () => this.finish(err({ kind: 'Silent', after_ms: opts.idle_ms! })));
      };
      this.waiter = {
        cmd,
        resolve: (r) => {
          cancelTotal();
          cancelIdle();
          resolve(r);
        },
      };
      this.keepaliveHook = (k) => {
        armIdle();
        opts.onKeepalive?.(k);
      };
      this.matchHook = match ?? null;
      armIdle();
    });
    for (const r of reports.value) {
      const w = await this.transport.write(r);
      if (!w.ok) {
        this.finish(err({ kind: 'Closed', reason: w.error.reason }));
        break;
      }
    }
    return result;
  }

  /** Send CANCEL (no answer expected); errors are ignored because the transaction is over anyway. */
  async cancel(): Promise<void> {
    const reports = packetize({ cid: this.cid, cmd: CMD.CANCEL, payload: new Uint8Array(0) });
    if (reports.ok) for (const r of reports.value) await this.transport.write(r);
  }

  /** Close the transport. */
  async close(): Promise<void> {
    await this.transport.close();
  }

  private finish(r: Result<Frame, ChannelError>): void {
    const w = this.waiter;
    if (!w) return;
    this.waiter = null;
    this.matchHook = null;
    this.keepaliveHook = () => {};
    w.resolve(r);
  }

  private onReport(report: Uint8Array): void {
    const ev = this.reassembler.push(report, this.clock.now_ms());
    if (ev.kind === 'error') {
      if (ev.cid === this.cid) this.finish(err({ kind: 'Framing', error: ev.error }));
      return;
    }
    if (ev.kind !== 'frame') return;
    const f = ev.frame;
    const w = this.waiter;
    if (!w) return;
    if (f.cmd === CMD.KEEPALIVE) {
      const k = decodeKeepalive(f.payload);
      if (k) this.keepaliveHook(k);
      return;
    }
    if (f.cmd === CMD.ERROR) {
      const code = decodeErrorCode(f.payload) ?? -1;
      this.finish(err({ kind: 'DeviceError', code, name: hidErrorName(code) }));
      return;
    }
    if (f.cmd !== w.cmd || (this.matchHook && !this.matchHook(f))) return;
    this.finish(ok(f));
  }
}
