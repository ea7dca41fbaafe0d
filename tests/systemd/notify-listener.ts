/**
 * Test-side stand-in for systemd's notification socket: binds an AF_UNIX SOCK_DGRAM socket (as
 * PID 1 does for `$NOTIFY_SOCKET`) through libc via bun:ffi, since Bun has no unix-datagram API,
 * and collects every datagram as the list of `KEY=value` lines systemd would parse.
 */
import { dlopen, FFIType } from 'bun:ffi';
import { CONDITION_TIMEOUT_MS } from '../cln/fixtures/recording-engine.ts';

const AF_UNIX = 1;
const SOCK_DGRAM = 2;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const SUN_PATH_MAX = 108;

const libc = dlopen('libc.so.6', {
  socket: { args: [FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
  bind: { args: [FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
  recv: { args: [FFIType.i32, FFIType.ptr, FFIType.u64, FFIType.i32], returns: FFIType.i64 },
  close: { args: [FFIType.i32], returns: FFIType.i32 },
});

/** A bound notification socket; `datagrams` grows as the child sends. */
export interface NotifyListener {
  readonly path: string;
  readonly datagrams: string[][];
  /** Resolve with the first datagram containing `line` (polling every 10 ms), or reject after `timeoutMs`. */
  waitFor(line: string | RegExp, timeoutMs?: number): Promise<string[]>;
  /** Read what has arrived, then count the datagrams with `line`. */
  count(line: string | RegExp): number;
  close(): void;
}

/** Bind a datagram socket at `path` (must not exist yet, ≤ 107 bytes). */
export function listenNotify(path: string): NotifyListener {
  const fd = libc.symbols.socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw new Error('socket(AF_UNIX, SOCK_DGRAM) failed');
  const addr = new Uint8Array(2 + SUN_PATH_MAX);
  new DataView(addr.buffer).setUint16(0, AF_UNIX, true);
  const encoded = new TextEncoder().encode(path);
  if (encoded.length >= SUN_PATH_MAX) throw new Error(`socket path too long: ${path}`);
  addr.set(encoded, 2);
  if (libc.symbols.bind(fd, addr, addr.length) !== 0) throw new Error(`bind(${path}) failed`);
  const datagrams: string[][] = [];
  const buf = new Uint8Array(4096);
  const drain = () => {
    for (;;) {
      const n = Number(libc.symbols.recv(fd, buf, BigInt(buf.length), 0));
      if (n < 0) return;
      datagrams.push(new TextDecoder().decode(buf.subarray(0, n)).split('\n'));
    }
  };
  const matches = (d: string[], line: string | RegExp) => d.some((l) => (typeof line === 'string' ? l === line : line.test(l)));
  return {
    path,
    datagrams,
    count(line) {
      drain();
      return datagrams.filter((d) => matches(d, line)).length;
    },
    async waitFor(line, timeoutMs = CONDITION_TIMEOUT_MS) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        drain();
        const hit = datagrams.find((d) => matches(d, line));
        if (hit) return hit;
        if (performance.now() > deadline) throw new Error(`no datagram with ${line} in ${JSON.stringify(datagrams)}`);
        await Bun.sleep(10);
      }
    },
    close() {
      drain();
      libc.symbols.close(fd);
    },
  };
}
