/**
 * A pseudo-terminal in raw mode as a stand-in for a `/dev/hidrawN` node in tests (this machine has
 * no uhid to create a real one): the slave is a character device path the hidraw transport opens
 * read-write exactly as it opens hidraw; the test plays the USB device on the master. Closing the
 * master makes slave reads fail like an unplugged hidraw node. libc via bun:ffi.
 */
import { CString, dlopen, FFIType, ptr } from 'bun:ffi';
import { closeSync, readSync, writeSync } from 'node:fs';

const libc = dlopen('libc.so.6', {
  posix_openpt: { args: [FFIType.i32], returns: FFIType.i32 },
  grantpt: { args: [FFIType.i32], returns: FFIType.i32 },
  unlockpt: { args: [FFIType.i32], returns: FFIType.i32 },
  ptsname: { args: [FFIType.i32], returns: FFIType.ptr },
  tcgetattr: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
  tcsetattr: { args: [FFIType.i32, FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
  cfmakeraw: { args: [FFIType.ptr], returns: FFIType.void },
});

const O_RDWR = 0o2;
const O_NOCTTY = 0o400;
const O_NONBLOCK = 0o4000;

/** The master side of a raw pty whose slave stands in for a hidraw node. */
export interface PtyDevice {
  /** Path of the slave (what the hidraw transport opens). */
  readonly path: string;
  /** Non-blocking read from the master: bytes the host wrote, or empty. */
  read(): Uint8Array;
  /** Write bytes the host will read (dropped once closed, like a device with no cable). */
  write(bytes: Uint8Array): void;
  /** Close the master: the slave sees a hang-up (the "unplug"). */
  close(): void;
}

/** Open a raw pty pair. @throws Error when libc refuses. */
export function openPty(): PtyDevice {
  const m = libc.symbols.posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
  if (m < 0 || libc.symbols.grantpt(m) !== 0 || libc.symbols.unlockpt(m) !== 0) throw new Error('posix_openpt failed');
  const path = new CString(libc.symbols.ptsname(m)!).toString();
  const termios = new Uint8Array(256);
  libc.symbols.tcgetattr(m, ptr(termios));
  libc.symbols.cfmakeraw(ptr(termios));
  libc.symbols.tcsetattr(m, 0, ptr(termios));
  const buf = new Uint8Array(4096);
  let open = true;
  return {
    path,
    read() {
      try {
        const n = readSync(m, buf, 0, buf.length, null);
        return buf.slice(0, n);
      } catch {
        return new Uint8Array(0);
      }
    },
    write(bytes) {
      if (open) writeSync(m, bytes);
    },
    close() {
      if (open) closeSync(m);
      open = false;
    },
  };
}
