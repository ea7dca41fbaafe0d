/**
 * `ReportTransport` on node-hid (hidapi, hidraw backend on Linux) — the user's chosen HID library.
 * Discovery by VID/PID and usage page 0xFF00 / usage 0x01 (hw/PROTOCOL.md §1.1); writes are
 * `[0x00, …64 bytes]` (report id first, node-hid README); IN reports arrive as `data` events.
 * A read `error` event means the device was unplugged. node-hid is loaded lazily so a missing
 * libusb runtime (`libusb-1.0.so.0`, bun-platform-probe.md §6) becomes a `SignerUnavailable`
 * instead of a crash at start-up.
 */
import type { Device, HID } from 'node-hid';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { REPORT_BYTES, SIGNER_PID, SIGNER_USAGE, SIGNER_USAGE_PAGE, SIGNER_VID, usbId } from '../framing/constants.ts';
import { BaseTransport, type ReportTransport, type TransportOpener, type TransportUnavailable } from './report-transport.ts';

type NodeHid = typeof import('node-hid');

/**
 * Load node-hid.
 * @returns the module, or SignerUnavailable with the loader's message (e.g. libusb missing).
 */
export async function loadNodeHid(): Promise<Result<NodeHid, TransportUnavailable>> {
  try {
    return ok(await import('node-hid'));
  } catch (e) {
    return err({ kind: 'SignerUnavailable', reason: `node-hid failed to load: ${e instanceof Error ? e.message : String(e)}` });
  }
}

/** Signer interfaces node-hid can see: VID/PID match and, when hidapi reports it, usage page/usage. */
export function matchingDevices(devices: readonly Device[], vid = SIGNER_VID, pid = SIGNER_PID): Device[] {
  return devices.filter(
    (d) => d.vendorId === vid && d.productId === pid && d.path !== undefined && (d.usagePage === undefined || (d.usagePage === SIGNER_USAGE_PAGE && d.usage === SIGNER_USAGE)),
  );
}

class NodeHidTransport extends BaseTransport {
  constructor(private readonly dev: HID, path: string) {
    super(`node-hid:${path}`);
    dev.on('data', (d: Buffer) => {
      if (d.length === REPORT_BYTES) this.deliver(new Uint8Array(d));
    });
    dev.on('error', (e: unknown) => void this.finish(`device unplugged (${e instanceof Error ? e.message : String(e)})`));
  }

  protected async send(report: Uint8Array): Promise<Result<void, TransportUnavailable>> {
    try {
      this.dev.write([0x00, ...report]);
      return ok(undefined);
    } catch (e) {
      void this.finish(`device unplugged (${e instanceof Error ? e.message : String(e)})`);
      return this.gone();
    }
  }

  protected release(): void {
    try {
      this.dev.close();
    } catch {
      // closing a device that is already gone throws; it is closed either way
    }
  }
}

/**
 * Opener for the node-hid transport: enumerate (`HID.devices(vid, pid)`), pick the first matching
 * interface (or the one at `path`), open it.
 */
export function nodeHidOpener(opts: { path?: string; vid?: number; pid?: number } = {}): TransportOpener {
  const vid = opts.vid ?? SIGNER_VID;
  const pid = opts.pid ?? SIGNER_PID;
  return async () => {
    const lib = await loadNodeHid();
    if (!lib.ok) return lib;
    try {
      const found = matchingDevices(lib.value.devices(vid, pid), vid, pid);
      const path = opts.path ?? found[0]?.path;
      if (!path) return err({ kind: 'SignerUnavailable', reason: `no Hivebox signer found by node-hid (VID/PID ${usbId(vid, pid)}, usage page 0xFF00)` });
      return ok(new NodeHidTransport(new lib.value.HID(path), path) as ReportTransport);
    } catch (e) {
      return err({ kind: 'SignerUnavailable', reason: `node-hid: ${e instanceof Error ? e.message : String(e)}` });
    }
  };
}
