/**
 * Condition waits for the real-node rig: poll, never sleep a fixed time. Timeouts are generous
 * (a busy 2-core machine runs bitcoind, several lightningd and bun processes at once) and the
 * error names what was awaited plus the last value seen.
 */

/** Thrown by a probe when waiting longer is pointless (the awaited process exited): `eventually` rethrows it at once. */
export class WaitAborted extends Error {}

/**
 * Poll `probe` every `interval_ms` until it returns a value other than `undefined`/`false`.
 * Errors thrown by `probe` count as "not yet" (a daemon restarting, a socket not there yet),
 * except `WaitAborted`, which ends the wait at once.
 * @returns the first truthy value. @throws Error naming `what` after `timeout_ms`.
 */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeout_ms = 60_000, interval_ms = 250): Promise<T> {
  const deadline = Date.now() + timeout_ms;
  let last: unknown = undefined;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
      last = v;
    } catch (e) {
      if (e instanceof WaitAborted) throw e;
      last = e instanceof Error ? e.message : e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout_ms} ms waiting for ${what} (last: ${JSON.stringify(last)?.slice(0, 300)})`);
    await Bun.sleep(interval_ms);
  }
}

/** A free TCP port on 127.0.0.1 (bound, read, released). */
export function freePort(): number {
  const s = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

/** Milliseconds since `t0_ms`, for the timing lines scenarios print. */
export function since(t0_ms: number): number {
  return Date.now() - t0_ms;
}
