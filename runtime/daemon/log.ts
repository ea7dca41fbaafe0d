/**
 * The daemon's structured logger: one JSON object per line on stderr
 * (`{"ts_ms","level","event",...fields}`), which journald stores as-is under systemd.
 */
import type { LogFn } from '../node/engine.ts';

const RANK = { debug: 0, info: 1, warn: 2, error: 3 } as const;

/** Log level names, lowest first. */
export type LogLevel = keyof typeof RANK;

/**
 * A `LogFn` writing JSON lines at or above `minLevel`.
 * @param write sink for one line (default: stderr); @param now_ms clock for `ts_ms`.
 */
export function jsonLogger(minLevel: LogLevel, write: (line: string) => void = (l) => void process.stderr.write(l), now_ms: () => number = Date.now): LogFn {
  return (level, event, fields = {}) => {
    if (RANK[level] < RANK[minLevel]) return;
    write(`${JSON.stringify({ ts_ms: now_ms(), level, event, ...fields })}\n`);
  };
}
