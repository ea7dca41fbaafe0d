/**
 * Python formatting rules cl-hive's signing strings depend on, beyond `json.dumps`
 * (clhive-protocol.md §3.3): f-string rendering of scalars (`str(x)`), `sorted()` of strings by
 * code point, and `hashlib.sha256(s.encode()).hexdigest()`.
 */
import { sha256Utf8 } from '../../crypto/sha256.ts';
import { type PyJson, PyFloat, pyFloatRepr } from '../../canonical/python-json.ts';
import { toHex } from '../../types.ts';

/**
 * Python `str(x)` of a JSON scalar inside an f-string: ints as digits, floats as `repr(float)`
 * (`1.0`), booleans `True`/`False`, null `None`, strings verbatim. Missing (`undefined`) renders
 * as the given default, like `payload.get(k, default)`.
 */
export function pyStr(value: PyJson | undefined, missing = ''): string {
  if (value === undefined) return missing;
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pyFloatRepr(value);
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  throw new TypeError('pyStr: only scalars appear in signing strings');
}

/** UTF-16 surrogates: only strings containing one can order differently by code unit and by code point. */
const SURROGATE = /[\ud800-\udfff]/;

/** Python `a < b` for strings: code point order (JS `<` compares UTF-16 code units). */
export function comparePyStrings(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = [...a];
  const y = [...b];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Python `sorted(strings)` (without surrogates, code unit order is code point order: the native sort). */
export function pySorted(strings: readonly string[]): string[] {
  const copy = [...strings];
  return copy.some((s) => SURROGATE.test(s)) ? copy.sort(comparePyStrings) : copy.sort();
}

/** `hashlib.sha256(text.encode('utf-8')).hexdigest()`. */
export function sha256Hex(text: string): string {
  return toHex(sha256Utf8(text));
}
