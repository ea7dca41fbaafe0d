/**
 * The fast paths of the Python `json.dumps` emulation (runtime/core/canonical/python-json.ts,
 * issue 19 §3) against a plain reference written from CPython's rules, one code unit at a time:
 * the escapers' native replaces (only `"`/`\` to escape), the native sort when no string holds a
 * surrogate, and the one-`JSON.stringify` path for arrays of plain strings. Random and adversarial
 * input: non-ASCII, astral characters, lone surrogates, control characters, DEL, quotes and
 * backslashes, floats and PyFloat, bigints, nested objects, hex strings as a GOSSIP topology holds.
 */
import { expect, test } from 'bun:test';
import fc from 'fast-check';
import {
  canonicalJson,
  comparePyStrings,
  PyFloat,
  pyDumps,
  pyEscapeAscii,
  pyEscapeUnicode,
  pyFloatRepr,
  type PyJson,
  pySorted,
} from '../../runtime/core/canonical/python-json.ts';
import { lightningSignedText } from '../../runtime/core/canonical/signed-text.ts';

const SHORT: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x08: '\\b', 0x0c: '\\f' };

/** CPython `py_encode_basestring(_ascii)` body, code unit by code unit. */
function refEscape(s: string, ensureAscii: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (SHORT[c] !== undefined) out += SHORT[c];
    else if (c < 0x20 || (ensureAscii && c > 0x7e)) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += s[i];
  }
  return out;
}

/** Python string order: by code point, a lone surrogate being its own code point. */
function refCompare(a: string, b: string): number {
  const x = Array.from(a, (ch) => ch.codePointAt(0)!);
  const y = Array.from(b, (ch) => ch.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** `json.dumps(v, sort_keys=True, separators=(sep, ':'), ensure_ascii=…)`, walking the value naively. */
function refDumps(v: PyJson, ensureAscii = true, sep = ','): string {
  const walk = (x: PyJson): string => {
    if (x === null) return 'null';
    if (typeof x === 'boolean') return x ? 'true' : 'false';
    if (typeof x === 'bigint') return x.toString();
    if (typeof x === 'number') return Number.isInteger(x) ? String(x) : pyFloatRepr(x);
    if (typeof x === 'string') return `"${refEscape(x, ensureAscii)}"`;
    if (x instanceof PyFloat) return pyFloatRepr(x.value);
    if (Array.isArray(x)) return `[${x.map((i: PyJson) => walk(i)).join(sep)}]`;
    const o = x as { readonly [k: string]: PyJson | undefined };
    const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort(refCompare);
    return `{${keys.map((k) => `"${refEscape(k, ensureAscii)}":${walk(o[k]!)}`).join(sep)}}`;
  };
  return walk(v);
}

/** One UTF-16 code unit, weighted towards the characters that need care. */
const unit = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('a', '0', 'f', ' ', '~', ':', ',') },
  { weight: 2, arbitrary: fc.constantFrom('"', '\\', '\n', '\r', '\t', '\b', '\f', '\u0000', '\u001f', '\u007f', '\u0080', 'é', '\u2028', '\uffff') },
  { weight: 1, arbitrary: fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', '\ud83d\ude00', '\u{10ffff}') },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
);
const text = fc.string({ unit, maxLength: 24 });
const hex = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 66, maxLength: 66 });
/** Mostly plain strings (the native-stringify path), sometimes one that is not. */
const stringArray = fc.oneof(fc.array(hex, { maxLength: 40 }), fc.array(fc.oneof({ weight: 9, arbitrary: hex }, { weight: 1, arbitrary: text }), { maxLength: 40 }));

const scalar: fc.Arbitrary<PyJson> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.constantFrom(0, -0, 1e16, 2 ** 53 - 1, -(2 ** 53) + 1, 0.1, 1e-7, 1.5e300, 5e-324, -2.5),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => new PyFloat(x)),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
  text,
);
const { value } = fc.letrec<{ value: PyJson }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    stringArray,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(text, tie('value'), { maxKeys: 6 }),
  ),
}));

test('the escapers equal the code-unit reference in both modes; signed text is the unicode one', () => {
  fc.assert(
    fc.property(fc.oneof(text, fc.string({ unit, maxLength: 300 })), (s) => {
      expect(pyEscapeAscii(s)).toBe(refEscape(s, true));
      expect(pyEscapeUnicode(s)).toBe(refEscape(s, false));
      expect(lightningSignedText(s)).toBe(refEscape(s, false));
    }),
    { numRuns: 5_000, seed: 19 },
  );
});

test('canonical strings of canonical strings take the one-replace path and still match', () => {
  fc.assert(
    fc.property(value, (v) => {
      const s = canonicalJson(v);
      expect(pyEscapeUnicode(s)).toBe(refEscape(s, false));
      expect(pyEscapeAscii(s)).toBe(refEscape(s, true));
    }),
    { numRuns: 1_000, seed: 20 },
  );
});

test('pySorted and key order equal code point order, with and without surrogates', () => {
  fc.assert(
    fc.property(fc.oneof(fc.array(hex, { maxLength: 60 }), fc.array(text, { maxLength: 30 })), (xs) => {
      const want = [...xs].sort(refCompare);
      expect(pySorted(xs)).toEqual(want);
      expect([...xs].sort(comparePyStrings)).toEqual(want);
    }),
    { numRuns: 3_000, seed: 21 },
  );
});

test('canonicalJson and pyDumps (every option) equal the naive walk on random values', () => {
  fc.assert(
    fc.property(value, (v) => {
      expect(canonicalJson(v)).toBe(refDumps(v));
      expect(pyDumps(v, { ensureAscii: false })).toBe(refDumps(v, false));
      expect(pyDumps(v, { separators: [', ', ':'] })).toBe(refDumps(v, true, ', '));
    }),
    { numRuns: 3_000, seed: 22 },
  );
});

test('arrays of plain strings (a GOSSIP topology) and of strings that are not plain print as the reference', () => {
  fc.assert(
    fc.property(stringArray, (xs) => {
      expect(canonicalJson(xs)).toBe(refDumps(xs));
      expect(canonicalJson({ topology: pySorted(xs), capacity_sats: 1 })).toBe(refDumps({ topology: [...xs].sort(refCompare), capacity_sats: 1 }));
    }),
    { numRuns: 3_000, seed: 23 },
  );
});
