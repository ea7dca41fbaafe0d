/**
 * ISO 8601 ↔ unix seconds for credential dates (W3C VC `issuanceDate`/`expirationDate`).
 * The one place management code converts between the two forms.
 */

const ISO_UTC_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** Unix seconds of an ISO 8601 UTC timestamp (`…Z`), or null when malformed. */
export function isoToUnix(iso: unknown): number | null {
  if (typeof iso !== 'string' || !ISO_UTC_RE.test(iso)) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}

/** ISO 8601 UTC (`YYYY-MM-DDTHH:MM:SSZ`) of unix seconds `s`. */
export function unixToIso(s: number): string {
  return new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Seconds per day, for day-bucketed counters and validity lengths. */
export const DAY_S = 86_400;
