/**
 * `ReportTransport` on a Linux `/dev/hidrawN` node with plain file I/O — no native addon, so it
 * works in a `bun build --compile` binary and avoids node-hid's crashes under Bun on ARM
 * (oven-sh/bun#6515). Writes are 65 bytes (report id 0x00 + 64); reads return one 64-byte report
 * each (hidraw(4)). The node is opened non-blocking and polled: every few ms while traffic flows,
 * every 100 ms when idle. A read error (ENODEV/EIO) or EOF means the signer was unplugged.
 */
import { closeSync, constants, openSync, readSync, writeSync } from 'node:fs';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { realClock, type Clock } from '../clock.ts';
import { REPORT_BYTES, usbId } from '../framing/constants.ts';
import { findHidrawSigners, type HidrawRoots } from './hidraw-discovery.ts';
import { ReportChunker } from './report-chunker.ts';
import { BaseTransport, type ReportTransport, type TransportOpener, type TransportUnavailable } from './report-transport.ts';

/** Poll intervals in ms. */
export const HIDRAW_POLL_MS = { active: 4, idle: 100, active_window: 2000 } as const;

const errno = (e: unknown) => (e as { code?: string }).code ?? '';

class HidrawTransport extends BaseTransport {
  private readonly chunker = new ReportChunker();
  private readonly buf = new Uint8Array(REPORT_BYTES * 16);
  private lastActivity: number;
  private cancelPoll: () => void = () => {};

  constructor(private readonly fd: number, path: string, private readonly clock: Clock) {
    super(`hidraw:${path}`);
    this.lastActivity = clock.now_ms();
    this.schedule();
  }

  protected async send(report: Uint8Array): Promise<Result<void, TransportUnavailable>> {
    const out = new Uint8Array(REPORT_BYTES + 1);
    out.set(report, 1);
    for (let attempt = 0; ; attempt++) {
      try {
        const n = writeSync(this.fd, out);
        if (n !== out.length) return err({ kind: 'SignerUnavailable', reason: `short write (${n} of ${out.length})` });
        this.lastActivity = this.clock.now_ms();
        this.cancelPoll();
        this.schedule();
        return ok(undefined);
      } catch (e) {
        if (errno(e) === 'EAGAIN' && attempt < 50) {
          await new Promise<void>((r) => this.clock.setTimer(HIDRAW_POLL_MS.active, r));
          continue;
        }
        void this.finish(`device unplugged (${errno(e) || String(e)})`);
        return this.gone();
      }
    }
  }

  protected release(): void {
    this.cancelPoll();
    closeSync(this.fd);
  }

  private schedule(): void {
    if (this.closed) return;
    const active = this.clock.now_ms() - this.lastActivity < HIDRAW_POLL_MS.active_window;
    this.cancelPoll = this.clock.setTimer(active ? HIDRAW_POLL_MS.active : HIDRAW_POLL_MS.idle, () => this.poll());
  }

  private poll(): void {
    for (;;) {
      let n: number;
      try {
        n = readSync(this.fd, this.buf, 0, this.buf.length, null);
      } catch (e) {
        if (errno(e) === 'EAGAIN') break;
        void this.finish(`device unplugged (${errno(e) || String(e)})`);
        return;
      }
      if (n === 0) {
        void this.finish('device unplugged (EOF)');
        return;
      }
      this.lastActivity = this.clock.now_ms();
      for (const r of this.chunker.push(this.buf.subarray(0, n))) this.deliver(r);
      if (this.closed) return;
    }
    this.schedule();
  }
}

/** Open one hidraw node (read-write, non-blocking). */
export function openHidraw(path: string, clock: Clock = realClock): Result<ReportTransport, TransportUnavailable> {
  try {
    const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOCTTY);
    return ok(new HidrawTransport(fd, path, clock));
  } catch (e) {
    const hint = errno(e) === 'EACCES' ? ' — is the udev rule systemd/99-hivebox-signer.rules installed and the user in group hivebox?' : '';
    return err({ kind: 'SignerUnavailable', reason: `cannot open ${path}: ${errno(e) || String(e)}${hint}` });
  }
}

/**
 * Opener for the hidraw transport: a fixed `path`, or discovery through sysfs (first match) when
 * `path` is omitted.
 */
export function hidrawOpener(opts: { path?: string; roots?: HidrawRoots; clock?: Clock } = {}): TransportOpener {
  return async () => {
    const path = opts.path ?? findHidrawSigners(opts.roots)[0]?.path;
    if (!path) return err({ kind: 'SignerUnavailable', reason: `no Hivebox signer found among hidraw devices (VID/PID ${usbId()}, usage page 0xFF00)` });
    return openHidraw(path, opts.clock);
  };
}
