/**
 * systemd readiness and watchdog notifications (sd_notify(3)): the daemon's half of `Type=notify`
 * and `WatchdogSec=` in systemd/hivebox.service.
 *
 * The protocol is one AF_UNIX datagram per call to the socket named by `$NOTIFY_SOCKET`, holding
 * newline-separated `KEY=value` assignments (`READY=1`, `WATCHDOG=1`, `STATUS=…`, `STOPPING=1`).
 * Bun has no unix-datagram socket (node:dgram knows only udp4/udp6 and `Bun.udpSocket` binds inet),
 * so this calls libsystemd's own `sd_notify` through bun:ffi. libsystemd.so.0 is present wherever
 * systemd is (the systemd package depends on it), handles abstract-namespace sockets and sends the
 * credentials systemd checks against `NotifyAccess=main`. It is loaded lazily and only when
 * `$NOTIFY_SOCKET` is set, so the same binary runs unchanged outside systemd (every call is then a
 * no-op that reports `sent: false`).
 */
import { dlopen, FFIType } from 'bun:ffi';

/** Why a notification did not reach systemd. */
export type NotifyError =
  | { readonly kind: 'LibsystemdMissing'; readonly reason: string }
  | { readonly kind: 'SendFailed'; readonly errno: number };

/** Outcome of one notification: `sent: false` means no `$NOTIFY_SOCKET` (not under systemd). */
export type NotifyResult = { ok: true; sent: boolean } | { ok: false; error: NotifyError };

/** Longest STATUS= text sent; systemctl shows one line, and a datagram must stay small. */
export const STATUS_MAX_CHARS = 200;

/** The daemon's handle on systemd notifications. Every method returns a value and never throws. */
export interface Notifier {
  /** True when `$NOTIFY_SOCKET` is set (the process runs as a notify-type unit). */
  readonly enabled: boolean;
  /** Ping interval in ms (half of `$WATCHDOG_USEC`), or null when the unit has no watchdog for this PID. */
  readonly watchdogIntervalMs: number | null;
  /** `READY=1` (+ optional `STATUS=`): startup finished; systemd moves the unit to active. */
  ready(status?: string): NotifyResult;
  /** `WATCHDOG=1`: the event loop is alive. */
  watchdog(): NotifyResult;
  /** `STATUS=<text>`: one human-readable line shown by `systemctl status` (newlines are flattened). */
  status(text: string): NotifyResult;
  /** `STOPPING=1` (+ optional `STATUS=`): shutdown began. */
  stopping(status?: string): NotifyResult;
  /**
   * Ping `WATCHDOG=1` every `watchdogIntervalMs` from a timer on the event loop, skipping a ping
   * whenever `alive()` returns false (so systemd restarts a daemon that is up but wedged); a failed
   * send goes to `onError`. The timer is unref'd: it never keeps the process alive by itself.
   * @returns a function that stops the timer; a no-op when there is no watchdog.
   */
  startWatchdog(opts?: { alive?: () => boolean; onError?: (error: NotifyError) => void }): () => void;
}

type SdNotify = (unsetEnvironment: number, state: Uint8Array) => number;

function loadSdNotify(): SdNotify | NotifyError {
  try {
    const lib = dlopen('libsystemd.so.0', { sd_notify: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.i32 } });
    return (unset, state) => lib.symbols.sd_notify(unset, state);
  } catch (e) {
    return { kind: 'LibsystemdMissing', reason: e instanceof Error ? e.message : String(e) };
  }
}

/** One status line: control characters (which would start a new `KEY=` assignment) become spaces. */
export function statusLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, STATUS_MAX_CHARS);
}

/**
 * `$WATCHDOG_USEC` / `$WATCHDOG_PID` → ping interval in ms (half the timeout, as sd_watchdog_enabled(3)
 * recommends), or null when unset, malformed, or addressed to another PID.
 */
export function watchdogIntervalMs(env: Record<string, string | undefined>, pid: number): number | null {
  const usec = env.WATCHDOG_USEC;
  if (!usec || !/^[1-9][0-9]*$/.test(usec)) return null;
  const target = env.WATCHDOG_PID;
  if (target !== undefined && target !== String(pid)) return null;
  return Math.max(1, Math.floor(Number(usec) / 2000));
}

/**
 * Open the notifier for this process.
 * @param env the environment systemd started us with (default `process.env`); libsystemd reads the
 *   real process environment itself, so pass a different `env` only to disable notifications.
 */
export function openNotifier(env: Record<string, string | undefined> = process.env): Notifier {
  const enabled = Boolean(env.NOTIFY_SOCKET);
  let fn: SdNotify | NotifyError | undefined;
  const send = (lines: string[]): NotifyResult => {
    if (!enabled) return { ok: true, sent: false };
    fn ??= loadSdNotify();
    if (typeof fn !== 'function') return { ok: false, error: fn };
    const rc = fn(0, new TextEncoder().encode(`${lines.join('\n')}\0`));
    if (rc < 0) return { ok: false, error: { kind: 'SendFailed', errno: -rc } };
    return { ok: true, sent: rc > 0 };
  };
  const withStatus = (head: string, status?: string): string[] =>
    status === undefined ? [head] : [head, `STATUS=${statusLine(status)}`];
  const interval = watchdogIntervalMs(env, process.pid);
  return {
    enabled,
    watchdogIntervalMs: interval,
    ready: (status) => send(withStatus('READY=1', status)),
    watchdog: () => send(['WATCHDOG=1']),
    status: (text) => send([`STATUS=${statusLine(text)}`]),
    stopping: (status) => send(withStatus('STOPPING=1', status)),
    startWatchdog({ alive = () => true, onError = () => {} } = {}) {
      if (interval === null || !enabled) return () => {};
      const timer = setInterval(() => {
        if (!alive()) return;
        const r = send(['WATCHDOG=1']);
        if (!r.ok) onError(r.error);
      }, interval);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
