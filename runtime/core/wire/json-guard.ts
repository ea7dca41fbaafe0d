/**
 * Structural guards around `JSON.parse` for untrusted envelopes: a linear pre-scan that refuses
 * deep nesting and truncated text before the parser runs, and a walk of the parsed value that
 * refuses huge arrays/objects, unsafe integers, non-finite numbers and `__proto__` keys (which
 * would re-prototype the objects built from them) (issue 2 §2 limits).
 */
import { PyFloat } from '../canonical/python-json.ts';
import { ok, err, type Result } from '../result.ts';
import { type WireError, wireError } from './errors.ts';
import { WIRE_LIMITS } from './limits.ts';

/**
 * Pre-scan JSON text: bracket depth outside strings must stay ≤ `maxDepth`, and the text must not
 * end inside a string or an open bracket.
 * @returns `too_deep` or `short_read` (truncated), else ok.
 */
export function scanJsonText(text: string, maxDepth: number = WIRE_LIMITS.maxJsonDepth): Result<null, WireError> {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return err(wireError('too_deep', `JSON nesting deeper than ${maxDepth}`));
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  if (inString || depth > 0) return err(wireError('short_read', 'envelope JSON is cut off (unclosed string or bracket)'));
  return ok(null);
}

/**
 * Walk a parsed JSON value (as `pyLoads` returns it).
 * @returns `too_many_items` (array > maxArrayItems, object > maxObjectKeys), `unsafe_integer`
 *   (integer literal beyond ±2^53−1), `bad_json` (a number that overflowed to ±Infinity) or
 *   `invalid_field` (a `__proto__` key), with the path.
 */
export function checkJsonValue(value: unknown, path = ''): Result<null, WireError> {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return err(wireError('bad_json', 'number overflows a double', path || undefined));
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      return err(wireError('unsafe_integer', `integer ${value} exceeds Number.MAX_SAFE_INTEGER`, path || undefined));
    }
    return ok(null);
  }
  if (value instanceof PyFloat) {
    if (!Number.isFinite(value.value)) return err(wireError('bad_json', 'number overflows a double', path || undefined));
    return ok(null);
  }
  if (Array.isArray(value)) {
    if (value.length > WIRE_LIMITS.maxArrayItems) {
      return err(wireError('too_many_items', `array of ${value.length} items, limit ${WIRE_LIMITS.maxArrayItems}`, path || undefined));
    }
    for (let i = 0; i < value.length; i++) {
      const r = checkJsonValue(value[i], `${path}[${i}]`);
      if (!r.ok) return r;
    }
    return ok(null);
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length > WIRE_LIMITS.maxObjectKeys) {
      return err(wireError('too_many_items', `object of ${keys.length} keys, limit ${WIRE_LIMITS.maxObjectKeys}`, path || undefined));
    }
    for (const k of keys) {
      if (k === '__proto__') return err(wireError('invalid_field', 'the key __proto__ is not allowed', path ? `${path}.${k}` : k));
      const r = checkJsonValue((value as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
      if (!r.ok) return r;
    }
  }
  return ok(null);
}
