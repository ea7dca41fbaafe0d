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

/** What the pre-scan learnt about well-bracketed JSON text. */
export interface JsonScan {
  /**
   * A number outside strings is written with `.`, `e` or `E`: only then can the text hold a
   * Python float, so only then must `pyLoads` look at number sources (native `JSON.parse` otherwise).
   */
  readonly floatSyntax: boolean;
}

/**
 * Pre-scan JSON text: bracket depth outside strings must stay ≤ `maxDepth`, and the text must not
 * end inside a string or an open bracket. Outside strings the only letters are those of `true`,
 * `false`, `null` and exponents, so `.`, `E`, or `e` right after a digit marks float syntax.
 * @returns `too_deep` or `short_read` (truncated), else the scan.
 */
export function scanJsonText(text: string, maxDepth: number = WIRE_LIMITS.maxJsonDepth): Result<JsonScan, WireError> {
  let depth = 0;
  let floatSyntax = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = stringEnd(text, i);
      if (i < 0) return err(wireError('short_read', 'envelope JSON is cut off (unclosed string or bracket)'));
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return err(wireError('too_deep', `JSON nesting deeper than ${maxDepth}`));
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x2e || c === 0x45 || (c === 0x65 && i > 0 && isDigit(text.charCodeAt(i - 1)))) floatSyntax = true;
  }
  if (depth > 0) return err(wireError('short_read', 'envelope JSON is cut off (unclosed string or bracket)'));
  return ok({ floatSyntax });
}

/** Index of the quote closing the string opened at `open` (one not preceded by an odd run of `\\`), or −1. */
function stringEnd(text: string, open: number): number {
  let q = text.indexOf('"', open + 1);
  while (q !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return q;
    q = text.indexOf('"', q + 1);
  }
  return -1;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** A JSON path kept as its parts while walking; the text is built only for an error. */
type PathParts = (string | number)[];

function pathText(parts: PathParts): string | undefined {
  let out = '';
  for (const p of parts) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out || undefined;
}

/**
 * Walk a parsed JSON value (as `pyLoads` returns it). Nothing is allocated on the success path
 * beyond the key lists (the hot path of every inbound message, issue 19 §3).
 * @returns `too_many_items` (array > maxArrayItems, object > maxObjectKeys), `unsafe_integer`
 *   (integer literal beyond ±2^53−1), `bad_json` (a number that overflowed to ±Infinity) or
 *   `invalid_field` (a `__proto__` key), with the path.
 */
export function checkJsonValue(value: unknown): Result<null, WireError> {
  const error = walk(value, []);
  return error === null ? ok(null) : err(error);
}

function walk(value: unknown, path: PathParts): WireError | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return wireError('bad_json', 'number overflows a double', pathText(path));
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      return wireError('unsafe_integer', `integer ${value} exceeds Number.MAX_SAFE_INTEGER`, pathText(path));
    }
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  if (value instanceof PyFloat) {
    return Number.isFinite(value.value) ? null : wireError('bad_json', 'number overflows a double', pathText(path));
  }
  if (Array.isArray(value)) {
    if (value.length > WIRE_LIMITS.maxArrayItems) {
      return wireError('too_many_items', `array of ${value.length} items, limit ${WIRE_LIMITS.maxArrayItems}`, pathText(path));
    }
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (typeof item === 'string') continue;
      path.push(i);
      const e = walk(item, path);
      if (e !== null) return e;
      path.pop();
    }
    return null;
  }
  const keys = Object.keys(value);
  if (keys.length > WIRE_LIMITS.maxObjectKeys) {
    return wireError('too_many_items', `object of ${keys.length} keys, limit ${WIRE_LIMITS.maxObjectKeys}`, pathText(path));
  }
  for (const k of keys) {
    path.push(k);
    if (k === '__proto__') return wireError('invalid_field', 'the key __proto__ is not allowed', pathText(path));
    const e = walk((value as Record<string, unknown>)[k], path);
    if (e !== null) return e;
    path.pop();
  }
  return null;
}
