/**
 * Benchmark harness: every figure is printed as one JSON object per line,
 * `{"name", "value", "unit", "runs"}`, value = median of the runs, so figures compare across commits.
 */

/** One printed figure. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  runs: number;
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Print one figure as a JSON line and return it. */
export function report(name: string, value: number, unit: string, runs: number): Figure {
  const fig = { name, value: Number(value.toPrecision(6)), unit, runs };
  console.log(JSON.stringify(fig));
  return fig;
}

/**
 * Throughput of `fn`: runs it `iterations` times per run, `runs` runs, and reports the median ops/s.
 */
export async function opsPerSecond(name: string, iterations: number, fn: (i: number) => unknown, runs = 5): Promise<Figure> {
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = Bun.nanoseconds();
    for (let i = 0; i < iterations; i++) await fn(i);
    rates.push(iterations / ((Bun.nanoseconds() - t0) / 1e9));
  }
  return report(name, median(rates), 'ops/s', runs);
}

/** Median wall time of `fn` in milliseconds over `runs` runs. */
export async function durationMs(name: string, fn: () => unknown, runs = 5): Promise<Figure> {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = Bun.nanoseconds();
    await fn();
    times.push((Bun.nanoseconds() - t0) / 1e6);
  }
  return report(name, median(times), 'ms', runs);
}
