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

function hex4(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

function escapeString(s: string, keepRaw: (code: number) => boolean): string {
  if (PLAIN.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (keepRaw(code)) out += ch;
    else out += hex4(code);
  }
  return out;
}

/**
 * Python `json.dumps(s)` string body with `ensure_ascii=True`, without the quotes: every code unit
 * outside 0x20–0x7E is `\uXXXX` (lowercase hex; astral characters as UTF-16 surrogate pairs).
 */
export function pyEscapeAscii(s: string): string {
  return escapeString(s, (code) => code >= 0x20 && code <= 0x7e);
}

/**
 * Python `json.dumps(s, ensure_ascii=False)` string body without the quotes: only `"`, `\` and
 * control characters below 0x20 are escaped; everything else (non-ASCII, DEL) stays raw.
 */
export function pyEscapeUnicode(s: string): string {
  return escapeString(s, (code) => code >= 0x20);
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

function compareCodePoints(a: string, b: string): number {
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
    if (v === null) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'string') return `"${esc(v)}"`;
    if (v instanceof PyFloat) return pyFloatRepr(v.value);
    if (Array.isArray(v)) return `[${(v as readonly PyJson[]).map(walk).join(itemSep)}]`;
    if (typeof v === 'object') {
      const obj = v as { readonly [key: string]: PyJson | undefined };
      let keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
      if (sortKeys) keys = keys.sort(compareCodePoints);
      return `{${keys.map((k) => `"${esc(k)}"${keySep}${walk(obj[k] as PyJson)}`).join(itemSep)}}`;
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
