/**
 * `ReportTransport`: the one seam between the host driver and a byte pipe that carries 64-byte HID
 * reports (hw/PROTOCOL.md §1.2). Implementations: node-hid, direct `/dev/hidrawN`, the simulator's
 * unix socket, and the in-process simulator port. The framing layer above is shared by all.
 */
import { err, type Result } from '../../runtime/core/result.ts';
import { REPORT_BYTES } from '../framing/constants.ts';

/** The transport could not be opened or is gone (unplugged, socket closed). */
export interface TransportUnavailable {
  readonly kind: 'SignerUnavailable';
  readonly reason: string;
}

/** A live connection to one signer. */
export interface ReportTransport {
  /** Where it goes, for status and logs: `hidraw:/dev/hidraw0`, `node-hid:…`, `unix:/run/…`. */
  readonly name: string;
  /** True once closed (by `close` or because the device went away). */
  readonly closed: boolean;
  /**
   * Send one 64-byte OUT report (bindings add the report id byte themselves).
   * @returns an error when the device is gone; never throws.
   */
  write(report: Uint8Array): Promise<Result<void, TransportUnavailable>>;
  /** Set the listener for IN reports (64 bytes each). Replaces any earlier listener. */
  onReport(listener: (report: Uint8Array) => void): void;
  /** Set the listener called once when the transport closes, with why (e.g. "device unplugged"). */
  onClose(listener: (reason: string) => void): void;
  /** Close; idempotent. The close listener runs with reason "closed by host". */
  close(): Promise<void>;
}

/** Opens a fresh transport (discovery included); called again after an unplug to reconnect. */
export type TransportOpener = () => Promise<Result<ReportTransport, TransportUnavailable>>;

/**
 * Shared bookkeeping for transports: the closed and report-size checks on write, listener slots
 * and the once-only close notification. Subclasses implement `send` and `release`, and call
 * `deliver` for each IN report and `finish` when the device goes away.
 */
export abstract class BaseTransport implements ReportTransport {
  private reportListener: (report: Uint8Array) => void = () => {};
  private closeListener: (reason: string) => void = () => {};
  private isClosed = false;

  constructor(readonly name: string) {}

  get closed(): boolean {
    return this.isClosed;
  }

  async write(report: Uint8Array): Promise<Result<void, TransportUnavailable>> {
    if (this.isClosed) return this.gone();
    if (report.length !== REPORT_BYTES) return err({ kind: 'SignerUnavailable', reason: `write of ${report.length} bytes, reports are ${REPORT_BYTES}` });
    return this.send(report);
  }

  /** Send one checked 64-byte report on the open handle. */
  protected abstract send(report: Uint8Array): Promise<Result<void, TransportUnavailable>>;

  /** Release the underlying handle (called once by `finish`). */
  protected abstract release(): Promise<void> | void;

  onReport(listener: (report: Uint8Array) => void): void {
    this.reportListener = listener;
  }

  onClose(listener: (reason: string) => void): void {
    this.closeListener = listener;
  }

  async close(): Promise<void> {
    await this.finish('closed by host');
  }

  /** Hand one IN report to the listener (ignored after close). */
  protected deliver(report: Uint8Array): void {
    if (!this.isClosed) this.reportListener(report);
  }

  /** Mark closed, release the handle and notify once. */
  protected async finish(reason: string): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    try {
      await this.release();
    } finally {
      this.closeListener(reason);
    }
  }

  /** The error `write` returns on a closed transport. */
  protected gone(): { ok: false; error: TransportUnavailable } {
    return { ok: false, error: { kind: 'SignerUnavailable', reason: `${this.name} is closed` } };
  }
}
