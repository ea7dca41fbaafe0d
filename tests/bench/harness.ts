/**
 * Benchmark harness: every figure is printed as one JSON object per line,
 * `{"name", "value", "unit", "runs"}`, value = median of the runs, so figures compare across commits.
 * A figure with a target (issue 19 §6) also prints `target` and `met`, and, when the bench measured
 * the previous default in the same run, `previous` (its name) and `vs_previous` (value ÷ its value).
 * Throughput figures also print `per_cpu_s`: operations per second of this process's CPU time, which
 * stays comparable when other processes share the cores (`met_cpu` judges it against the target).
 */

/** One printed figure. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  runs: number;
  per_cpu_s?: number;
}

/** A figure's target: `>=` for throughput, `<=`/`<` for time, size and memory. */
export interface Target {
  readonly op: '>=' | '<=' | '<';
  readonly value: number;
}

/** What a figure is judged against. */
export interface Judge {
  readonly target?: Target;
  /** The same measurement of the previous default, taken in this run. */
  readonly previous?: Figure;
  /** Least `vs_previous` wanted (e.g. 8 for "≥ 8× the previous default"); printed as `met_vs_previous`. */
  readonly minVsPrevious?: number;
}

function meets(value: number, t: Target): boolean {
  return t.op === '>=' ? value >= t.value : t.op === '<=' ? value <= t.value : value < t.value;
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const round = (x: number): number => Number(x.toPrecision(6));

/** Print one figure as a JSON line (with its target and ratio to the previous default, when given) and return it. */
export function report(name: string, value: number, unit: string, runs: number, judge: Judge = {}, perCpuS?: number): Figure {
  const fig: Figure = { name, value: round(value), unit, runs, ...(perCpuS === undefined ? {} : { per_cpu_s: round(perCpuS) }) };
  const line: Record<string, unknown> = { ...fig };
  if (judge.target) {
    line.target = `${judge.target.op} ${judge.target.value}`;
    line.met = meets(value, judge.target);
    if (perCpuS !== undefined) line.met_cpu = meets(perCpuS, judge.target);
  }
  if (judge.previous) {
    line.previous = judge.previous.name;
    line.vs_previous = round(value / judge.previous.value);
    if (judge.minVsPrevious !== undefined) {
      line.target_vs_previous = `>= ${judge.minVsPrevious}`;
      line.met_vs_previous = value / judge.previous.value >= judge.minVsPrevious;
    }
  }
  console.log(JSON.stringify(line));
  return fig;
}

/**
 * Throughput of `fn`: runs it `iterations` times per run, `runs` runs, and reports the median ops/s.
 */
export async function opsPerSecond(name: string, iterations: number, fn: (i: number) => unknown, runs = 5, judge: Judge = {}): Promise<Figure> {
  const rates: number[] = [];
  const cpuRates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const cpu0 = process.cpuUsage();
    const t0 = Bun.nanoseconds();
    for (let i = 0; i < iterations; i++) await fn(i);
    rates.push(iterations / ((Bun.nanoseconds() - t0) / 1e9));
    const cpu = process.cpuUsage(cpu0);
    cpuRates.push(iterations / ((cpu.user + cpu.system) / 1e6));
  }
  return report(name, median(rates), 'ops/s', runs, judge, median(cpuRates));
}

/**
 * Like `opsPerSecond` for synchronous work: no `await` per call (it would add a microtask hop to
 * every operation of a fast loop).
 */
export function opsPerSecondSync(name: string, iterations: number, fn: (i: number) => unknown, runs = 5, judge: Judge = {}): Figure {
  const rates: number[] = [];
  const cpuRates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const cpu0 = process.cpuUsage();
    const t0 = Bun.nanoseconds();
    for (let i = 0; i < iterations; i++) fn(i);
    rates.push(iterations / ((Bun.nanoseconds() - t0) / 1e9));
    const cpu = process.cpuUsage(cpu0);
    cpuRates.push(iterations / ((cpu.user + cpu.system) / 1e6));
  }
  return report(name, median(rates), 'ops/s', runs, judge, median(cpuRates));
}

/** Median wall time of `fn` in milliseconds over `runs` runs. */
export async function durationMs(name: string, fn: () => unknown, runs = 5, judge: Judge = {}): Promise<Figure> {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = Bun.nanoseconds();
    await fn();
    times.push((Bun.nanoseconds() - t0) / 1e6);
  }
  return report(name, median(times), 'ms', runs, judge);
}

/**
 * `[daemon]` keys that lift the non-member inbound budgets (issue 15; defaults 10 msgs/s per peer):
 * for benches whose peers are no fleet members and whose lines time a message path, not the budget.
 */
export const NONMEMBER_BUDGET_LIFTED = {
  inbound_nonmember_msgs_per_s: 100_000,
  inbound_nonmember_total_msgs_per_s: 100_000,
  inbound_nonmember_bytes_per_s: 1_000_000_000,
} as const;
