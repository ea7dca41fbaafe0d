/**
 * The text a Lightning signature really covers when it is made through lightningd's `signmessage`.
 *
 * lightningd hashes the raw JSON token of `message` without unescaping it, and cl-hive sends the
 * request through pyln-client (`json.dumps(..., ensure_ascii=False)`). So for a canonical string S,
 * the signed text T is S escaped as Python's encoder escapes a string with ensure_ascii off,
 * without the surrounding quotes (clhive-protocol.md §3.1 correction, checked on CLN v26.06).
 * Hivebox signs and verifies over T everywhere so its signatures and cl-hive's are interchangeable.
 */
import { pyEscapeUnicode } from './python-json.ts';

/**
 * T for canonical string S: `json.dumps(S, ensure_ascii=False)[1:-1]`.
 * `"` → `\"`, `\` → `\\`, control characters → `\n`, `\t`, `\u00XX`…; non-ASCII stays UTF-8.
 */
export function lightningSignedText(canonical: string): string {
  return pyEscapeUnicode(canonical);
}
