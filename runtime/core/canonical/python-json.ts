/**
 * Byte-exact emulation of Python's `json.dumps` / `json.loads` number and string rules, which
 * cl-hive uses for every signed canonical string (clhive-protocol.md §3.2–3.3, §15 item 14).
 *
 * Why home-made: no npm library reproduces CPython's `json` encoder (sort_keys by code point,
 * `ensure_ascii` `\uXXXX` escapes, `repr(float)` formatting, the int/float distinction). This is
 * part of the Hive wire protocol itself, so Hivebox owns it.
 */

/**
 * A Python `float` whose value is integral (e.g. `1.0`). JavaScript has one number type, so a
 * parsed `1.0` would otherwise print as `1` and break a cl-hive signature over it.
 */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** Options of `pyDumps`, named after Python's `json.dumps` keyword arguments. */
export interface PyDumpsOptions {
  /** `sort_keys`: order object keys by Unicode code point. Default true. */
  sortKeys?: boolean;
  /** `separators`: `[item, key]`. Default compact `[',', ':']`; Python's default is `[', ', ': ']`. */
  separators?: readonly [string, string];
  /** `ensure_ascii`: escape non-ASCII as `\uXXXX`. Default true (Python's default). */
  ensureAscii?: boolean;
}

/** A value `pyDumps` can serialise: JSON values plus `PyFloat` and `bigint`. */
export type PyJson =
  | null
  | boolean
  | number
  | bigint
  | string
  | PyFloat
  | readonly PyJson[]
  | { readonly [key: string]: PyJson | undefined };

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** Printable ASCII without `"` and `\\`: needs no escape in either mode (the common case, checked first). */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * `JSON.stringify` of a string array without any backslash or non-printable-ASCII character: every
 * item was printed verbatim, exactly as both Python modes print it (one native call for a GOSSIP
 * topology instead of one escape per item).
 */
const PLAIN_ARRAY = /^[\x20-\x5b\x5d-\x7e]*$/;

function isString(v: unknown): v is string {
  return typeof v === 'string';
}

function hex4(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Code units `ensure_ascii=True` escapes: `"`, `\\`, and everything outside 0x20–0x7E. */
const NEEDS_ESCAPE_ASCII = /["\\\x00-\x1f\x7f-\uffff]/g;
/** Code units `ensure_ascii=False` escapes: `"`, `\\` and control characters below 0x20. */
const NEEDS_ESCAPE_UNICODE = /["\\\x00-\x1f]/g;
/** A code unit `ensure_ascii=True` escapes as `\uXXXX` (outside printable ASCII). */
const HEX_ESCAPED_ASCII = /[^\x20-\x7e]/;
/** A code unit `ensure_ascii=False` escapes other than `"` and `\\`: a control character. */
const HEX_ESCAPED_UNICODE = /[\x00-\x1f]/;
/** `"` and `\\`, escaped by a backslash in both modes. */
const QUOTE_OR_BACKSLASH = /["\\]/g;

function escapeUnit(ch: string): string {
  return SHORT_ESCAPES[ch] ?? hex4(ch.charCodeAt(0));
}

/**
 * Python `json.dumps(s)` string body with `ensure_ascii=True`, without the quotes: every code unit
 * outside 0x20–0x7E is `\uXXXX` (lowercase hex; astral characters as UTF-16 surrogate pairs).
 * Text whose only specials are `"` and `\\` (canonical strings of canonical strings) is escaped by
 * one native replace without a per-match callback.
 */
export function pyEscapeAscii(s: string): string {
  if (PLAIN.test(s)) return s;
  return HEX_ESCAPED_ASCII.test(s) ? s.replace(NEEDS_ESCAPE_ASCII, escapeUnit) : s.replace(QUOTE_OR_BACKSLASH, '\\$&');
}

/**
 * Python `json.dumps(s, ensure_ascii=False)` string body without the quotes: only `"`, `\` and
 * control characters below 0x20 are escaped; everything else (non-ASCII, DEL) stays raw.
 * Without control characters (every signed text of a canonical string) it is one native replace.
 */
export function pyEscapeUnicode(s: string): string {
  if (PLAIN.test(s)) return s;
  return HEX_ESCAPED_UNICODE.test(s) ? s.replace(NEEDS_ESCAPE_UNICODE, escapeUnit) : s.replace(QUOTE_OR_BACKSLASH, '\\$&');
}

/**
 * Python `repr(float)`: shortest round-trip digits, fixed notation for decimal exponents −5 < e < 16
 * (always with a fractional part, `1.0`), otherwise `d.ddde±XX`.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp >= 0) {
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1) || '0';
    return `${sign}${intPart}.${frac}`;
  }
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}

/** UTF-16 surrogates: only strings containing one order differently by code unit and by code point. */
const SURROGATE = /[\ud800-\udfff]/;

/** Python `a < b` for strings as a comparator: code point order (JS `<` compares UTF-16 code units). */
export function comparePyStrings(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done === y.done ? 0 : x.done ? -1 : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/**
 * Sort `strings` in place in Python's order. Without a surrogate in any of them code unit order is
 * code point order, so the native comparator-less sort runs (the surrogate check is done once per
 * string, not once per comparison).
 */
function sortPyInPlace(strings: string[]): string[] {
  for (const s of strings) if (SURROGATE.test(s)) return strings.sort(comparePyStrings);
  return strings.sort();
}

/** Python `sorted(strings)`: a sorted copy in code point order. */
export function pySorted(strings: readonly string[]): string[] {
  return sortPyInPlace([...strings]);
}

/**
 * `canonicalJson(pySorted(items))` written as bytes into `out` from `at`, without building a string,
 * when every item is a plain string: printable ASCII without `"` or `\\`, which both Python modes
 * print verbatim and which holds no surrogate, so the native code-unit sort is Python's order. A
 * GOSSIP topology is ~13 kB of node ids; printing, joining and re-encoding it as strings cost more
 * than hashing it, mostly in fresh memory (issue 19 §3). A list that arrives sorted is not re-sorted.
 * @returns the offset after the closing `]`, or −1 when an item is not a plain string or `out` is
 *   too short (then the general path must run; `out` holds nothing meaningful).
 */
export function writeSortedPlainStrings(items: readonly unknown[], out: Uint8Array, at: number): number {
  let sorted = true;
  for (let k = 0; k < items.length; k++) {
    const s = items[k];
    if (typeof s !== 'string') return -1;
    if (k !== 0 && s < (items[k - 1] as string)) sorted = false;
  }
  const list = sorted ? (items as readonly string[]) : (items as string[]).slice().sort();
  let n = at;
  if (n + 2 > out.length) return -1;
  out[n++] = 0x5b;
  for (let k = 0; k < list.length; k++) {
    const s = list[k]!;
    if (n + s.length + 4 > out.length) return -1;
    if (k !== 0) out[n++] = 0x2c;
    out[n++] = 0x22;
    for (let j = 0; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return -1;
      out[n++] = c;
    }
    out[n++] = 0x22;
  }
  out[n++] = 0x5d;
  return n;
}

/**
 * ASCII `text` (every `canonicalJson` output is ASCII) written as bytes into `out` from `at`.
 * @returns the offset after it, or −1 when a character is not ASCII or `out` is too short.
 */
export function writeAscii(text: string, out: Uint8Array, at: number): number {
  if (at + text.length > out.length) return -1;
  for (let j = 0; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c > 0x7f) return -1;
    out[at + j] = c;
  }
  return at + text.length;
}

/**
 * Python `json.dumps(value, sort_keys=…, separators=…, ensure_ascii=…)`.
 *
 * Integers print as integers, non-integral numbers and `PyFloat` as `repr(float)`, `bigint` as an
 * integer. Object keys whose value is `undefined` are skipped (as absent).
 * @throws TypeError for values JSON cannot hold (functions, symbols) — a programmer error.
 */
export function pyDumps(value: PyJson, options: PyDumpsOptions = {}): string {
  const sortKeys = options.sortKeys ?? true;
  const [itemSep, keySep] = options.separators ?? [',', ':'];
  const esc = options.ensureAscii === false ? pyEscapeUnicode : pyEscapeAscii;
  const walk = (v: PyJson): string => {
    switch (typeof v) {
      case 'string':
        return `"${esc(v)}"`;
      case 'number':
        return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
      case 'boolean':
        return v ? 'true' : 'false';
      case 'bigint':
        return v.toString();
      case 'object': {
        if (v === null) return 'null';
        if (v instanceof PyFloat) return pyFloatRepr(v.value);
        if (Array.isArray(v)) {
          if (itemSep === ',' && v.every(isString)) {
            const native = JSON.stringify(v);
            if (PLAIN_ARRAY.test(native)) return native;
          }
          let out = '[';
          for (let i = 0; i < v.length; i++) out += (i ? itemSep : '') + walk(v[i] as PyJson);
          return `${out}]`;
        }
        const obj = v as { readonly [key: string]: PyJson | undefined };
        const keys = Object.keys(obj);
        if (sortKeys) sortPyInPlace(keys);
        let out = '{';
        let first = true;
        for (const k of keys) {
          const item = obj[k];
          if (item === undefined) continue;
          out += `${first ? '' : itemSep}"${esc(k)}"${keySep}${walk(item)}`;
          first = false;
        }
        return `${out}}`;
      }
    }
    throw new TypeError(`pyDumps: cannot serialise ${typeof v}`);
  };
  return walk(value);
}

/**
 * cl-hive's "JSON-canonical" form: `json.dumps(value, sort_keys=True, separators=(',', ':'))`
 * with `ensure_ascii` on (clhive-protocol.md §3.2).
 */
export function canonicalJson(value: PyJson): string {
  return pyDumps(value);
}

/**
 * `json.loads` that keeps Python's int/float distinction: a number written with `.`, `e` or `E`
 * whose value is integral becomes a `PyFloat`, so re-serialising reproduces `1.0`.
 * @param floatSyntax false when the caller's scan found no number written with `.`/`e`/`E`
 *   (wire/json-guard.ts `scanJsonText`): then no PyFloat can arise and the native parser runs
 *   without a per-value reviver (several times faster on a GOSSIP).
 * @throws SyntaxError on malformed JSON (callers in the codec catch it and return a typed error).
 */
export function pyLoads(text: string, floatSyntax = true): unknown {
  if (!floatSyntax) return JSON.parse(text);
  return JSON.parse(text, function (_key, value, context?: { source?: string }) {
    if (typeof value === 'number' && Number.isInteger(value) && context?.source && /[.eE]/.test(context.source)) {
      return new PyFloat(value);
    }
    return value;
  });
}
