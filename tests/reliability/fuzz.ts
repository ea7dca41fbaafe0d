/**
 * `bun run fuzz [--inputs N] [--seed S]`: mutation fuzzing of every decoder in fuzz-targets.ts with
 * fast-check (seeded, reproducible; a failing input is shrunk and printed with the seed). Inputs are
 * the targets' valid seeds under up to 6 mutations (bit flips, byte sets, inserted bytes or JSON/TOML
 * tokens, deletions, truncation) or plain random bytes. Prints one JSON line per target
 * (`{"target","inputs","accepted","refused","escaped","inputs_per_s"}`) and a total; exits 1 on any
 * escaped exception. Default 1,000,000 inputs over all targets by weight; CI runs a short pass
 * (tests/reliability/fuzz.test.ts).
 */
import fc from 'fast-check';
import { fuzzTargets, type FuzzTarget } from './fuzz-targets.ts';

/** The figures of one target. */
export interface FuzzFigures {
  readonly target: string;
  readonly inputs: number;
  readonly accepted: number;
  readonly refused: number;
  /** Exceptions that escaped the decoder (0 expected); the first one's counterexample is in `failure`. */
  readonly escaped: number;
  readonly inputs_per_s: number;
  readonly failure?: string;
}

const enc = new TextEncoder();
/** Tokens that break parsers: JSON/TOML structure, prototype names, odd numbers, escapes, control bytes. */
const TOKENS = ['{', '}', '[', ']', '"', ',', ':', '=', '\n', '\\u0000', '\\', '__proto__', 'constructor', '1e309', '-0', '9007199254740993', 'null', 'true', '[[', ']]', '.', '0x', '"""', "'''", '\u0000', '\uffff', '\ud800']
  .map((t) => enc.encode(t));

type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'set'; readonly at: number; readonly byte: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'delete'; readonly at: number; readonly len: number }
  | { readonly kind: 'truncate'; readonly at: number };

const at = fc.nat({ max: 1 << 16 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at, bit: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at, byte: fc.nat({ max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at, bytes: fc.oneof(fc.uint8Array({ maxLength: 8 }), fc.constantFrom(...TOKENS)) }),
  fc.record({ kind: fc.constant('delete' as const), at, len: fc.integer({ min: 1, max: 32 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at }),
);

function apply(seed: Uint8Array, ms: readonly Mutation[]): Uint8Array {
  let b = seed;
  for (const m of ms) {
    const i = b.length === 0 ? 0 : m.at % (b.length + (m.kind === 'insert' ? 1 : 0));
    if (m.kind === 'flip' && b.length > 0) (b = b.slice())[i]! ^= 1 << m.bit;
    else if (m.kind === 'set' && b.length > 0) (b = b.slice())[i] = m.byte;
    else if (m.kind === 'insert') b = Uint8Array.from([...b.subarray(0, i), ...m.bytes, ...b.subarray(i)]);
    else if (m.kind === 'delete') b = Uint8Array.from([...b.subarray(0, i), ...b.subarray(i + m.len)]);
    else if (m.kind === 'truncate') b = b.subarray(0, i);
  }
  return b;
}

function inputs(t: FuzzTarget): fc.Arbitrary<Uint8Array> {
  const random = fc.uint8Array({ maxLength: 512 });
  if (t.seeds.length === 0) return random;
  const mutated = fc.tuple(fc.constantFrom(...t.seeds), fc.array(mutation, { minLength: 1, maxLength: 6 })).map(([s, ms]) => apply(s, ms));
  return fc.oneof({ weight: 8, arbitrary: mutated }, { weight: 1, arbitrary: fc.constantFrom(...t.seeds) }, { weight: 1, arbitrary: random });
}

/** Fuzz one target with `runs` inputs from `seed`. */
export function fuzzTarget(t: FuzzTarget, runs: number, seed: number): FuzzFigures {
  let accepted = 0;
  let refused = 0;
  let escaped = 0;
  const t0 = performance.now();
  const r = fc.check(
    fc.property(inputs(t), (input) => {
      let ok: boolean;
      try {
        ok = t.run(input);
      } catch (e) {
        escaped++;
        throw e;
      }
      if (ok) accepted++;
      else refused++;
    }),
    { numRuns: runs, seed, endOnFailure: true },
  );
  const s = (performance.now() - t0) / 1000;
  const failure = r.failed ? `${String(r.errorInstance)} on ${JSON.stringify(Buffer.from(r.counterexample![0] as Uint8Array).toString('hex').slice(0, 400))} (seed ${seed})` : undefined;
  return { target: t.name, inputs: accepted + refused + escaped, accepted, refused, escaped, inputs_per_s: Math.round((accepted + refused) / s), ...(failure ? { failure } : {}) };
}

/** Fuzz every target, `total` inputs shared by weight. */
export function fuzzAll(total: number, seed: number, print: (f: FuzzFigures) => void = () => {}): FuzzFigures[] {
  const { targets, close } = fuzzTargets();
  try {
    const weights = targets.reduce((a, t) => a + (t.weight ?? 1), 0);
    return targets.map((t, i) => {
      const f = fuzzTarget(t, Math.ceil((total * (t.weight ?? 1)) / weights), seed + i);
      print(f);
      return f;
    });
  } finally {
    close();
  }
}

if (import.meta.main) {
  const arg = (name: string, dflt: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : dflt;
  };
  const total = arg('--inputs', 1_000_000);
  const seed = arg('--seed', 20_261_206);
  const t0 = performance.now();
  const figures = fuzzAll(total, seed, (f) => console.log(JSON.stringify(f)));
  const sum = (k: 'inputs' | 'accepted' | 'refused' | 'escaped') => figures.reduce((a, f) => a + f[k], 0);
  console.log(JSON.stringify({ total: { targets: figures.length, inputs: sum('inputs'), accepted: sum('accepted'), refused: sum('refused'), escaped: sum('escaped'), seconds: Math.round((performance.now() - t0) / 1000), seed } }));
  process.exit(sum('escaped') === 0 ? 0 : 1);
}
