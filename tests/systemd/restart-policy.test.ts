/**
 * Restart policy (runtime/core/health/restart-policy.ts) with an injected clock: backoff doubles
 * to the cap, the budget per window is enforced with a single give-up, recovery resets it.
 */
import { expect, test } from 'bun:test';
import { backoffSeconds, INITIAL_RESTART_STATE, refundRestart, type RestartEffect, type RestartPolicy, type RestartState, stepRestart } from '../../runtime/core/health/restart-policy.ts';

const P: RestartPolicy = { base_backoff_s: 2, max_backoff_s: 16, budget: 3, window_s: 100 };

/** Observe `up` at each of `times`; collect effects with their time. */
function observe(times: number[], up: boolean, start: RestartState = INITIAL_RESTART_STATE) {
  let s = start;
  const out: [number, RestartEffect][] = [];
  for (const t of times) {
    const r = stepRestart(P, s, { up }, t);
    s = r.state;
    for (const e of r.effects) out.push([t, e]);
  }
  return { state: s, effects: out };
}
const everySecond = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('backoff doubles from the base and is capped', () => {
  expect([0, 1, 2, 3, 4, 10].map((n) => backoffSeconds(P, n))).toEqual([2, 4, 8, 16, 16, 16]);
});

test('down every second: restarts at +2, +6 (4 later), +14 (8 later), then gives up once', () => {
  const { effects, state } = observe(everySecond(0, 60), false);
  expect(effects).toEqual([
    [2, { kind: 'restart', attempt: 1, restarts_in_window: 1 }],
    [6, { kind: 'restart', attempt: 2, restarts_in_window: 2 }],
    [14, { kind: 'restart', attempt: 3, restarts_in_window: 3 }],
    [30, { kind: 'gave_up', restarts_in_window: 3, window_s: 100 }],
  ]);
  expect(state.gave_up).toBe(true);
});

test('after giving up nothing more happens until it is seen up; then the budget is fresh once the window passed', () => {
  const gaveUp = observe(everySecond(0, 60), false).state;
  expect(observe(everySecond(61, 200), false, gaveUp).effects).toEqual([]);
  const recovered = observe([201], true, gaveUp).state;
  expect(recovered).toEqual({ restarts: [], consecutive: 0, next_at: null, gave_up: false });
  expect(observe([202, 204], false, recovered).effects).toEqual([[204, { kind: 'restart', attempt: 1, restarts_in_window: 1 }]]);
});

test('flapping inside the window still hits the budget (up resets backoff, not the window)', () => {
  let s = INITIAL_RESTART_STATE;
  const kinds: string[] = [];
  for (let cycle = 0; cycle < 4; cycle++) {
    const t = cycle * 10;
    for (const [now, up] of [[t, false], [t + 2, false], [t + 3, true]] as const) {
      const r = stepRestart(P, s, { up }, now);
      s = r.state;
      kinds.push(...r.effects.map((e) => e.kind));
    }
  }
  expect(kinds).toEqual(['restart', 'restart', 'restart', 'gave_up']);
});

test('restarts older than the window no longer count', () => {
  let s = INITIAL_RESTART_STATE;
  const kinds: string[] = [];
  for (let cycle = 0; cycle < 6; cycle++) {
    const t = cycle * 60; // only two restarts ever fall inside one 100 s window
    for (const [now, up] of [[t, false], [t + 2, false], [t + 3, true]] as const) {
      const r = stepRestart(P, s, { up }, now);
      s = r.state;
      kinds.push(...r.effects.map((e) => e.kind));
    }
  }
  expect(kinds).toEqual(Array(6).fill('restart'));
});

test('blocked (host down) issues and counts nothing; a refunded restart leaves the budget whole', () => {
  let s = INITIAL_RESTART_STATE;
  for (const t of everySecond(0, 300)) {
    const r = stepRestart(P, s, { up: false, blocked: true }, t);
    expect(r.effects).toEqual([]);
    s = r.state;
  }
  expect(s).toEqual(INITIAL_RESTART_STATE);
  // Host back, component still down: a normal backoff, then a restart that failed because the
  // host went down again is refunded.
  s = stepRestart(P, s, { up: false }, 301).state;
  const r = stepRestart(P, s, { up: false }, 303);
  expect(r.effects).toEqual([{ kind: 'restart', attempt: 1, restarts_in_window: 1 }]);
  expect(refundRestart(r.state, 303)).toEqual({ restarts: [], consecutive: 0, next_at: null, gave_up: false });
  expect(refundRestart(r.state, 999)).toBe(r.state);
});
