/**
 * Python formatting rules cl-hive's signing strings depend on, beyond `json.dumps`
 * (clhive-protocol.md §3.3): f-string rendering of scalars (`str(x)`) and
 * `hashlib.sha256(s.encode()).hexdigest()`. `sorted()` of strings by code point is `pySorted` in
 * canonical/python-json.ts, beside the key order of `json.dumps(sort_keys=True)`.
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

/** `hashlib.sha256(text.encode('utf-8')).hexdigest()`. */
export function sha256Hex(text: string): string {
  return toHex(sha256Utf8(text));
}
