/**
 * The simulated signer as a real kernel HID device, through Linux's user-space HID driver
 * (`/dev/uhid`, Documentation/hid/uhid.rst, include/uapi/linux/uhid.h): UHID_CREATE2 registers a USB
 * device with the signer's VID/PID, name, serial (uniq) and report descriptor (hw/PROTOCOL.md §1.1),
 * so the kernel makes a `/dev/hidrawN` node and libudev/node-hid enumerate it like the plugged-in
 * signer. OUT reports a host writes arrive as UHID_OUTPUT and go to the device model
 * (`SimulatedSignerDevice.receive`); the device's IN reports go back as UHID_INPUT2.
 * UHID_DESTROY is the cable pulled: the hidraw node disappears, open hosts see it vanish, and the
 * device loses power (`powerCycle`), as SimulatedUsbPort's unplug does.
 *
 * Needs Linux with CONFIG_UHID and write access to /dev/uhid (root). The file descriptor is read
 * non-blocking on a short timer, like the hidraw transport.
 */
import { closeSync, constants, openSync, readSync, writeSync } from 'node:fs';
import { REPORT_DESCRIPTOR, REPORT_BYTES, SIGNER_PID, SIGNER_VID } from '../../../hw/framing/constants.ts';
import type { SimulatedSignerDevice } from './device.ts';

/** Event types of include/uapi/linux/uhid.h. */
const UHID = { DESTROY: 1, OUTPUT: 6, GET_REPORT: 9, GET_REPORT_REPLY: 10, CREATE2: 11, INPUT2: 12, SET_REPORT: 13, SET_REPORT_REPLY: 14 } as const;
/** sizeof(struct uhid_event): u32 type + the largest union member (uhid_create2_req, 4372 bytes). */
export const UHID_EVENT_SIZE = 4 + 128 + 64 + 64 + 2 + 2 + 4 + 4 + 4 + 4 + 4096;
/** BUS_USB (include/uapi/linux/input.h). */
const BUS_USB = 0x03;
const EIO = 5;
/** How often the uhid descriptor is polled for OUT reports, ms. */
const POLL_MS = 4;

/** A simulated signer attached to the kernel. */
export interface UhidSigner {
  /** Pull the cable: UHID_DESTROY (the hidraw node goes away) and the device loses power. Idempotent. */
  unplug(): void;
  /** Plug it back in: a fresh UHID_CREATE2 on a new descriptor. No-op while plugged. */
  plug(): void;
  readonly plugged: boolean;
  /** Unplug and stop polling. */
  close(): void;
}

function event(type: number): { buf: Uint8Array; view: DataView } {
  const buf = new Uint8Array(UHID_EVENT_SIZE);
  const view = new DataView(buf.buffer);
  view.setUint32(0, type, true);
  return { buf, view };
}

/** The UHID_CREATE2 event for the signer (`serial` becomes HID_UNIQ, the USB serial number). */
export function create2Event(name: string, serial: string): Uint8Array {
  const { buf, view } = event(UHID.CREATE2);
  const enc = new TextEncoder();
  buf.set(enc.encode(name).subarray(0, 127), 4);
  buf.set(enc.encode('hivebox-sim/uhid').subarray(0, 63), 4 + 128);
  buf.set(enc.encode(serial).subarray(0, 63), 4 + 192);
  const at = 4 + 256;
  view.setUint16(at, REPORT_DESCRIPTOR.length, true);
  view.setUint16(at + 2, BUS_USB, true);
  view.setUint32(at + 4, SIGNER_VID, true);
  view.setUint32(at + 8, SIGNER_PID, true);
  view.setUint32(at + 12, 0x0100, true);
  view.setUint32(at + 16, 0, true);
  buf.set(REPORT_DESCRIPTOR, at + 20);
  return buf;
}

/** The UHID_INPUT2 event carrying one 64-byte IN report (no report id: the descriptor numbers none). */
export function input2Event(report: Uint8Array): Uint8Array {
  const { buf, view } = event(UHID.INPUT2);
  view.setUint16(4, report.length, true);
  buf.set(report, 6);
  return buf;
}

/**
 * The OUT report inside a UHID_OUTPUT event: `data[size]` after the u32 type (hidraw passes the
 * leading report id 0 through, which is dropped). @returns null for a report of the wrong size.
 */
export function outputReport(ev: Uint8Array): Uint8Array | null {
  const view = new DataView(ev.buffer, ev.byteOffset, ev.byteLength);
  const size = view.getUint16(4 + 4096, true);
  const data = ev.subarray(4, 4 + size);
  if (size === REPORT_BYTES + 1 && data[0] === 0) return data.slice(1);
  return size === REPORT_BYTES ? data.slice() : null;
}

/**
 * Attach `device` to the kernel as the USB HID signer `name` / `serial`.
 * @throws Error when /dev/uhid cannot be opened (no CONFIG_UHID, not root) or refuses the device.
 */
export function attachUhid(device: SimulatedSignerDevice, opts: { name: string; serial: string; path?: string }): UhidSigner {
  let fd: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const unsubscribe = device.onReport((r) => {
    if (fd !== null) writeSync(fd, input2Event(r));
  });
  const reply = (ev: Uint8Array, type: number) => {
    const id = new DataView(ev.buffer, ev.byteOffset).getUint32(4, true);
    const { buf, view } = event(type);
    view.setUint32(4, id, true);
    view.setUint16(8, EIO, true);
    if (fd !== null) writeSync(fd, buf);
  };
  const poll = () => {
    timer = null;
    if (fd === null) return;
    const ev = new Uint8Array(UHID_EVENT_SIZE);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, ev, 0, UHID_EVENT_SIZE, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') break;
        throw e;
      }
      if (n < 4) break;
      const type = new DataView(ev.buffer).getUint32(0, true);
      if (type === UHID.OUTPUT) {
        const report = outputReport(ev);
        if (report) device.receive(report);
      } else if (type === UHID.GET_REPORT) reply(ev, UHID.GET_REPORT_REPLY);
      else if (type === UHID.SET_REPORT) reply(ev, UHID.SET_REPORT_REPLY);
    }
    timer = setTimeout(poll, POLL_MS);
  };
  const plug = () => {
    if (fd !== null) return;
    fd = openSync(opts.path ?? '/dev/uhid', constants.O_RDWR | constants.O_NONBLOCK);
    writeSync(fd, create2Event(opts.name, opts.serial));
    poll();
  };
  const unplug = () => {
    if (fd === null) return;
    if (timer) clearTimeout(timer);
    timer = null;
    // The cable carries the power too: channels, a pending approval and partial messages are gone.
    device.powerCycle();
    try {
      writeSync(fd, event(UHID.DESTROY).buf);
    } finally {
      closeSync(fd);
      fd = null;
    }
  };
  plug();
  return {
    plug,
    unplug,
    get plugged() {
      return fd !== null;
    },
    close() {
      unplug();
      unsubscribe();
    },
  };
}
