/**
 * Blanking imported secrets in the boot partition's hivebox.toml (pure, line based): the line
 * `password = "s3cret"` under `[mqtt]` becomes `password = ""  # imported <time>; …`, every other
 * line (comments included) stays as the operator wrote it. Handles `[section]` headers and dotted
 * top-level keys (`mqtt.password = …`), and files saved on Windows (CRLF line ends, byte order
 * mark). A secret written another way (inline table, multi-line
 * string) is reported as not removed; the caller re-parses the result to check.
 */

/** Result of a redaction: new text, keys blanked, keys that could not be found on one line. */
export interface Redaction {
  readonly text: string;
  readonly redacted: string[];
  readonly not_found: string[];
}

const HEADER = /^\s*\[\s*([A-Za-z0-9_-]+)\s*\]\s*(#.*)?$/;
const KEY_LINE = /^(\s*)([A-Za-z0-9_-]+(?:\s*\.\s*[A-Za-z0-9_-]+)*)\s*=\s*(.*)$/;
/** A one-line basic or literal string value, then optional comment. */
const ONE_LINE_STRING = /^("(?:[^"\\\n]|\\.)*"|'[^'\n]*')\s*(#.*)?$/;

/**
 * Blank the values of `keys` (dotted, e.g. `mqtt.password`) in boot-file text.
 * @param note text after `#` on each blanked line (e.g. `imported 2026-11-21T13:00:00Z`).
 */
export function redactSecrets(text: string, keys: readonly string[], note: string): Redaction {
  const wanted = new Set(keys);
  const redacted: string[] = [];
  let section = '';
  const lines = text.split('\n').map((raw) => {
    const eol = raw.endsWith('\r') ? '\r' : '';
    const line = eol ? raw.slice(0, -1) : raw;
    const h = HEADER.exec(line);
    if (h) {
      section = h[1]!;
      return raw;
    }
    const m = KEY_LINE.exec(line);
    if (!m) return raw;
    const key = m[2]!.replace(/\s+/g, '');
    const full = section ? `${section}.${key}` : key;
    if (!wanted.has(full) || !ONE_LINE_STRING.test(m[3]!.trim())) return raw;
    redacted.push(full);
    return `${m[1]}${m[2]} = ""  # ${note}${eol}`;
  });
  return { text: lines.join('\n'), redacted, not_found: keys.filter((k) => !redacted.includes(k)) };
}
