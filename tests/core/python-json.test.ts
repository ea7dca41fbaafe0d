/**
 * Python `json.dumps` emulation (clhive-protocol.md §3.3): hand-checked against CPython 3.11 output.
 */
import { describe, expect, test } from 'bun:test';
import { canonicalJson, PyFloat, pyDumps, pyFloatRepr, pyLoads } from '../../runtime/core/canonical/python-json.ts';
import { lightningSignedText } from '../../runtime/core/canonical/signed-text.ts';

describe('pyFloatRepr matches CPython repr(float)', () => {
  const cases: [number, string][] = [
    [1, '1.0'], [0.5, '0.5'], [0.1, '0.1'], [1e-7, '1e-07'], [1e-5, '1e-05'], [0.0001, '0.0001'],
    [1e16, '1e+16'], [1.5e16, '1.5e+16'], [1234567890123456, '1234567890123456.0'], [123.456, '123.456'],
    [-2.5, '-2.5'], [0, '0.0'], [-0, '-0.0'], [1e300, '1e+300'], [5e-324, '5e-324'], [0.30000000000000004, '0.30000000000000004'],
  ];
  for (const [x, want] of cases) test(`${want}`, () => expect(pyFloatRepr(x)).toBe(want));
});

describe('pyDumps', () => {
  test('sort_keys by code point, compact separators, ensure_ascii', () => {
    expect(canonicalJson({ b: 1, a: 'é', C: [true, null, 0.5] })).toBe('{"C":[true,null,0.5],"a":"\\u00e9","b":1}');
  });
  test('astral characters become lowercase surrogate pairs', () => {
    expect(canonicalJson('😀')).toBe('"\\ud83d\\ude00"');
  });
  test('control characters, quotes, backslashes and DEL', () => {
    expect(canonicalJson('a"b\\c\n\t\u0001\u007f')).toBe('"a\\"b\\\\c\\n\\t\\u0001\\u007f"');
  });
  test('default separators for MCF hashes', () => {
    expect(pyDumps({ b: [1, 2], a: 1 }, { separators: [', ', ': '] })).toBe('{"a": 1, "b": [1, 2]}');
  });
  test('PyFloat keeps 1.0 and pyLoads round-trips it', () => {
    expect(canonicalJson({ x: new PyFloat(1) })).toBe('{"x":1.0}');
    expect(canonicalJson(pyLoads('{"x":1.0,"y":1,"z":2.5}') as never)).toBe('{"x":1.0,"y":1,"z":2.5}');
  });
  test('key order: uppercase before lowercase, astral after BMP', () => {
    expect(canonicalJson({ '\u{1F600}': 1, '\uffff': 2, Z: 3, a: 4 })).toBe('{"Z":3,"a":4,"\\uffff":2,"\\ud83d\\ude00":1}');
  });
});

describe('lightningSignedText = json.dumps(S, ensure_ascii=False)[1:-1]', () => {
  test('quotes and backslashes are escaped', () => {
    expect(lightningSignedText('{"a":"x\\\\y"}')).toBe('{\\"a\\":\\"x\\\\\\\\y\\"}');
  });
  test('newline and other control characters', () => {
    expect(lightningSignedText('a\nb\u0002c\td')).toBe('a\\nb\\u0002c\\td');
  });
  test('non-ASCII stays raw UTF-8', () => {
    expect(lightningSignedText('hive:leave:02ab:1:ça va 😀')).toBe('hive:leave:02ab:1:ça va 😀');
  });
  test('colon strings without specials are unchanged', () => {
    expect(lightningSignedText('hive:ban_vote:ab12:approve:1700000000')).toBe('hive:ban_vote:ab12:approve:1700000000');
  });
});
