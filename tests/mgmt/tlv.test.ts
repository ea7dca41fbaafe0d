/**
 * BigSize and TLV stream rules against BOLT 1's test vectors (Appendix A "BigSize Test Vectors",
 * "TLV Decoding Failures"/"Successes" for a namespace that knows no types).
 */
import { describe, expect, test } from 'bun:test';
import { decodeBigSize, decodeTlvStream, encodeBigSize, encodeTlvStream } from '../../runtime/core/mgmt/tlv.ts';
import { fromHex, toHex } from '../../runtime/core/types.ts';

const hex = (h: string) => fromHex(h.replace(/\s/g, ''))!;

describe('BigSize (BOLT 1 Appendix A)', () => {
  const good: [bigint, string][] = [
    [0n, '00'],
    [252n, 'fc'],
    [253n, 'fd00fd'],
    [65535n, 'fdffff'],
    [65536n, 'fe00010000'],
    [4294967295n, 'feffffffff'],
    [4294967296n, 'ff0000000100000000'],
    [18446744073709551615n, 'ffffffffffffffffff'],
  ];
  for (const [n, h] of good) {
    test(`${n} ↔ ${h}`, () => {
      expect(toHex(encodeBigSize(n))).toBe(h);
      const d = decodeBigSize(hex(h), 0);
      expect(d.ok && d.value.value).toBe(n);
    });
  }
  const bad: [string, string][] = [
    ['fd00fc', 'non_minimal_bigsize'],
    ['fe0000ffff', 'non_minimal_bigsize'],
    ['ff00000000ffffffff', 'non_minimal_bigsize'],
    ['fd00', 'short_read'],
    ['feffff', 'short_read'],
    ['ffffffffff', 'short_read'],
    ['', 'short_read'],
    ['fd', 'short_read'],
  ];
  for (const [h, kind] of bad) {
    test(`rejects ${h || '(empty)'} as ${kind}`, () => {
      const d = decodeBigSize(hex(h), 0);
      expect(!d.ok && (d.error.kind as string)).toBe(kind);
    });
  }
});

describe('TLV streams (BOLT 1 decoding vectors, empty namespace)', () => {
  const none = new Set<bigint>();
  const failures: [string, string][] = [
    ['fd', 'short_read'],
    ['fd01', 'short_read'],
    ['fd0001 00', 'non_minimal_bigsize'],
    ['fd0101', 'short_read'],
    ['0f fd', 'short_read'],
    ['0f fd26', 'short_read'],
    ['0f fd2602', 'length_too_large'],
    ['0f fd0001 00', 'non_minimal_bigsize'],
    ['0f fd0201 000000000000000000000000000000000000000000000000000000000000000000', 'length_too_large'],
    ['12 00', 'unknown_even_type'],
    ['fd0102 00', 'unknown_even_type'],
    ['fe01000002 00', 'unknown_even_type'],
    ['ff0100000000000002 00', 'unknown_even_type'],
    ['21 00 21 00', 'types_not_increasing'],
    ['23 00 21 00', 'types_not_increasing'],
  ];
  for (const [h, kind] of failures) {
    test(`fails ${h} with ${kind}`, () => {
      const d = decodeTlvStream(hex(h), none);
      expect(!d.ok && (d.error.kind as string)).toBe(kind);
    });
  }
  const successes = ['', '21 00', 'fd0201 00', 'fd00fd 00', 'fd00ff 00', 'fe02000001 00', 'ff0200000000000001 00'];
  for (const h of successes) {
    test(`ignores unknown odd records in ${h || '(empty)'}`, () => {
      const d = decodeTlvStream(hex(h), none);
      expect(d.ok && d.value).toEqual([]);
    });
  }

  test('round-trips known records and refuses to write unordered ones', () => {
    const records = [
      { type: 1n, value: Uint8Array.of(1, 2) },
      { type: 6n, value: new Uint8Array(300) },
    ];
    const d = decodeTlvStream(encodeTlvStream(records), new Set([1n, 6n]));
    expect(d.ok && d.value).toEqual(records);
    expect(() => encodeTlvStream([...records].reverse())).toThrow(RangeError);
  });
});
