/**
 * CI's short seeded pass of `bun run fuzz` (tests/reliability/fuzz.ts): every decoder takes its share
 * of 6,000 mutated inputs without an escaped exception, every seed is a valid input (so the mutations
 * start from real messages, not from noise), and the same seed gives the same figures.
 */
import { expect, test } from 'bun:test';
import { fuzzTargets } from './fuzz-targets.ts';
import { fuzzAll } from './fuzz.ts';

test('every seed of every decoder is accepted', () => {
  const { targets, close } = fuzzTargets();
  try {
    for (const t of targets) {
      expect({ target: t.name, seeds: t.seeds.length > 0 }).toEqual({ target: t.name, seeds: true });
      for (const s of t.seeds) expect({ target: t.name, accepted: t.run(s) }).toEqual({ target: t.name, accepted: true });
    }
  } finally {
    close();
  }
});

test('6,000 seeded inputs over every decoder: no escaped exception, reproducible', () => {
  const first = fuzzAll(6_000, 15);
  for (const f of first) expect({ target: f.target, escaped: f.escaped, failure: f.failure }).toEqual({ target: f.target, escaped: 0, failure: undefined });
  expect(first.reduce((a, f) => a + f.inputs, 0)).toBeGreaterThanOrEqual(6_000);
  expect(first.every((f) => f.accepted > 0 && f.refused > 0)).toBe(true);
  const again = fuzzAll(600, 15).map((f) => [f.target, f.accepted, f.refused]);
  expect(fuzzAll(600, 15).map((f) => [f.target, f.accepted, f.refused])).toEqual(again);
});
