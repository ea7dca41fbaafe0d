/**
 * Seeded fuzz of the codec (issue 2 §2 "nothing throws past the codec"): mutated valid messages
 * of every type and random bytes go through decode, freshness and signature checks; each call
 * returns an outcome, none throws. Deterministic: the seed is fixed, a failure names its case.
 */
import { expect, test } from 'bun:test';
import { toHex } from '../../runtime/core/types.ts';
import { checkFreshness, checkSignatures, decodeHiveHex, decodeHiveMessage, encodeHiveMessage, type Framing } from '../../runtime/core/wire/index.ts';
import { ALL_TYPES, NOW, samplePayload } from './fixtures.ts';

/** mulberry32: a small seeded PRNG, so every run explores the same cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const JSON_TOKENS = ['{', '}', '[', ']', '"', ':', ',', '\\', 'null', 'true', '-1', '1e999', '1.0', '9007199254740993', '"\\ud800"', '\u00e9'];

function mutate(msg: Uint8Array, rnd: () => number): Uint8Array {
  const bytes = [...msg];
  const n = 1 + Math.floor(rnd() * 4);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rnd() * (bytes.length + 1));
    switch (Math.floor(rnd() * 5)) {
      case 0:
        bytes[at] = Math.floor(rnd() * 256);
        break;
      case 1:
        bytes.length = at;
        break;
      case 2:
        bytes.splice(at, 0, ...new TextEncoder().encode(JSON_TOKENS[Math.floor(rnd() * JSON_TOKENS.length)]!));
        break;
      case 3:
        bytes.splice(at, Math.floor(rnd() * 8));
        break;
      default:
        bytes.splice(at, 0, ...Array.from({ length: Math.floor(rnd() * 6) }, () => Math.floor(rnd() * 256)));
    }
  }
  return Uint8Array.from(bytes);
}

test('20,000 mutated and random inputs never throw', () => {
  const rnd = prng(0x48495645);
  const seeds: Uint8Array[] = [];
  for (const framing of ['spec', 'clhive'] as Framing[]) {
    for (const type of ALL_TYPES) {
      const r = encodeHiveMessage(type, samplePayload(type, framing), framing);
      if (r.ok) seeds.push(r.value);
    }
  }
  const kinds = { not_hive: 0, malformed: 0, message: 0 };
  for (let i = 0; i < 20_000; i++) {
    const input =
      i % 10 === 0
        ? Uint8Array.from({ length: Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256))
        : mutate(seeds[Math.floor(rnd() * seeds.length)]!, rnd);
    try {
      const out = i % 2 ? decodeHiveMessage(input) : decodeHiveHex(toHex(input));
      kinds[out.kind]++;
      if (out.kind === 'message') {
        checkFreshness(out.message.type, out.message.payload as { timestamp?: unknown }, NOW);
        checkSignatures(out.message);
      }
    } catch (e) {
      throw new Error(`case ${i} threw on ${toHex(input)}: ${e}`);
    }
  }
  expect(kinds.malformed).toBeGreaterThan(1_000);
  expect(kinds.message).toBeGreaterThan(100);
  expect(kinds.not_hive).toBeGreaterThan(100);
});
